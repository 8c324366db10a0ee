package org.vitals.inference.bp;

import java.util.Arrays;

/**
 * A robust monotonic trend: the Theil–Sen slope (median of pairwise slopes; Sen PK, JASA
 * 1968;63:1379) with the Mann–Kendall test for its significance (Mann 1945; Kendall 1975), using
 * the tie-corrected variance and the normal approximation with continuity correction.
 *
 * @param slopePerDay Theil–Sen slope in units per day
 * @param interceptAtStart Conover's intercept, the median of {@code y - slope * t}, at the first
 *     time
 * @param mannKendallS the Mann–Kendall statistic S
 * @param z the standardised statistic
 * @param pValue two-sided p-value
 * @param n number of points used
 */
public record RobustTrend(
    double slopePerDay,
    double interceptAtStart,
    long mannKendallS,
    double z,
    double pValue,
    int n) {

  /** The minimum number of points for which a trend is computed. */
  public static final int MIN_POINTS = 4;

  /** True when the trend is significant at the given two-sided level, e.g. 0.05. */
  public boolean significantAt(double alpha) {
    return pValue < alpha;
  }

  /**
   * Fits the trend of {@code y} over {@code tDays}. Both arrays must be the same length, finite,
   * and hold at least {@link #MIN_POINTS} points spanning more than one distinct time.
   */
  public static RobustTrend fit(double[] tDays, double[] y) {
    int n = tDays.length;
    if (y.length != n) {
      throw new IllegalArgumentException("times and values differ in length");
    }
    if (n < MIN_POINTS) {
      throw new IllegalArgumentException(
          "a trend needs at least " + MIN_POINTS + " readings, got " + n);
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(tDays[i]) || !Double.isFinite(y[i])) {
        throw new IllegalArgumentException("non-finite value at index " + i);
      }
    }
    double[] slopes = new double[n * (n - 1) / 2];
    int m = 0;
    long s = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double dt = tDays[j] - tDays[i];
        if (dt != 0) {
          slopes[m++] = (y[j] - y[i]) / dt;
        }
        // S orders by time; pairs measured at the same instant carry no order and count 0.
        if (dt != 0) {
          s += (long) Math.signum(dt) * (long) Math.signum(y[j] - y[i]);
        }
      }
    }
    if (m == 0) {
      throw new IllegalArgumentException("all readings share one time: no trend");
    }
    double slope = median(Arrays.copyOf(slopes, m));
    double[] residual = new double[n];
    double t0 = Arrays.stream(tDays).min().orElseThrow();
    for (int i = 0; i < n; i++) {
      residual[i] = y[i] - slope * (tDays[i] - t0);
    }
    double intercept = median(residual);
    double variance = mannKendallVariance(y);
    double z;
    if (variance <= 0 || s == 0) {
      z = 0;
    } else {
      z = (s - Math.signum(s)) / Math.sqrt(variance);
    }
    double p = 2 * (1 - standardNormalCdf(Math.abs(z)));
    return new RobustTrend(slope, intercept, s, z, Math.min(1, Math.max(0, p)), n);
  }

  /** Var(S) = [n(n-1)(2n+5) - Σ t(t-1)(2t+5)] / 18 over groups of tied values. */
  static double mannKendallVariance(double[] y) {
    int n = y.length;
    double[] sorted = y.clone();
    Arrays.sort(sorted);
    double ties = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && sorted[j + 1] == sorted[i]) {
        j++;
      }
      int t = j - i + 1;
      ties += (double) t * (t - 1) * (2 * t + 5);
      i = j + 1;
    }
    return ((double) n * (n - 1) * (2 * n + 5) - ties) / 18.0;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  }

  /** Φ(x) via erf, Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7). */
  static double standardNormalCdf(double x) {
    double z = Math.abs(x) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * z);
    double poly =
        t
            * (0.254829592
                + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    double erf = 1 - poly * Math.exp(-z * z);
    return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
  }
}
