package org.vitals.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class WardAndFhirTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void registrationBundleHasPatientEncounterAndThreeDevicesPerPatient() throws Exception {
    Ward w = new Ward("tcp://127.0.0.1:1", "run1", 3, new Ledger());
    JsonNode b = JSON.readTree(w.registrationBundle(0, 3));
    assertThat(b.path("type").asText()).isEqualTo("transaction");
    assertThat(b.path("entry")).hasSize(3 * 5);
    JsonNode device = b.path("entry").get(2).path("resource");
    assertThat(device.path("resourceType").asText()).isEqualTo("Device");
    assertThat(device.path("patient").path("reference").asText()).isEqualTo("Patient/run1-p0");
    assertThat(device.path("identifier").get(0).path("value").asText()).isEqualTo("run1-p0-mon");
    assertThat(w.mine("run1-p0-mon:1:7")).isTrue();
    assertThat(w.mine("other-p0-mon:1:7")).isFalse();
  }

  @Test
  void readsTheReadingIdentityAndLastUpdatedOfAnObservation() throws Exception {
    JsonNode obs =
        JSON.readTree(
            "{\"resourceType\":\"Observation\",\"id\":\"12\",\"meta\":{\"lastUpdated\":\"2026-11-27T11:30:00.123+00:00\"},"
                + "\"identifier\":[{\"system\":\"urn:other\",\"value\":\"x\"},"
                + "{\"system\":\"urn:vitals:sid:reading\",\"value\":\"dev:1:5\"}]}");
    assertThat(Fhir.readingIdentity(obs)).isEqualTo("dev:1:5");
    assertThat(Fhir.lastUpdated(obs))
        .isEqualTo(java.time.Instant.parse("2026-11-27T11:30:00.123Z").toEpochMilli());
    assertThat(Fhir.readingIdentity(JSON.readTree("{\"identifier\":[]}"))).isNull();
  }
}
