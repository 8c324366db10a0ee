package org.vitals.cds.clinical;

import java.time.Instant;

/**
 * One ECG strip (a SampledData Observation of MDC_ECG_ELEC_POTL), already scaled to millivolts.
 *
 * @param start time of the first sample
 * @param periodMillis milliseconds between samples
 * @param millivolts the samples of one lead
 * @param observation the Observation reference
 */
public record EcgStrip(
    Instant start, double periodMillis, double[] millivolts, String observation) {

  /** Sampling rate in Hz. */
  public double samplingRate() {
    return 1000.0 / periodMillis;
  }

  /** Time just after the last sample. */
  public Instant end() {
    return start.plusNanos(Math.round(millivolts.length * periodMillis * 1_000_000));
  }
}
