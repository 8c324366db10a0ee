package org.vitals.fhir.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vitals.fhir.security.SmartAccessToken;

class RelayPolicyTest {

  static SmartAccessToken token(String fhirUser, String patient, String... scopes) {
    return new SmartAccessToken(
        "user",
        "vitals-doctor-app",
        Set.of(scopes),
        fhirUser,
        patient,
        null,
        "http://localhost",
        List.of("http://localhost/fhir"),
        Instant.now().plusSeconds(600));
  }

  @Test
  void aClinicianWithUserScopesMayAskForAnyPatient() {
    SmartAccessToken t = token("Practitioner/pr1", "p1", "launch", "user/*.rs");
    assertThat(RelayPolicy.refusal(t, "p1")).isEmpty();
    assertThat(RelayPolicy.refusal(t, "p2")).isEmpty();
    assertThat(RelayPolicy.refusal(token("PractitionerRole/r1", null, "user/Patient.read"), "p9"))
        .isEmpty();
  }

  @Test
  void aClinicianWithPatientScopesOnlyMayAskForTheirPatientInContextOnly() {
    SmartAccessToken t = token("Practitioner/pr1", "p1", "launch", "patient/*.rs");
    assertThat(RelayPolicy.refusal(t, "p1")).isEmpty();
    assertThat(RelayPolicy.refusal(t, "p2")).get().asString().contains("patient in context only");
  }

  @Test
  void patientsBackendServicesAndTokensWithoutPatientReadAreRefused() {
    assertThat(RelayPolicy.refusal(token("Patient/p1", "p1", "patient/*.rs"), "p1"))
        .get()
        .asString()
        .contains("a Patient");
    assertThat(RelayPolicy.refusal(token(null, null, "system/*.rs"), "p1"))
        .get()
        .asString()
        .contains("no signed-in user");
    assertThat(RelayPolicy.refusal(token("Practitioner/pr1", null, "user/Observation.rs"), "p1"))
        .get()
        .asString()
        .contains("may not read Patient");
    assertThat(RelayPolicy.refusal(token("Practitioner/pr1", null, "user/Patient.c"), "p1"))
        .isPresent();
  }
}
