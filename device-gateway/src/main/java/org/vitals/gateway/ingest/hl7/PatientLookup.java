package org.vitals.gateway.ingest.hl7;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;

/**
 * Finds the Patient whose identifier value equals PID-3.1 (optionally only in one identifier
 * system; by default any system matches). Exactly one match is required.
 */
public class PatientLookup {
  /** What the lookup found: the reference, or why there is none. */
  public record Result(String reference, int matches) {}

  /** The FHIR server could not be asked. */
  public static class UnavailableException extends RuntimeException {
    UnavailableException(Exception cause) {
      super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }
  }

  private final IGenericClient fhir;
  private final String system;

  public PatientLookup(IGenericClient fhir, String system) {
    this.fhir = fhir;
    this.system = system == null || system.isBlank() ? null : system;
  }

  public String system() {
    return system;
  }

  public Result find(String value) {
    Bundle b;
    try {
      b =
          fhir.search()
              .forResource(Patient.class)
              .where(
                  system == null
                      ? Patient.IDENTIFIER.exactly().code(value)
                      : Patient.IDENTIFIER.exactly().systemAndCode(system, value))
              .count(2)
              .elementsSubset("id")
              .returnBundle(Bundle.class)
              .execute();
    } catch (RuntimeException e) {
      throw new UnavailableException(e);
    }
    List<String> refs =
        b.getEntry().stream()
            .map(e -> "Patient/" + e.getResource().getIdElement().getIdPart())
            .toList();
    return new Result(refs.size() == 1 ? refs.get(0) : null, refs.size());
  }
}
