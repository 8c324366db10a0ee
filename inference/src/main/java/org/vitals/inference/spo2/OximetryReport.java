package org.vitals.inference.spo2;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vitals.inference.bp.RobustTrend;

/**
 * Summary of an SpO2 recording.
 *
 * @param recordedSeconds length of the recording
 * @param validSeconds time left after artefact rejection; every rate and percentage below is over
 *     valid time only
 * @param rejectedSamples samples rejected, by reason
 * @param meanPercent mean valid SpO2
 * @param minimumPercent lowest valid SpO2
 * @param t90Percent percent of valid time with SpO2 below 90 % (T90 / CT90)
 * @param odi3 desaturations of ≥ 3 % per hour of valid time
 * @param odi4 desaturations of ≥ 4 % per hour of valid time
 * @param events3 the ≥ 3 % events
 * @param events4 the ≥ 4 % events
 * @param sustainedHypoxaemia episodes below 90 % lasting at least the configured time
 * @param maxDeclineRatePercentPerMinute steepest fall into any ≥ 3 % event (0 without events)
 * @param recentTrend Theil–Sen / Mann–Kendall trend of the per-minute mean SpO2 over the last
 *     {@value OximetryAnalysis#TREND_MINUTES} min (slope in percent per day; see {@link
 *     #recentTrendPercentPerHour()}); empty when fewer than 4 minutes hold valid data. It catches
 *     slow deterioration that follows the ODI baseline and never forms an event.
 */
public record OximetryReport(
    double recordedSeconds,
    double validSeconds,
    Map<ArtefactReason, Integer> rejectedSamples,
    double meanPercent,
    double minimumPercent,
    double t90Percent,
    double odi3,
    double odi4,
    List<DesaturationEvent> events3,
    List<DesaturationEvent> events4,
    List<HypoxaemiaEpisode> sustainedHypoxaemia,
    double maxDeclineRatePercentPerMinute,
    Optional<RobustTrend> recentTrend) {

  public OximetryReport {
    events3 = List.copyOf(events3);
    events4 = List.copyOf(events4);
    sustainedHypoxaemia = List.copyOf(sustainedHypoxaemia);
    rejectedSamples = Map.copyOf(rejectedSamples);
  }

  /** Slope of the recent trend in percentage points per hour (negative = falling), if any. */
  public Optional<Double> recentTrendPercentPerHour() {
    return recentTrend.map(t -> t.slopePerDay() / 24.0);
  }

  /** True if any sustained hypoxaemia episode was found. */
  public boolean hasSustainedHypoxaemia() {
    return !sustainedHypoxaemia.isEmpty();
  }
}
