package org.vitals.gateway.ingest.sensors;

import java.util.List;

/**
 * SpO2 and pulse rate from a window of red/IR samples, after R. Fraczkiewicz's {@code
 * algorithm_by_RF} (aromring/MAX30102_by_RF, summarised in
 * ../shared/reference/standards-and-codes.md §10.1): remove mean and linear trend, AC = RMS, ratio
 * of ratios {@code R = (AC_red/DC_red) / (AC_ir/DC_ir)}, SpO2 = a·R² + b·R + c, pulse rate from the
 * autocorrelation peak of IR. Quality gates: red/IR Pearson ≥ 0.8, autocorrelation peak ≥ 0.5 of
 * lag 0, 0.02 < R < 1.84. The calibration (a, b, c) is configurable: no curve is clinically
 * calibrated for a given enclosure and LED current, so results are non-diagnostic.
 */
public final class Oximetry {
  /** SpO2 = a·R² + b·R + c. */
  public record Calibration(double a, double b, double c) {
    /** Maxim RD117 curve (−45.060 R² + 30.354 R + 94.845). */
    public static Calibration maxim() {
      return new Calibration(-45.060, 30.354, 94.845);
    }
  }

  /** The result; {@code reason} says why a value is missing (null values). */
  public record Result(
      Double spo2, Double pulseRate, double ratio, double correlation, String reason) {}

  private final Calibration cal;
  private final double sampleRate;
  private final double minBpm;
  private final double maxBpm;

  public Oximetry(Calibration cal, double sampleRate) {
    this(cal, sampleRate, 40, 180);
  }

  public Oximetry(Calibration cal, double sampleRate, double minBpm, double maxBpm) {
    this.cal = cal;
    this.sampleRate = sampleRate;
    this.minBpm = minBpm;
    this.maxBpm = maxBpm;
  }

  public Result compute(List<Max30102.Sample> window) {
    int n = window.size();
    if (n < sampleRate * 3) {
      return new Result(
          null, null, Double.NaN, Double.NaN, "insufficient data: fewer than 3 s of samples");
    }
    double[] red = new double[n];
    double[] ir = new double[n];
    for (int i = 0; i < n; i++) {
      red[i] = window.get(i).red();
      ir[i] = window.get(i).ir();
    }
    double dcRed = mean(red);
    double dcIr = mean(ir);
    if (dcIr < 1000 || dcRed < 1000) {
      return new Result(
          null, null, Double.NaN, Double.NaN, "no finger: DC level below 1000 counts");
    }
    detrend(red);
    detrend(ir);
    double acRed = rms(red);
    double acIr = rms(ir);
    double corr = dot(red, ir) / Math.sqrt(dot(red, red) * dot(ir, ir));
    double ratio = (acRed / dcRed) / (acIr / dcIr);
    Double rate = pulseRate(ir);
    String reason = null;
    Double spo2 = null;
    if (!(corr >= 0.8)) {
      reason = String.format("red/IR correlation %.2f below 0.8", corr);
    } else if (!(ratio > 0.02 && ratio < 1.84)) {
      reason = String.format("ratio %.3f outside 0.02..1.84", ratio);
    } else {
      spo2 = Math.min(100.0, cal.a() * ratio * ratio + cal.b() * ratio + cal.c());
    }
    if (rate == null && reason == null) {
      reason = "no periodic pulse between " + minBpm + " and " + maxBpm + " /min";
    }
    return new Result(spo2, rate, ratio, corr, reason);
  }

  /** Pulse rate from the highest autocorrelation peak within the allowed lags, or null. */
  Double pulseRate(double[] x) {
    double r0 = dot(x, x);
    if (r0 == 0) {
      return null;
    }
    int minLag = (int) Math.floor(sampleRate * 60 / maxBpm);
    int maxLag = (int) Math.ceil(sampleRate * 60 / minBpm);
    maxLag = Math.min(maxLag, x.length - 1);
    double best = 0;
    int bestLag = -1;
    double[] r = new double[maxLag + 2];
    for (int lag = Math.max(1, minLag - 1); lag <= Math.min(maxLag + 1, x.length - 1); lag++) {
      double s = 0;
      for (int i = 0; i + lag < x.length; i++) {
        s += x[i] * x[i + lag];
      }
      r[lag] = s / r0 * x.length / (x.length - lag); // unbiased
    }
    for (int lag = Math.max(2, minLag); lag <= maxLag; lag++) {
      if (r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1] && r[lag] > best) {
        best = r[lag];
      }
    }
    // The shortest lag whose peak is nearly as high as the best one: a multiple of the beat
    // period (two beats) can score higher than the period itself (octave error).
    for (int lag = Math.max(2, minLag); lag <= maxLag && bestLag < 0; lag++) {
      boolean peak = r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1];
      if (peak && r[lag] >= 0.8 * best && r[lag] >= 0.5) {
        bestLag = lag;
      }
    }
    if (bestLag < 0) {
      return null;
    }
    // Parabolic interpolation of the peak for sub-sample lag.
    double y0 = r[bestLag - 1];
    double y1 = r[bestLag];
    double y2 = r[bestLag + 1];
    double denom = y0 - 2 * y1 + y2;
    double lag = bestLag + (denom == 0 ? 0 : 0.5 * (y0 - y2) / denom);
    return 60.0 * sampleRate / lag;
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  /** Removes the least-squares line. */
  private static void detrend(double[] x) {
    int n = x.length;
    double mx = (n - 1) / 2.0;
    double my = mean(x);
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (i - mx) * (x[i] - my);
      sxx += (i - mx) * (i - mx);
    }
    double slope = sxy / sxx;
    for (int i = 0; i < n; i++) {
      x[i] = x[i] - my - slope * (i - mx);
    }
  }

  private static double rms(double[] x) {
    return Math.sqrt(dot(x, x) / x.length);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
