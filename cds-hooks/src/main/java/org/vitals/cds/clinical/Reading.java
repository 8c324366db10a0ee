package org.vitals.cds.clinical;

import java.time.Instant;
import java.util.Objects;

/**
 * One measured value in the unit of its kind. Consciousness is coded 0 = Alert, 1 = new confusion,
 * 2 = Voice, 3 = Pain, 4 = Unresponsive.
 *
 * @param kind what was measured
 * @param time when (effective time of the Observation)
 * @param value the value in {@link VitalKind#unit()}
 * @param device the device reference ("Device/x"), or null
 * @param observation the Observation reference ("Observation/x"), or null
 */
public record Reading(
    VitalKind kind, Instant time, double value, String device, String observation) {

  public Reading {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(time, "time");
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(kind + " at " + time + " is not a number: " + value);
    }
  }
}
