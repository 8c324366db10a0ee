package org.vitals.fhir.security.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;
import org.vitals.fhir.VitalsFhirServerApplication;

/**
 * The embedded default (H2 under a fresh data folder) with security on and the test realm. Every
 * test class with this annotation shares one running server (one Spring test context).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@SpringBootTest(
    classes = VitalsFhirServerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "vitals.db-url=")
@ContextConfiguration(initializers = TestRealm.Initializer.class)
public @interface SecuredH2Server {}
