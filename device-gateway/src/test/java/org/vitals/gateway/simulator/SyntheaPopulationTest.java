package org.vitals.gateway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Synthea 3.3.0 person bundle becomes a Patient with its conditions and medications. */
class SyntheaPopulationTest {
  @TempDir Path dir;

  @Test
  void aSyntheaPersonKeepsDemographicsConditionsAndMedicationsAndNothingDangles() throws Exception {
    Path src = Path.of("src/test/resources/synthea");
    try (var files = Files.list(src)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    Files.writeString(dir.resolve("hospitalInformation123.json"), "not read");
    var people = SyntheaPopulation.load(dir);
    assertThat(people).hasSize(1);
    var person = people.get(0);
    assertThat(person.resource().getNameFirstRep().getFamily()).isEqualTo("Glover433");
    assertThat(person.resource().getBirthDate()).isNotNull();
    assertThat(person.resource().hasId()).isFalse();
    assertThat(person.rest())
        .extracting(e -> e.getResource().fhirType())
        .containsOnly("Condition", "MedicationRequest", "Medication");
    assertThat(person.rest())
        .filteredOn(e -> e.getResource().fhirType().equals("Condition"))
        .hasSize(9);
    assertThat(person.rest())
        .filteredOn(e -> e.getResource().fhirType().equals("MedicationRequest"))
        .hasSize(2);

    // Every remaining reference points at an entry that is written with it.
    Set<String> fullUrls = new HashSet<>();
    fullUrls.add(person.patient().getFullUrl());
    person.rest().forEach(e -> fullUrls.add(e.getFullUrl()));
    var terser = FhirContext.forR4Cached().newTerser();
    int references = 0;
    for (Bundle.BundleEntryComponent e : person.rest()) {
      for (Reference r :
          terser.getAllPopulatedChildElementsOfType(e.getResource(), Reference.class)) {
        if (r.getReference() != null) {
          assertThat(fullUrls).contains(r.getReference());
          references++;
        }
      }
    }
    assertThat(references).isGreaterThanOrEqualTo(11); // conditions and requests name the patient
    // As the FHIR client writes them: no placeholder of an entry left behind (an encounter).
    var parser = FhirContext.forR4Cached().newJsonParser();
    for (Bundle.BundleEntryComponent e : person.rest()) {
      String json = parser.encodeResourceToString(e.getResource());
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("urn:uuid:[0-9a-f-]+").matcher(json);
      while (m.find()) {
        assertThat(fullUrls).as(e.getResource().fhirType()).contains(m.group());
      }
    }
  }

  @Test
  void aFolderWithoutPeopleIsAClearError() throws Exception {
    assertThatThrownBy(() -> SyntheaPopulation.load(dir.resolve("missing")))
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> SyntheaPopulation.load(dir)).hasMessageContaining("no Synthea person");
    Files.writeString(dir.resolve("broken.json"), "{\"resourceType\": 12}");
    assertThatThrownBy(() -> SyntheaPopulation.load(dir)).hasMessageContaining("broken.json");
  }
}
