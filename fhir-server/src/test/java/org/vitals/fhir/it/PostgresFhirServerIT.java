package org.vitals.fhir.it;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vitals.fhir.VitalsFhirServerApplication;
import org.vitals.fhir.security.testing.TestRealm;

/**
 * The same contract on real PostgreSQL, schema made by HAPI's migrator. Fails (never skips) when no
 * PostgreSQL can be had. Security on, with the test realm.
 */
@SpringBootTest(
    classes = VitalsFhirServerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestRealm.Initializer.class)
class PostgresFhirServerIT extends FhirServerContract {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    TestPostgres.Database db = TestPostgres.freshDatabase();
    registry.add("vitals.db-url", db::url);
    registry.add("vitals.db-user", db::user);
    registry.add("vitals.db-password", db::password);
  }
}
