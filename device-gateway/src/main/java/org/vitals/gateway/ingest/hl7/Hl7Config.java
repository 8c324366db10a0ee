package org.vitals.gateway.ingest.hl7;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vitals.gateway.wire.WireReadingParser;
import org.vitals.gateway.writing.ReadingPipeline;

/**
 * The HL7 v2 input: MLLP on {@code VITALS_MLLP_PORT} (default 2575). A port that is taken is logged
 * as an error and the rest of the gateway runs on (as the embedded broker does).
 */
@Configuration
public class Hl7Config {
  private static final Logger log = LoggerFactory.getLogger(Hl7Config.class);

  @Bean
  Hl7Ingest hl7Ingest(
      ReadingPipeline pipeline,
      IGenericClient fhir,
      JdbcTemplate jdbc,
      @Value("${vitals.gateway.hl7.patient-identifier-system:${VITALS_HL7_PATIENT_SYSTEM:}}")
          String system,
      @Value("${vitals.gateway.gateway-id:${VITALS_GATEWAY_ID:vitals-gateway}}") String gatewayId,
      @Value("${vitals.gateway.hl7.local-zone:${VITALS_HL7_LOCAL_ZONE:UTC}}") String zone,
      @Value("${vitals.gateway.hl7.commit-timeout:30s}") Duration commitTimeout) {
    return new Hl7Ingest(
        new OruReader(new WireReadingParser(), gatewayId, ZoneId.of(zone)),
        new PatientLookup(fhir, system),
        new Hl7MessageLog(jdbc),
        pipeline,
        commitTimeout);
  }

  @Bean
  org.apache.camel.builder.RouteBuilder mllpRoute(
      Hl7Ingest ingest,
      @Value("${vitals.gateway.hl7.mllp-port:${VITALS_MLLP_PORT:2575}}") int port) {
    if (port <= 0 || !free(port)) {
      if (port > 0) {
        log.error(
            "MLLP port {} is in use: the HL7 v2 listener is not started (set VITALS_MLLP_PORT)",
            port);
      }
      return new org.apache.camel.builder.RouteBuilder() {
        @Override
        public void configure() {}
      };
    }
    log.info("HL7 v2 MLLP listener on port {}", port);
    return new MllpRoute(ingest, port);
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
