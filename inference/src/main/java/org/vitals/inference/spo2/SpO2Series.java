package org.vitals.inference.spo2;

import java.util.Objects;

/**
 * A regularly sampled SpO2 series (percent; {@code NaN} where the oximeter gave no value), with the
 * optional pulse rate from the same probe (beats/min, may be {@code null}).
 */
public record SpO2Series(double intervalSeconds, double[] spo2Percent, double[] pulse) {

  public SpO2Series {
    Objects.requireNonNull(spo2Percent, "spo2Percent");
    if (!(intervalSeconds > 0) || intervalSeconds > 60) {
      throw new IllegalArgumentException(
          "sampling interval " + intervalSeconds + " s is outside (0, 60]; expected about 1 s");
    }
    if (pulse != null && pulse.length != spo2Percent.length) {
      throw new IllegalArgumentException(
          "pulse has " + pulse.length + " samples, SpO2 " + spo2Percent.length);
    }
    // Fractions (0.97) instead of percent would pass every range check silently; refuse them.
    double max = Double.NEGATIVE_INFINITY;
    for (double v : spo2Percent) {
      if (v > max) {
        max = v;
      }
      if (v > 100.5) {
        throw new IllegalArgumentException("SpO2 value " + v + " is above 100 %");
      }
    }
    if (max > 0 && max <= 1.0) {
      throw new IllegalArgumentException(
          "SpO2 values are at most " + max + ": fractions, not percent; multiply by 100");
    }
  }

  /** Number of samples. */
  public int length() {
    return spo2Percent.length;
  }

  /** Duration covered, in seconds. */
  public double durationSeconds() {
    return spo2Percent.length * intervalSeconds;
  }
}
