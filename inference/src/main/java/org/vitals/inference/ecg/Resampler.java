package org.vitals.inference.ecg;

/** Linear-interpolation resampling of a signal to another sampling rate. */
public final class Resampler {
  private Resampler() {}

  /** Resamples {@code x} from {@code fromHz} to {@code toHz}. */
  public static double[] linear(double[] x, double fromHz, double toHz) {
    if (x.length == 0) {
      return new double[0];
    }
    int n = (int) Math.floor((x.length - 1) * toHz / fromHz) + 1;
    double[] y = new double[n];
    double step = fromHz / toHz;
    for (int i = 0; i < n; i++) {
      double t = i * step;
      int k = (int) t;
      double f = t - k;
      y[i] = k + 1 < x.length ? x[k] * (1 - f) + x[k + 1] * f : x[x.length - 1];
    }
    return y;
  }
}
