package org.vitals.fhir.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class CdsRelaySettingsTest {

  @Test
  void demoProfileRelaysToTheLocalCdsServiceByDefault() {
    CdsRelaySettings s = CdsRelaySettings.from(new MockEnvironment());
    assertThat(s.enabled()).isTrue();
    assertThat(s.connectUrl()).hasToString("http://localhost:8082");
    assertThat(s.audienceUrl()).isEqualTo("http://localhost:8082");
    assertThat(s.clientId()).isEqualTo("vitals-cds");
  }

  @Test
  void productionWithoutACdsUrlHasNoRelayAndNothingToRefuse() {
    MockEnvironment env = new MockEnvironment().withProperty("vitals.profile", "production");
    assertThat(CdsRelaySettings.from(env).enabled()).isFalse();
    assertThat(CdsRelaySettings.problems(env, true)).isEmpty();
  }

  @Test
  void offTurnsTheRelayOffInTheDemoToo() {
    assertThat(
            CdsRelaySettings.from(new MockEnvironment().withProperty("VITALS_CDS_URL", "off"))
                .enabled())
        .isFalse();
  }

  @Test
  void theAudienceIsTheCdsServicesPublicUrlWhenItDiffersFromWhereTheRelayConnects() {
    CdsRelaySettings s =
        CdsRelaySettings.from(
            new MockEnvironment()
                .withProperty("VITALS_CDS_URL", "http://cds-hooks:8082/")
                .withProperty("VITALS_CDS_PUBLIC_URL", "https://cds.example.org/")
                .withProperty("VITALS_CDS_CLIENT_ID", "ward-cds"));
    assertThat(s.connectUrl()).hasToString("http://cds-hooks:8082");
    assertThat(s.audienceUrl()).isEqualTo("https://cds.example.org");
    assertThat(s.clientId()).isEqualTo("ward-cds");
  }

  @Test
  void aMalformedUrlIsAnErrorNamingTheSetting() {
    MockEnvironment env = new MockEnvironment().withProperty("VITALS_CDS_URL", "cds-hooks:8082");
    assertThatThrownBy(() -> CdsRelaySettings.from(env)).hasMessageContaining("VITALS_CDS_URL");
  }

  @Test
  void productionRefusesARelayWithoutItsOwnKeyOrAFixedIssuer() {
    MockEnvironment env =
        new MockEnvironment()
            .withProperty("vitals.profile", "production")
            .withProperty("VITALS_CDS_URL", "https://cds.example.org");
    assertThat(CdsRelaySettings.problems(env, true))
        .anyMatch(p -> p.startsWith("VITALS_CDS_RELAY_KEY is not set"))
        .anyMatch(p -> p.startsWith("VITALS_PUBLIC_URL is not set"));

    env.withProperty("VITALS_CDS_RELAY_KEY", "/etc/vitals/signing.jwk.json")
        .withProperty("vitals.security.signing-key-file", "/etc/vitals/signing.jwk.json")
        .withProperty("vitals.security.public-url", "https://vitals.example.org");
    assertThat(CdsRelaySettings.problems(env, true))
        .containsExactly(
            "VITALS_CDS_RELAY_KEY is the token signing key: the relay needs a key of its own");

    env.withProperty("VITALS_CDS_RELAY_KEY", "/etc/vitals/cds-relay.private.jwk.json");
    assertThat(CdsRelaySettings.problems(env, true)).isEmpty();
  }
}
