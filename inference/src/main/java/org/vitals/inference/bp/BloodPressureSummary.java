package org.vitals.inference.bp;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link BloodPressureAnalysis} finds over a period.
 *
 * @param readings number of readings
 * @param from first reading time
 * @param to last reading time
 * @param meanSystolic mean systolic, mmHg
 * @param meanDiastolic mean diastolic, mmHg
 * @param periodCategory ACC/AHA category of the period's mean pressure (the guideline classifies on
 *     an average of readings, not on one)
 * @param highestCategory the highest category of any single reading
 * @param categoryCounts how many readings fall in each category
 * @param crisis true if any reading is in hypertensive crisis (> 180 and/or > 120 mmHg)
 * @param systolicVariability variability of systolic readings (empty below 2 readings)
 * @param diastolicVariability variability of diastolic readings (empty below 2 readings)
 * @param systolicTrend Theil–Sen / Mann–Kendall trend of systolic pressure (empty when there is
 *     insufficient data: fewer than {@link RobustTrend#MIN_POINTS} readings)
 * @param diastolicTrend same for diastolic pressure
 */
public record BloodPressureSummary(
    int readings,
    Instant from,
    Instant to,
    double meanSystolic,
    double meanDiastolic,
    BpCategory periodCategory,
    BpCategory highestCategory,
    Map<BpCategory, Integer> categoryCounts,
    boolean crisis,
    Optional<BloodPressureVariability> systolicVariability,
    Optional<BloodPressureVariability> diastolicVariability,
    Optional<RobustTrend> systolicTrend,
    Optional<RobustTrend> diastolicTrend) {

  /** True if systolic pressure rises significantly (two-sided p < 0.05). */
  public boolean systolicRising() {
    return systolicTrend.map(t -> t.significantAt(0.05) && t.slopePerDay() > 0).orElse(false);
  }
}
