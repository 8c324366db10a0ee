package org.vitals.fhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.vitals.fhir.VitalsFhirServerApplication;
import org.vitals.fhir.security.testing.SmartFlows;
import org.vitals.fhir.security.testing.SmartFlows.TokenResponse;
import org.vitals.fhir.security.testing.TestRealm;

/**
 * A refresh token survives a restart of the server (decision 0804): the patient app signs in with
 * {@code offline_access}, the server stops and starts again on the same H2 file database and port,
 * and the refresh token still gives a token with the patient's context that reads their record; the
 * rotated-out refresh token stays refused. Two starts of the embedded default, about a minute on
 * the shared machine.
 */
class AuthorizationRestartIT {

  static final String PATIENT_APP = "vitals-patient-app";
  static final String PATIENT_REDIRECT = "http://localhost:8080/apps/patient/";
  static final String BEN = "vitals-demo-ben-carter";

  static ConfigurableApplicationContext start(Path dataDir, int port) {
    // Command-line arguments: they win over application.yml's environment placeholders.
    return new SpringApplicationBuilder(VitalsFhirServerApplication.class)
        .run(
            "--server.port=" + port,
            "--vitals.db-url=",
            "--vitals.data-dir=" + dataDir,
            "--vitals.security.realm-file=" + TestRealm.file(),
            "--spring.jmx.enabled=false");
  }

  @Test
  void aRefreshTokenStillWorksAfterARestart() throws Exception {
    Path dataDir = Files.createTempDirectory("vitals-restart-it");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    SmartFlows flows = new SmartFlows(port);
    String refreshToken;
    try (ConfigurableApplicationContext first = start(dataDir, port)) {
      TokenResponse token =
          flows.login(
              PATIENT_APP,
              PATIENT_REDIRECT,
              "launch/patient openid fhirUser patient/*.rs offline_access",
              "ben.carter",
              Map.of());
      assertThat(token.status()).as(token.body().toString()).isEqualTo(200);
      refreshToken = token.body().path("refresh_token").asText();
      assertThat(refreshToken).isNotBlank();
    }

    try (ConfigurableApplicationContext second = start(dataDir, port)) {
      TokenResponse refreshed = flows.refresh(PATIENT_APP, refreshToken);
      assertThat(refreshed.status()).as(refreshed.body().toString()).isEqualTo(200);
      assertThat(refreshed.body().path("patient").asText()).isEqualTo(BEN);
      assertThat(refreshed.body().path("refresh_token").asText())
          .isNotBlank()
          .isNotEqualTo(refreshToken);
      assertThat(fhirGet(flows, "/Patient/" + BEN, refreshed.accessToken()).statusCode())
          .isEqualTo(200);
      assertThat(flows.refresh(PATIENT_APP, refreshToken).status())
          .as("the rotated-out refresh token")
          .isEqualTo(400);
    }
  }

  static HttpResponse<String> fhirGet(SmartFlows flows, String path, String token)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(flows.fhirBase() + path))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
