package org.vitals.inference.spo2;

/**
 * One oxygen desaturation event. Times are seconds from the start of the series.
 *
 * @param startSeconds first sample at or below {@code baseline - drop}
 * @param endSeconds first sample after the event back above {@code baseline - drop}
 * @param baselinePercent mean SpO2 of the valid samples in the window before the event
 * @param nadirPercent lowest SpO2 in the event
 * @param declineRatePercentPerMinute fall from the last sample near baseline to the nadir, percent
 *     per minute
 */
public record DesaturationEvent(
    double startSeconds,
    double endSeconds,
    double baselinePercent,
    double nadirPercent,
    double declineRatePercentPerMinute) {

  /** Depth of the event below its baseline, percentage points. */
  public double depthPercent() {
    return baselinePercent - nadirPercent;
  }

  /** Duration in seconds. */
  public double durationSeconds() {
    return endSeconds - startSeconds;
  }
}
