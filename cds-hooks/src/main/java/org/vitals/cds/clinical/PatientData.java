package org.vitals.cds.clinical;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything the rules know about one patient at one moment: readings (any order), ECG strips and
 * the clinical context. Pure data: built from prefetch, from FHIR searches or from the monitor.
 */
public record PatientData(
    String patientId,
    Instant now,
    List<Reading> readings,
    List<EcgStrip> ecgStrips,
    ClinicalContext context) {

  public PatientData {
    readings = readings.stream().sorted(Comparator.comparing(Reading::time)).toList();
    ecgStrips = ecgStrips.stream().sorted(Comparator.comparing(EcgStrip::start)).toList();
  }

  /** Readings of one kind, oldest first. */
  public List<Reading> of(VitalKind kind) {
    return readings.stream().filter(r -> r.kind() == kind).toList();
  }

  /** The newest reading of a kind no older than {@code maxAgeSeconds}. */
  public Optional<Reading> latest(VitalKind kind, long maxAgeSeconds) {
    Instant from = now.minusSeconds(maxAgeSeconds);
    List<Reading> r = of(kind);
    for (int i = r.size() - 1; i >= 0; i--) {
      if (!r.get(i).time().isAfter(now.plusSeconds(300)) && !r.get(i).time().isBefore(from)) {
        return Optional.of(r.get(i));
      }
    }
    return Optional.empty();
  }
}
