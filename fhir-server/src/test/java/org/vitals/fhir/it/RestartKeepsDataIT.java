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

/** The embedded default keeps its data across a restart (H2 file under VITALS_DATA_DIR). */
class RestartKeepsDataIT {

  @TempDir Path dataDir;

  @Test
  void dataWrittenBeforeARestartIsThereAfterIt() {
    String patientId;
    String observationId;
    try (ConfigurableApplicationContext first = start()) {
      IGenericClient client = client(first);
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
    try (ConfigurableApplicationContext second = start()) {
      IGenericClient client = client(second);
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

  private ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(VitalsFhirServerApplication.class)
        .properties(
            "server.port=0",
            "vitals.db-url=",
            "vitals.data-dir=" + dataDir,
            "spring.jmx.enabled=false")
        .run();
  }

  private static IGenericClient client(ConfigurableApplicationContext context) {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    FhirContext fhir = FhirContext.forR4Cached();
    fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    return fhir.newRestfulGenericClient("http://localhost:" + port + "/fhir");
  }
}
