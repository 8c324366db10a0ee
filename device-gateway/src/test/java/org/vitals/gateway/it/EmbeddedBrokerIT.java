package org.vitals.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Without VITALS_MQTT_URL the gateway starts its own MQTT 5 broker; port 1883 is taken (by
 * Mosquitto) so it picks a free port. Readings published to it arrive, and messages the gateway had
 * not yet acknowledged when it was killed are delivered after the restart.
 */
class EmbeddedBrokerIT {
  @Test
  void embeddedBrokerWorksWhen1883IsTakenAndKeepsUnacknowledgedReadingsAcrossAKill()
      throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 1883), 2000); // the precondition: 1883 is taken
    }
    ItEnvironment.FhirServer server = ItEnvironment.fhir();
    IGenericClient fhir = ItEnvironment.client(server.base());
    Path dataDir = Files.createTempDirectory("gw-embedded-it");
    String run = Long.toString(System.currentTimeMillis(), 36);
    ItEnvironment.Gateway gateway =
        new ItEnvironment.Gateway(
            "gateway-embedded", server.base(), null, dataDir, "it-embedded-" + run);
    int brokerPort = ItEnvironment.freePort();
    gateway.env.put("VITALS_MQTT_EMBEDDED_PORT", "1883");
    try {
      gateway.startNow();
      JsonNode broker = GatewayHttp.get(gateway.http() + "/api/broker");
      assertThat(broker.path("embedded").asBoolean()).isTrue();
      String url = broker.path("url").asText();
      assertThat(url).startsWith("tcp://127.0.0.1:").doesNotEndWith(":1883");

      String patient = ItEnvironment.createPatient(fhir, "Embedded");
      String dev = "it-" + run + "-emb";
      GatewayHttp.put(
          gateway.http() + "/api/devices/" + dev + "/assignment",
          "{\"patient\":\""
              + patient
              + "\",\"start\":\""
              + Instant.now().minusSeconds(3600)
              + "\"}");
      long ts = Instant.now().minusSeconds(60).toEpochMilli();
      try (Publisher pub = new Publisher(url)) {
        for (int i = 0; i < 5; i++) {
          pub.publish(
              "vitals/v1/emb-gw/" + dev + "/hr",
              MqttIngestIT.numeric(dev, i, ts + i, "hr", "70", "/min"));
        }
        pub.flush();
      }
      String query = "subject=" + patient;
      await().atMost(Duration.ofMinutes(1)).until(() -> ItEnvironment.count(fhir, query) >= 5);

      // A fixed port from now on, so the restarted broker is where the publisher expects it.
      gateway.stopNow();
      gateway.env.put("VITALS_MQTT_EMBEDDED_PORT", String.valueOf(brokerPort));
      gateway.startNow();
      String fixed = "tcp://127.0.0.1:" + brokerPort;
      try (Publisher pub = new Publisher(fixed)) {
        for (int i = 5; i < 305; i++) {
          pub.publish(
              "vitals/v1/emb-gw/" + dev + "/hr",
              MqttIngestIT.numeric(dev, i, ts + i, "hr", "71", "/min"));
        }
        assertThat(pub.flush()).isEqualTo(300);
      }
      gateway.killNow(); // right after the broker took them: most are not yet written
      gateway.startNow();
      await().atMost(Duration.ofMinutes(2)).until(() -> ItEnvironment.count(fhir, query) >= 305);
      Thread.sleep(3000);
      assertThat(ItEnvironment.count(fhir, query)).isEqualTo(305);
    } finally {
      gateway.stopNow();
    }
  }
}
