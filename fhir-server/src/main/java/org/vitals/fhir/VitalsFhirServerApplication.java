package org.vitals.fhir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Vitals FHIR server: a HAPI FHIR JPA R4 server embedded in our own Spring Boot app.
 *
 * <p>HAPI builds its own EntityManagerFactory and runs its own schema migrator, so Boot's JPA,
 * Flyway, Quartz and Elasticsearch auto-configurations stay off.
 */
@SpringBootApplication(
    exclude = {
      HibernateJpaAutoConfiguration.class,
      FlywayAutoConfiguration.class,
      QuartzAutoConfiguration.class,
      ElasticsearchRestClientAutoConfiguration.class,
      ElasticsearchClientAutoConfiguration.class
    })
@ConfigurationPropertiesScan
public class VitalsFhirServerApplication {

  public static void main(String[] args) {
    SpringApplication.run(VitalsFhirServerApplication.class, args);
  }
}
