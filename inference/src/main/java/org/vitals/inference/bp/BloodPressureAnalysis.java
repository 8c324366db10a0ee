package org.vitals.inference.bp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Analyses a period of blood-pressure readings: ACC/AHA 2017 category per reading and for the
 * period, hypertensive-crisis flag, variability and a robust trend (Theil–Sen slope with
 * Mann–Kendall significance, rather than a least-squares line that one white-coat spike can tilt).
 */
public final class BloodPressureAnalysis {

  private static final double SECONDS_PER_DAY = 86_400.0;

  private BloodPressureAnalysis() {}

  /**
   * Summarises the readings (any order). An empty list is an error; trend and variability are left
   * empty ("insufficient data") when there are too few readings for them.
   */
  public static BloodPressureSummary analyse(List<BloodPressureReading> readings) {
    if (readings == null || readings.isEmpty()) {
      throw new IllegalArgumentException("no blood-pressure readings to analyse");
    }
    List<BloodPressureReading> sorted = new ArrayList<>(readings);
    sorted.sort(Comparator.comparing(BloodPressureReading::time));
    int n = sorted.size();
    double[] t = new double[n];
    double[] sys = new double[n];
    double[] dia = new double[n];
    Map<BpCategory, Integer> counts = new EnumMap<>(BpCategory.class);
    for (BpCategory c : BpCategory.values()) {
      counts.put(c, 0);
    }
    BpCategory highest = BpCategory.NORMAL;
    var start = sorted.get(0).time();
    for (int i = 0; i < n; i++) {
      BloodPressureReading r = sorted.get(i);
      t[i] = Duration.between(start, r.time()).toMillis() / 1000.0 / SECONDS_PER_DAY;
      sys[i] = r.systolic();
      dia[i] = r.diastolic();
      BpCategory c = BpCategory.of(r);
      counts.merge(c, 1, Integer::sum);
      if (c.compareTo(highest) > 0) {
        highest = c;
      }
    }
    double meanSys = mean(sys);
    double meanDia = mean(dia);
    boolean distinctTimes = !sorted.get(0).time().equals(sorted.get(n - 1).time());
    Optional<RobustTrend> sysTrend =
        n >= RobustTrend.MIN_POINTS && distinctTimes
            ? Optional.of(RobustTrend.fit(t, sys))
            : Optional.empty();
    Optional<RobustTrend> diaTrend =
        n >= RobustTrend.MIN_POINTS && distinctTimes
            ? Optional.of(RobustTrend.fit(t, dia))
            : Optional.empty();
    return new BloodPressureSummary(
        n,
        start,
        sorted.get(n - 1).time(),
        meanSys,
        meanDia,
        BpCategory.of(meanSys, meanDia),
        highest,
        counts,
        counts.get(BpCategory.HYPERTENSIVE_CRISIS) > 0,
        n >= 2 ? Optional.of(BloodPressureVariability.of(sys)) : Optional.empty(),
        n >= 2 ? Optional.of(BloodPressureVariability.of(dia)) : Optional.empty(),
        sysTrend,
        diaTrend);
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }
}
