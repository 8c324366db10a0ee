package org.vitals.fhir.it;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vitals.fhir.VitalsFhirServerApplication;

/**
 * The same contract on real PostgreSQL, schema made by HAPI's migrator. Fails (never skips) when no
 * PostgreSQL can be had.
 */
@SpringBootTest(
    classes = VitalsFhirServerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PostgresFhirServerIT extends FhirServerContract {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    TestPostgres.Database db = TestPostgres.freshDatabase();
    registry.add("vitals.db-url", db::url);
    registry.add("vitals.db-user", db::user);
    registry.add("vitals.db-password", db::password);
  }
}
