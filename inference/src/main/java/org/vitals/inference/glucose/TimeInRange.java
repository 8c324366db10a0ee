package org.vitals.inference.glucose;

import java.time.Duration;
import java.util.List;

/**
 * CGM summary metrics of the International Consensus on Time in Range (Battelino T et al., Diabetes
 * Care 2019;42:1593; ADA Standards of Care, section 6): percent of readings in each range (very low
 * < 54, low 54–69, in range 70–180, high 181–250, very high > 250 mg/dL), mean, SD, coefficient of
 * variation and GMI (%) = 3.31 + 0.02392 × mean glucose (Bergenstal RM et al., Diabetes Care
 * 2018;41:2275).
 *
 * @param readings readings used
 * @param days time covered from first to last reading
 * @param wearPercent readings as a percent of those a 5-min CGM would give over that time
 * @param sufficient the consensus' data sufficiency: at least 14 days with at least 70 % wear
 * @param veryLowPercent below 54 mg/dL (TBR level 2; target below 1 %)
 * @param lowPercent 54–69 mg/dL (TBR level 1; TBR total target below 4 %)
 * @param inRangePercent 70–180 mg/dL (TIR; target above 70 %)
 * @param highPercent 181–250 mg/dL (TAR level 1; TAR total target below 25 %)
 * @param veryHighPercent above 250 mg/dL (TAR level 2; target below 5 %)
 * @param meanMgdl mean glucose
 * @param sdMgdl standard deviation
 * @param cvPercent coefficient of variation (target at most 36 %)
 * @param gmiPercent glucose management indicator
 */
public record TimeInRange(
    int readings,
    double days,
    double wearPercent,
    boolean sufficient,
    double veryLowPercent,
    double lowPercent,
    double inRangePercent,
    double highPercent,
    double veryHighPercent,
    double meanMgdl,
    double sdMgdl,
    double cvPercent,
    double gmiPercent) {

  /** Percent of time below 70 mg/dL (TBR, both levels). */
  public double belowRangePercent() {
    return veryLowPercent + lowPercent;
  }

  /** Percent of time above 180 mg/dL (TAR, both levels). */
  public double aboveRangePercent() {
    return highPercent + veryHighPercent;
  }

  /**
   * Computes the metrics of the readings of one person; at least two readings are needed (an empty
   * or single reading is an error, not a 100 % figure). Whether they are enough for a clinical
   * report is {@link #sufficient()}.
   */
  public static TimeInRange of(List<CgmReading> readings) {
    if (readings == null || readings.size() < 2) {
      throw new IllegalArgumentException(
          "insufficient data: time in range needs CGM readings, got "
              + (readings == null ? 0 : readings.size()));
    }
    CgmTrace trace = new CgmTrace("", readings);
    List<CgmReading> r = trace.readings();
    int n = r.size();
    int veryLow = 0;
    int low = 0;
    int in = 0;
    int high = 0;
    int veryHigh = 0;
    double sum = 0;
    for (CgmReading x : r) {
      double g = x.mgdl();
      sum += g;
      if (g < 54) {
        veryLow++;
      } else if (g < 70) {
        low++;
      } else if (g <= 180) {
        in++;
      } else if (g <= 250) {
        high++;
      } else {
        veryHigh++;
      }
    }
    double mean = sum / n;
    double ss = 0;
    for (CgmReading x : r) {
      ss += (x.mgdl() - mean) * (x.mgdl() - mean);
    }
    double sd = Math.sqrt(ss / (n - 1));
    double minutes = Duration.between(r.get(0).time(), r.get(n - 1).time()).getSeconds() / 60.0;
    double days = minutes / 1440.0;
    double expected = minutes / 5.0 + 1;
    double wear = Math.min(100.0, 100.0 * n / expected);
    return new TimeInRange(
        n,
        days,
        wear,
        days >= 14 && wear >= 70,
        100.0 * veryLow / n,
        100.0 * low / n,
        100.0 * in / n,
        100.0 * high / n,
        100.0 * veryHigh / n,
        mean,
        sd,
        100 * sd / mean,
        3.31 + 0.02392 * mean);
  }
}
