package org.vitals.fhir.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.vitals.fhir.VitalSignsFixtures;
import org.vitals.fhir.VitalsFhirServerApplication;
import org.vitals.fhir.security.testing.BackendTokens;
import org.vitals.fhir.security.testing.TestRealm;

/**
 * The embedded default keeps its data and its token signing key across a restart (H2 file and key
 * under VITALS_DATA_DIR). The second start runs with {@code VITALS_SECURITY=off}, the mode other
 * modules' tests use: the data is then served without a token.
 */
class RestartKeepsDataIT {

  @TempDir Path dataDir;

  @Test
  void dataWrittenBeforeARestartIsThereAfterIt() {
    String patientId;
    String observationId;
    String firstKey;
    try (ConfigurableApplicationContext first = start("on")) {
      firstKey = signingKeyId(first);
      IGenericClient client = client(first, true);
      Patient patient = new Patient();
      patient.addName().setFamily("Restart");
      patientId =
          client.create().resource(patient).execute().getId().toUnqualifiedVersionless().getValue();
      observationId =
          client
              .create()
              .resource(VitalSignsFixtures.heartRate(patientId, 64))
              .execute()
              .getId()
              .toUnqualifiedVersionless()
              .getValue();
    }
    try (ConfigurableApplicationContext second = start("off")) {
      // The token signing key made on first start is kept under the data folder.
      assertThat(signingKeyId(second)).isEqualTo(firstKey);
      IGenericClient client = client(second, false);
      assertThat(
              client
                  .read()
                  .resource(Patient.class)
                  .withId(patientId)
                  .execute()
                  .getNameFirstRep()
                  .getFamily())
          .isEqualTo("Restart");
      Observation observation =
          client.read().resource(Observation.class).withId(observationId).execute();
      assertThat(observation.getValueQuantity().getValue().intValue()).isEqualTo(64);
      assertThat(observation.getSubject().getReference()).isEqualTo(patientId);
    }
  }

  private ConfigurableApplicationContext start(String security) {
    // Command-line arguments: builder "properties" are defaults, which application.yaml's own
    // entries (VITALS_DATA_DIR etc. with their fallbacks) would override.
    return new SpringApplicationBuilder(VitalsFhirServerApplication.class)
        .run(
            "--server.port=0",
            "--vitals.db-url=",
            "--vitals.data-dir=" + dataDir,
            "--vitals.security.realm-file=" + TestRealm.file(),
            "--vitals.security.enforcement=" + security,
            "--spring.jmx.enabled=false");
  }

  private static String signingKeyId(ConfigurableApplicationContext context) {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    try {
      String jwks =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://localhost:" + port + "/oauth2/jwks"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      return com.nimbusds.jose.jwk.JWKSet.parse(jwks).getKeys().get(0).getKeyID();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static IGenericClient client(ConfigurableApplicationContext context, boolean token) {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    FhirContext fhir = FhirContext.forR4Cached();
    fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    IGenericClient client = fhir.newRestfulGenericClient("http://localhost:" + port + "/fhir");
    if (token) {
      client.registerInterceptor(BackendTokens.admin(port));
    }
    return client;
  }
}
