package org.vitals.fhir.it;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vitals.fhir.VitalsFhirServerApplication;

/** The server contract on the embedded default: H2 in a file under the data folder. */
@SpringBootTest(
    classes = VitalsFhirServerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class H2FhirServerIT extends FhirServerContract {

  @TempDir static Path dataDir;

  @DynamicPropertySource
  static void embedded(DynamicPropertyRegistry registry) {
    registry.add("vitals.db-url", () -> "");
    registry.add("vitals.data-dir", () -> dataDir.toString());
  }
}
