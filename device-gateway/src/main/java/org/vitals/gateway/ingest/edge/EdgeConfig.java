package org.vitals.gateway.ingest.edge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vitals.gateway.ingest.mqtt.MqttConnectionSettings;

/**
 * Edge mode (a Raspberry Pi with serial and I²C inputs): when {@code VITALS_UPLINK_MQTT_URL} is
 * set, local readings go to the durable journal ({@code VITALS_EDGE_JOURNAL_MAX} readings, default
 * 100 000) and are forwarded in order to the central broker; otherwise they go straight into this
 * gateway's pipeline.
 */
@Configuration
public class EdgeConfig {

  /** The uplink of an edge node, or none ({@link #enabled()} false). */
  public record EdgeUplink(ReadingJournal journal, UplinkForwarder forwarder, String gatewayId)
      implements AutoCloseable {
    public boolean enabled() {
      return journal != null;
    }

    /** Journals one v1 reading for {@code vitals/v1/{gatewayId}/{dev}/{metric}}. */
    public void forward(ObjectNode reading) {
      journal.append(
          "vitals/v1/"
              + gatewayId
              + "/"
              + reading.get("dev").asText()
              + "/"
              + reading.get("metric").asText(),
          reading.toString());
    }

    @Override
    public void close() {
      if (forwarder != null) {
        forwarder.close();
      }
    }
  }

  @Bean(destroyMethod = "close")
  EdgeUplink edgeUplink(
      JdbcTemplate jdbc,
      @Value("${vitals.gateway.edge.uplink-url:${VITALS_UPLINK_MQTT_URL:}}") String url,
      @Value("${vitals.gateway.edge.journal-max:${VITALS_EDGE_JOURNAL_MAX:100000}}") int max,
      @Value("${vitals.gateway.gateway-id:${VITALS_GATEWAY_ID:vitals-gateway}}") String gatewayId,
      // The edge node's user at the central broker (docs/security.md, "MQTT").
      @Value("${VITALS_UPLINK_MQTT_USERNAME:}") String username,
      @Value("${VITALS_UPLINK_MQTT_PASSWORD:}") String password,
      @Value("${VITALS_UPLINK_MQTT_TRUSTSTORE:}") String truststore,
      @Value("${VITALS_UPLINK_MQTT_TRUSTSTORE_PASSWORD:}") String truststorePassword) {
    if (url == null || url.isBlank()) {
      return new EdgeUplink(null, null, gatewayId);
    }
    ReadingJournal journal = new ReadingJournal(jdbc, max);
    UplinkForwarder forwarder =
        new UplinkForwarder(
                journal,
                url,
                "vitals-edge-" + gatewayId,
                Duration.ofSeconds(10),
                new MqttConnectionSettings(
                    username, password, truststore, truststorePassword, null, null))
            .start();
    return new EdgeUplink(journal, forwarder, gatewayId);
  }
}
