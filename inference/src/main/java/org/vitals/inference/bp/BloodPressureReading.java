package org.vitals.inference.bp;

import java.time.Instant;
import java.util.Objects;

/**
 * One blood-pressure measurement in mmHg. Values outside what a cuff can report, or a diastolic not
 * below the systolic, are rejected: they are usually kPa, swapped fields or artefacts.
 */
public record BloodPressureReading(Instant time, double systolic, double diastolic) {

  public BloodPressureReading {
    Objects.requireNonNull(time, "time is required");
    if (!Double.isFinite(systolic) || !Double.isFinite(diastolic)) {
      throw new IllegalArgumentException(
          "blood pressure at " + time + " is missing a value: " + systolic + "/" + diastolic);
    }
    if (systolic < 40 || systolic > 300) {
      throw new IllegalArgumentException(
          "systolic "
              + systolic
              + " mmHg at "
              + time
              + " is outside 40–300 (kPa? multiply by 7.5)");
    }
    if (diastolic < 20 || diastolic > 200) {
      throw new IllegalArgumentException(
          "diastolic " + diastolic + " mmHg at " + time + " is outside 20–200");
    }
    if (diastolic >= systolic) {
      throw new IllegalArgumentException(
          "diastolic " + diastolic + " is not below systolic " + systolic + " at " + time);
    }
  }
}
