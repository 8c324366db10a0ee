package org.vitals.gateway.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A sensor Device as found on the FHIR server, with its patient assignments.
 *
 * @param reference {@code Device/<id>}
 * @param currentPatient Device.patient (assignment without interval), or null
 * @param assignments DeviceUseStatement intervals
 */
public record DeviceIdentity(
    String reference, String currentPatient, List<Assignment> assignments) {

  /**
   * One assignment of the device to a patient from {@code start} (inclusive) to {@code end}
   * (exclusive, null = open).
   */
  public record Assignment(String patient, Instant start, Instant end) {
    boolean covers(Instant t) {
      return (start == null || !t.isBefore(start)) && (end == null || t.isBefore(end));
    }
  }

  /**
   * The patient at time {@code t}: the DeviceUseStatement whose interval covers {@code t} (the
   * latest-starting one if several do), else Device.patient, else none.
   */
  public Optional<String> patientAt(Instant t) {
    Assignment best = null;
    for (Assignment a : assignments) {
      if (a.covers(t)
          && (best == null
              || (a.start() != null
                  && (best.start() == null || a.start().isAfter(best.start()))))) {
        best = a;
      }
    }
    if (best != null) {
      return Optional.of(best.patient());
    }
    return Optional.ofNullable(currentPatient);
  }
}
