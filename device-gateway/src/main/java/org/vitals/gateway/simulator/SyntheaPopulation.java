package org.vitals.gateway.simulator;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.util.FhirTerser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Patients made by Synthea (org.mitre.synthea:synthea 3.3.0, run as its own process by {@code
 * scripts/simulate --synthea}; docs/decisions/0207-synthea-population.md): one FHIR R4 transaction
 * bundle per person. The simulator takes from each the Patient (demographics) and what clinical
 * decision support reads about them: Conditions, MedicationRequests with their Medications, and
 * AllergyIntolerances. Encounters, claims and references to Synthea's practitioners and
 * organisations (not loaded here) are left out; references to anything not taken are removed.
 */
public final class SyntheaPopulation {
  static final Set<String> TAKEN =
      Set.of("Patient", "Condition", "MedicationRequest", "Medication", "AllergyIntolerance");

  /** One Synthea person: the Patient entry and its clinical entries (fullUrls kept). */
  public record Person(
      Bundle.BundleEntryComponent patient, List<Bundle.BundleEntryComponent> rest) {
    public Patient resource() {
      return (Patient) patient.getResource();
    }

    public int size() {
      return 1 + rest.size();
    }
  }

  private SyntheaPopulation() {}

  /**
   * Reads every person bundle in {@code dir} (Synthea's {@code output/fhir}; the hospital and
   * practitioner files are skipped), in file-name order.
   *
   * @throws IllegalArgumentException when the folder holds no person bundle or a file is not FHIR
   */
  public static List<Person> load(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("Synthea population folder " + dir + " does not exist");
    }
    FhirContext ctx = FhirContext.forR4Cached();
    List<Person> people = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(p -> p.getFileName().toString().endsWith(".json"))
              .filter(p -> !p.getFileName().toString().startsWith("hospitalInformation"))
              .filter(p -> !p.getFileName().toString().startsWith("practitionerInformation"))
              .sorted()
              .toList();
    }
    for (Path f : files) {
      Bundle b;
      try {
        b = ctx.newJsonParser().parseResource(Bundle.class, Files.readString(f));
      } catch (DataFormatException e) {
        throw new IllegalArgumentException(f + " is not a FHIR R4 bundle: " + e.getMessage(), e);
      }
      person(ctx.newTerser(), b).ifPresent(people::add);
    }
    if (people.isEmpty()) {
      throw new IllegalArgumentException("no Synthea person bundle (with a Patient) in " + dir);
    }
    return people;
  }

  static java.util.Optional<Person> person(FhirTerser terser, Bundle b) {
    Bundle.BundleEntryComponent patient = null;
    List<Bundle.BundleEntryComponent> rest = new ArrayList<>();
    Set<String> kept = new HashSet<>();
    for (Bundle.BundleEntryComponent e : b.getEntry()) {
      Resource r = e.getResource();
      if (r == null || !TAKEN.contains(r.fhirType())) {
        continue;
      }
      if (r instanceof Patient) {
        if (patient != null) {
          return java.util.Optional.empty(); // not a person bundle
        }
        patient = e;
      } else {
        rest.add(e);
      }
      kept.add(e.getFullUrl());
    }
    if (patient == null) {
      return java.util.Optional.empty();
    }
    // Everything else in the bundle (encounters, claims) and Synthea's practitioners and
    // organisations (conditional references such as Practitioner?identifier=...) stays behind.
    for (Bundle.BundleEntryComponent e : concat(patient, rest)) {
      for (Reference ref :
          terser.getAllPopulatedChildElementsOfType(e.getResource(), Reference.class)) {
        // The parser also links in-bundle targets as Reference.resource, which the encoder
        // would write back as the reference: both go.
        String target =
            ref.getReference() != null
                ? ref.getReference()
                : ref.getResource() != null ? ref.getResource().getIdElement().getValue() : null;
        if (target != null && !kept.contains(target)) {
          ref.setReference(null);
          ref.setResource(null);
        }
      }
      e.getResource().setId((String) null);
    }
    return java.util.Optional.of(new Person(patient, rest));
  }

  private static List<Bundle.BundleEntryComponent> concat(
      Bundle.BundleEntryComponent first, List<Bundle.BundleEntryComponent> rest) {
    List<Bundle.BundleEntryComponent> all = new ArrayList<>(rest.size() + 1);
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
