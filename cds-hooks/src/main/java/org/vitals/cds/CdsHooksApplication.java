package org.vitals.cds;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The CDS Hooks 2.0 services, the vitals monitor and the recommendation rules in one app. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CdsHooksApplication {

  public static void main(String[] args) {
    SpringApplication.run(CdsHooksApplication.class, args);
  }
}
