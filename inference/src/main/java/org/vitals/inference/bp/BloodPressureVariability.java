package org.vitals.inference.bp;

/**
 * Reading-to-reading variability of one pressure series: standard deviation, coefficient of
 * variation and average real variability (ARV, the mean absolute difference of successive readings;
 * Mena L et al., J Hypertens 2005;23:505), which unlike SD is not inflated by a slow trend.
 */
public record BloodPressureVariability(double mean, double sd, double cvPercent, double arv) {

  /** Computes the variability of values in time order; needs at least two values. */
  public static BloodPressureVariability of(double[] values) {
    int n = values.length;
    if (n < 2) {
      throw new IllegalArgumentException("variability needs at least 2 readings, got " + n);
    }
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= n;
    double ss = 0;
    double arv = 0;
    for (int i = 0; i < n; i++) {
      ss += (values[i] - mean) * (values[i] - mean);
      if (i > 0) {
        arv += Math.abs(values[i] - values[i - 1]);
      }
    }
    double sd = Math.sqrt(ss / (n - 1));
    return new BloodPressureVariability(mean, sd, 100 * sd / mean, arv / (n - 1));
  }
}
