package org.vitals.fhir.security.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Relative redirect URIs of a realm client are placed on this server (decision 0805). */
class RedirectUrisTest {

  @Test
  void relativeOnesFollowThePublicUrlOrTheServerPortAbsoluteOnesStay() {
    List<String> realm = List.of("/apps/doctor/", "https://ward.example.org/app/");
    assertThat(AuthorizationServerConfig.redirectUris(realm, "", "9090"))
        .containsExactly(
            "http://localhost:9090/apps/doctor/",
            "http://127.0.0.1:9090/apps/doctor/",
            "https://ward.example.org/app/");
    assertThat(AuthorizationServerConfig.redirectUris(realm, "https://vitals.example.org/", "8080"))
        .containsExactly(
            "https://vitals.example.org/apps/doctor/", "https://ward.example.org/app/");
  }
}
