package org.vitals.fhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitals.fhir.security.SmartScope.Interaction;
import org.vitals.fhir.security.SmartScope.Level;

class SmartScopeTest {

  @Test
  void v2ScopesParseWithTheirLetters() {
    SmartScope scope = SmartScope.parse("patient/Observation.rs").orElseThrow();
    assertThat(scope.level()).isEqualTo(Level.PATIENT);
    assertThat(scope.resourceType()).isEqualTo("Observation");
    assertThat(scope.interactions())
        .containsExactlyInAnyOrder(Interaction.READ, Interaction.SEARCH);
    assertThat(SmartScope.parse("user/*.cruds").orElseThrow().interactions())
        .containsExactlyInAnyOrder(Interaction.values());
    assertThat(SmartScope.parse("system/Device.c").orElseThrow().interactions())
        .containsExactly(Interaction.CREATE);
  }

  @Test
  void v1ScopesMeanTheirV2Equivalents() {
    assertThat(SmartScope.parse("patient/Observation.read"))
        .isEqualTo(SmartScope.parse("patient/Observation.rs"));
    assertThat(SmartScope.parse("user/Patient.write"))
        .isEqualTo(SmartScope.parse("user/Patient.cud"));
    assertThat(SmartScope.parse("user/*.*")).isEqualTo(SmartScope.parse("user/*.cruds"));
  }

  @Test
  void contextScopesAndMalformedScopesDoNotParse() {
    for (String s :
        List.of(
            "openid",
            "fhirUser",
            "launch/patient",
            "offline_access",
            "patient/Observation.sr",
            "patient/Observation.rr",
            "patient/Observation.x",
            "patient/Observation.",
            "doctor/Observation.rs",
            "patient/observation.rs",
            "patient/Observation.rs?category=vital-signs")) {
      assertThat(SmartScope.parse(s)).as(s).isEmpty();
    }
  }

  @Test
  void aCeilingCoversNarrowerScopesOfTheSameLevel() {
    SmartScope ceiling = SmartScope.parse("user/*.cruds").orElseThrow();
    assertThat(ceiling.covers(SmartScope.parse("user/Observation.rs").orElseThrow())).isTrue();
    assertThat(ceiling.covers(SmartScope.parse("patient/Observation.rs").orElseThrow())).isFalse();
    SmartScope reads = SmartScope.parse("patient/Observation.rs").orElseThrow();
    assertThat(reads.covers(SmartScope.parse("patient/Observation.c").orElseThrow())).isFalse();
    assertThat(reads.covers(SmartScope.parse("patient/Condition.r").orElseThrow())).isFalse();
    assertThat(reads.toString()).isEqualTo("patient/Observation.rs");
  }

  @Test
  void scopePolicyKeepsAppsAndBackendsInTheirLanes() {
    List<String> app = List.of("launch", "openid", "fhirUser", "patient/*.cruds");
    assertThat(ScopePolicy.refusedForApp(app, List.of("launch", "patient/Observation.rs")))
        .isEmpty();
    assertThat(ScopePolicy.refusedForApp(app, List.of("user/Observation.rs"))).isPresent();
    assertThat(ScopePolicy.refusedForApp(app, List.of("offline_access"))).isPresent();
    assertThat(ScopePolicy.refusedForApp(List.of("system/*.cruds"), List.of("system/Patient.rs")))
        .hasValueSatisfying(r -> assertThat(r).contains("backend"));
    List<String> backend = List.of("system/Observation.cruds", "system/Patient.rs");
    assertThat(ScopePolicy.refusedForBackend(backend, List.of("system/Observation.c"))).isEmpty();
    assertThat(ScopePolicy.refusedForBackend(backend, List.of("system/Patient.u"))).isPresent();
    assertThat(ScopePolicy.refusedForBackend(backend, List.of("user/Patient.r"))).isPresent();
    assertThat(ScopePolicy.refusedForBackend(backend, List.of())).isPresent();
  }
}
