package org.vitals.inference.glucose;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the forecaster sees at one forecast origin: the last {@value ForecastWindows#HISTORY}
 * readings (oldest first, 5 min apart) and the person's recent profile, the mean and standard
 * deviation of all their readings in the {@value #PROFILE_HOURS} h up to the origin. The profile
 * lets one model revert towards a non-diabetic person's steady ~100 mg/dL and follow a type 1
 * diabetic's larger swings.
 *
 * @param history the last readings, mg/dL
 * @param profileMean mean of the readings of the last 24 h, mg/dL
 * @param profileSd population standard deviation of those readings, mg/dL
 * @param profileCount how many readings that profile holds (at least the history)
 */
public record ForecastInput(
    double[] history, double profileMean, double profileSd, int profileCount) {

  /** Hours of readings behind the profile. */
  public static final int PROFILE_HOURS = 24;

  /** Readings a full 24-h profile holds at 5-min sampling. */
  public static final int FULL_PROFILE = PROFILE_HOURS * 12;

  /**
   * The input at {@code origin} of readings sorted by time; the caller has checked that the history
   * before it is gap-free.
   */
  static ForecastInput at(List<CgmReading> r, int origin, double[] prefixSum, double[] prefixSq) {
    double[] h = new double[ForecastWindows.HISTORY];
    for (int k = 0; k < h.length; k++) {
      h[k] = r.get(origin - ForecastWindows.HISTORY + 1 + k).mgdl();
    }
    Instant from = r.get(origin).time().minus(Duration.ofHours(PROFILE_HOURS));
    int lo = firstAfter(r, from, origin);
    int n = origin + 1 - lo;
    double mean = (prefixSum[origin + 1] - prefixSum[lo]) / n;
    double var = Math.max(0, (prefixSq[origin + 1] - prefixSq[lo]) / n - mean * mean);
    return new ForecastInput(h, mean, Math.sqrt(var), n);
  }

  /** Index of the first reading after {@code from}, searching [0, origin]. */
  private static int firstAfter(List<CgmReading> r, Instant from, int origin) {
    int lo = 0;
    int hi = origin;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (r.get(mid).time().isAfter(from)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Prefix sums of glucose (index i holds the sum of the first i readings). */
  static double[][] prefixSums(List<CgmReading> r) {
    double[] s = new double[r.size() + 1];
    double[] q = new double[r.size() + 1];
    for (int i = 0; i < r.size(); i++) {
      double g = r.get(i).mgdl();
      s[i + 1] = s[i] + g;
      q[i + 1] = q[i] + g * g;
    }
    return new double[][] {s, q};
  }

  /** The last reading, mg/dL. */
  public double last() {
    return history[history.length - 1];
  }
}
