package org.vitals.fhir.security.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class FhirUserMappingTest {

  static final String SYSTEM = "https://hospital.example/staff";

  /** Practitioner/pr1 and Patient/p1 exist; identifier S-1 is on pr1, D-1 on two resources. */
  static final FhirUserMapping.Directory DIRECTORY =
      new FhirUserMapping.Directory() {
        @Override
        public boolean exists(String reference) {
          return Set.of("Practitioner/pr1", "Patient/p1").contains(reference);
        }

        @Override
        public List<String> withIdentifier(String system, String value) {
          if (!system.equals(SYSTEM)) {
            return List.of();
          }
          return switch (value) {
            case "S-1" -> List.of("Practitioner/pr1");
            case "D-1" -> List.of("Practitioner/pr1", "Patient/p1");
            default -> List.of();
          };
        }
      };

  static FhirUserMapping mapping(MockEnvironment env) {
    return new FhirUserMapping(
        OidcSettings.from(
            env.withProperty("VITALS_OIDC_ISSUER", "https://idp.example.org")
                .withProperty("VITALS_OIDC_CLIENT_ID", "vitals")
                .withProperty("VITALS_OIDC_CLIENT_SECRET", "s3cret")),
        DIRECTORY);
  }

  @Test
  void theFhirUserClaimMapsToAnExistingPractitionerOrPatientRelativeOrAbsolute() {
    FhirUserMapping m = mapping(new MockEnvironment());
    assertThat(m.map(Map.of("fhirUser", "Practitioner/pr1")).fhirUser())
        .contains("Practitioner/pr1");
    assertThat(m.map(Map.of("fhirUser", "https://vitals.example.org/fhir/Patient/p1")).fhirUser())
        .contains("Patient/p1");
    assertThat(m.map(Map.of("fhirUser", "Practitioner/nobody")).refusal())
        .contains("does not hold");
    assertThat(m.map(Map.of("fhirUser", "Organization/o1")).refusal())
        .contains("not a Practitioner or Patient");
    assertThat(m.map(Map.of("sub", "x")).refusal()).contains("no 'fhirUser' claim");
  }

  @Test
  void anIdentifierClaimMapsToTheOneResourceCarryingIt() {
    FhirUserMapping m =
        mapping(
            new MockEnvironment()
                .withProperty("VITALS_OIDC_IDENTIFIER_CLAIM", "staff_id")
                .withProperty("VITALS_OIDC_IDENTIFIER_SYSTEM", SYSTEM));
    assertThat(m.map(Map.of("staff_id", "S-1")).fhirUser()).contains("Practitioner/pr1");
    assertThat(m.map(Map.of("staff_id", "D-1")).refusal()).startsWith("more than one");
    assertThat(m.map(Map.of("staff_id", "S-404")).refusal()).startsWith("no Practitioner");
    // The fhirUser claim is not consulted in identifier mode.
    assertThat(m.map(Map.of("fhirUser", "Practitioner/pr1")).fhirUser()).isEmpty();
  }

  @Test
  void settingsThatDoNotFitTogetherAreNamed() {
    assertThat(
            OidcSettings.problems(
                new MockEnvironment().withProperty("VITALS_OIDC_CLIENT_ID", "vitals"), false))
        .containsExactly(
            "VITALS_OIDC_CLIENT_ID is set but VITALS_OIDC_ISSUER is not: give the provider's"
                + " issuer");
    MockEnvironment env =
        new MockEnvironment()
            .withProperty("VITALS_OIDC_ISSUER", "http://idp.example.org")
            .withProperty("VITALS_OIDC_IDENTIFIER_CLAIM", "staff_id");
    assertThat(OidcSettings.problems(env, true))
        .anyMatch(p -> p.startsWith("VITALS_OIDC_ISSUER is plain http"))
        .anyMatch(p -> p.startsWith("VITALS_OIDC_CLIENT_ID is not set"))
        .anyMatch(p -> p.startsWith("VITALS_OIDC_CLIENT_SECRET is not set"))
        .anyMatch(
            p -> p.startsWith("VITALS_OIDC_IDENTIFIER_CLAIM and VITALS_OIDC_IDENTIFIER_SYSTEM"));
    assertThat(OidcSettings.problems(env, false)).noneMatch(p -> p.contains("plain http"));
    assertThat(OidcSettings.problems(new MockEnvironment(), true)).isEmpty();
  }

  @Test
  void theSignedInNameSaysWhoThePersonIsWithoutATableOfItsOwn() {
    org.vitals.fhir.security.realm.SecurityRealm realm =
        new org.vitals.fhir.security.realm.SecurityRealm(List.of(), List.of(), false);
    String name =
        org.vitals.fhir.security.realm.SecurityRealm.oidcUsername(
            "Practitioner/pr1", "sub:with:colons");
    assertThat(realm.user(name))
        .get()
        .satisfies(
            u -> {
              assertThat(u.fhirUser()).isEqualTo("Practitioner/pr1");
              assertThat(u.practitioner()).isTrue();
              assertThat(u.password()).isNull();
            });
    assertThat(realm.user("oidc:Organization/o1:x")).isEmpty();
    assertThat(realm.user("oidc:nothing")).isEmpty();
  }
}
