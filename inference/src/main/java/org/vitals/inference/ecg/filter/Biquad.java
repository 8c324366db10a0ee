package org.vitals.inference.ecg.filter;

/**
 * A second-order IIR section (direct form I) with Butterworth low-pass and high-pass designs by the
 * bilinear transform (R. Bristow-Johnson, "Audio EQ Cookbook", Q = 1/sqrt 2). Streaming: one sample
 * in, one sample out.
 */
public final class Biquad {
  private final double b0;
  private final double b1;
  private final double b2;
  private final double a1;
  private final double a2;
  private double x1;
  private double x2;
  private double y1;
  private double y2;

  private Biquad(double b0, double b1, double b2, double a0, double a1, double a2) {
    this.b0 = b0 / a0;
    this.b1 = b1 / a0;
    this.b2 = b2 / a0;
    this.a1 = a1 / a0;
    this.a2 = a2 / a0;
  }

  /** Butterworth low-pass at {@code cutoffHz}. */
  public static Biquad lowPass(double cutoffHz, double fs) {
    checkCutoff(cutoffHz, fs);
    double w = 2 * Math.PI * cutoffHz / fs;
    double alpha = Math.sin(w) / Math.sqrt(2);
    double c = Math.cos(w);
    return new Biquad((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
  }

  /** Butterworth high-pass at {@code cutoffHz}. */
  public static Biquad highPass(double cutoffHz, double fs) {
    checkCutoff(cutoffHz, fs);
    double w = 2 * Math.PI * cutoffHz / fs;
    double alpha = Math.sin(w) / Math.sqrt(2);
    double c = Math.cos(w);
    return new Biquad((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
  }

  private static void checkCutoff(double cutoffHz, double fs) {
    if (!(cutoffHz > 0 && cutoffHz < fs / 2)) {
      throw new IllegalArgumentException(
          "cut-off " + cutoffHz + " Hz must lie between 0 and the Nyquist frequency " + fs / 2);
    }
  }

  /** Filters one sample. */
  public double filter(double x) {
    double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    return y;
  }

  /** Sets the filter's state as if {@code x} had been its input forever (no start-up step). */
  public void settle(double x) {
    double gainDc = (b0 + b1 + b2) / (1 + a1 + a2);
    x1 = x;
    x2 = x;
    y1 = x * gainDc;
    y2 = y1;
  }

  /**
   * A whole signal through a high-pass then a low-pass section (a band-pass), both settled on the
   * first sample so there is no start-up step; causal, forward only.
   */
  public static double[] bandPass(double[] x, double fs, double lowHz, double highHz) {
    Biquad hp = highPass(lowHz, fs);
    Biquad lp = lowPass(highHz, fs);
    double[] y = new double[x.length];
    if (x.length > 0) {
      hp.settle(x[0]);
      lp.settle(0);
    }
    for (int i = 0; i < x.length; i++) {
      y[i] = lp.filter(hp.filter(x[i]));
    }
    return y;
  }

  /** Filters a whole signal into a new array (forward only, causal). */
  public double[] filter(double[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = filter(x[i]);
    }
    return y;
  }
}
