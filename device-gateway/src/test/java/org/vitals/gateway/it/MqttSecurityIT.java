package org.vitals.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.ingest.mqtt.MqttConnectionSettings;

/**
 * MQTT security with a real broker: a private Mosquitto with a TLS listener (test CA made now), a
 * password file and the shipped ACL. A device with a wrong password is refused; a device cannot
 * publish on another device's topic; the gateway, signed in with VITALS_MQTT_USERNAME/PASSWORD over
 * ssl:// and trusting the CA by VITALS_MQTT_TRUSTSTORE, receives the device's own readings and not
 * the spoofed one; a client that does not trust the CA does not connect at all. The gateway's HTTP
 * API answers carry the security headers.
 */
class MqttSecurityIT {
  private static final String GATEWAY_USER = "vitals-gateway";
  private static final String GATEWAY_PASSWORD = "gw-" + Long.toHexString(System.nanoTime());

  @Test
  void onlyAuthenticatedDevicesPublishAndOnlyUnderTheirOwnDeviceId() throws Exception {
    String run = Long.toString(System.currentTimeMillis(), 36);
    String devA = "it-" + run + "-a";
    String devB = "it-" + run + "-b";
    String passA = "pa-" + run;
    String passB = "pb-" + run;
    try (PrivateMosquitto broker =
        PrivateMosquitto.start(Map.of(GATEWAY_USER, GATEWAY_PASSWORD, devA, passA, devB, passB))) {
      MqttConnectionSettings trustCa =
          new MqttConnectionSettings(null, null, broker.caPem.toString(), null, null, null);

      // TLS: without the test CA the handshake fails; plaintext is not spoken on this port.
      assertThatThrownBy(
              () -> close(connect(broker.sslUrl(), devA, passA, MqttConnectionSettings.NONE)))
          .as("a client that does not trust the broker's CA")
          .hasStackTraceContaining(SSLHandshakeException.class.getName())
          .hasStackTraceContaining("unable to find valid certification path");
      assertThatThrownBy(
              () -> close(connect("tcp://127.0.0.1:" + broker.port, devA, passA, trustCa)))
          .as("plaintext MQTT on the TLS listener")
          .isInstanceOf(MqttException.class);

      // Authentication: a wrong password and no credentials are refused at CONNECT.
      assertThatThrownBy(() -> close(connect(broker.sslUrl(), devA, "wrong", trustCa)))
          .isInstanceOfSatisfying(
              MqttException.class,
              e -> assertThat(e.getReasonCode()).as("CONNACK reason").isIn(134, 135));
      assertThatThrownBy(() -> close(connect(broker.sslUrl(), null, null, trustCa)))
          .isInstanceOfSatisfying(
              MqttException.class,
              e -> assertThat(e.getReasonCode()).as("CONNACK reason").isIn(134, 135));

      // The gateway as a real process; no FHIR server behind it: what this test is about ends
      // where a reading enters the gateway (MqttIngestIT follows readings on into FHIR).
      Path dataDir = Files.createTempDirectory("gw-mqtt-sec-it");
      String noFhir = "http://127.0.0.1:" + ItEnvironment.freePort() + "/fhir";
      ItEnvironment.Gateway gateway =
          new ItEnvironment.Gateway(
              "gateway-mqtt-security", noFhir, broker.sslUrl(), dataDir, "it-sec-" + run);
      gateway.env.put("VITALS_FHIR_TOKEN", "no-fhir-server-in-this-test");
      gateway.env.put("VITALS_MQTT_USERNAME", GATEWAY_USER);
      gateway.env.put("VITALS_MQTT_PASSWORD", GATEWAY_PASSWORD);
      gateway.env.put("VITALS_MQTT_TRUSTSTORE", broker.caPem.toString());
      try {
        gateway.startNow();
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(
                            GatewayHttp.getAny(gateway.http() + "/actuator/health")
                                .path("components")
                                .path("mqttBroker")
                                .path("status")
                                .asText())
                        .as("the gateway's connection to the broker")
                        .isEqualTo("UP"));
        long ts = Instant.now().minusSeconds(60).toEpochMilli();
        MqttAsyncClient deviceA = connect(broker.sslUrl(), devA, passA, trustCa);
        try {
          // Device A pretends to be device B: the broker answers "not authorized" (0x87).
          IMqttToken spoofed =
              publish(deviceA, "vitals/v1/ward/" + devB + "/hr", numeric(devB, 1, ts, "150"));
          assertThat(spoofed.getReasonCodes()).as("PUBACK on B's topic").containsExactly(135);
          // Its own readings go through.
          for (int i = 0; i < 3; i++) {
            IMqttToken own =
                publish(deviceA, "vitals/v1/ward/" + devA + "/hr", numeric(devA, i, ts + i, "70"));
            assertThat(own.getReasonCodes()).as("PUBACK on its own topic").containsExactly(0);
          }
        } finally {
          close(deviceA);
        }
        // The gateway receives A's three readings, and only those: the spoofed one, published
        // first on the same connection, never reaches it.
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> GatewayHttp.counter(gateway.http(), "received") >= 3);
        Thread.sleep(2000);
        assertThat(GatewayHttp.counter(gateway.http(), "received")).isEqualTo(3.0);
        assertSecurityHeaders(gateway.http() + "/api/templates");
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\nmosquitto log:\n" + broker.log(), e);
      } finally {
        gateway.stopNow();
      }
    }
  }

  /** The single-node overlay's copy of the ACL (kustomize reads only below the overlay). */
  @Test
  void theSingleNodeOverlayShipsTheTestedAcl() throws Exception {
    assertThat(rules(Path.of("../deploy/k8s/overlays/single-node/aclfile")))
        .isEqualTo(rules(Path.of("../deploy/mosquitto/aclfile")))
        .isNotEmpty();
  }

  private static java.util.List<String> rules(Path acl) throws Exception {
    return Files.readAllLines(acl).stream()
        .map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  private static MqttAsyncClient connect(
      String url, String user, String password, MqttConnectionSettings tls) throws Exception {
    MqttAsyncClient c =
        new MqttAsyncClient(url, "it-dev-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    o.setConnectionTimeout(10);
    new MqttConnectionSettings(
            user, password, tls.truststore(), tls.truststorePassword(), null, null)
        .applyTo(o, url);
    try {
      c.connect(o).waitForCompletion(15_000);
    } catch (MqttException e) {
      c.close(true);
      throw e;
    }
    return c;
  }

  /** The gateway's HTTP API answers carry the security headers (SecurityHeadersFilter). */
  private static void assertSecurityHeaders(String url) throws Exception {
    java.net.http.HttpResponse<Void> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValue("default-src 'none'; frame-ancestors 'none'");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    // Plain HTTP: no HSTS (it is sent on TLS requests only).
    assertThat(r.headers().firstValue("Strict-Transport-Security")).isEmpty();
  }

  private static void close(MqttAsyncClient c) throws MqttException {
    if (c.isConnected()) {
      c.disconnect().waitForCompletion(5_000);
    }
    c.close(true);
  }

  private static IMqttToken publish(MqttAsyncClient c, String topic, String payload)
      throws MqttException {
    MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    m.setQos(1);
    IMqttToken t = c.publish(topic, m);
    t.waitForCompletion(10_000);
    return t;
  }

  private static String numeric(String dev, long seq, long ts, String value) {
    return MqttIngestIT.numeric(dev, seq, ts, "hr", value, "/min");
  }
}
