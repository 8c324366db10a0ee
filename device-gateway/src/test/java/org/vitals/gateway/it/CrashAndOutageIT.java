package org.vitals.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Failure tests with real processes: the gateway killed (SIGKILL) mid-stream and restarted, and the
 * FHIR server down during a stream (killed, 10 s, then the time its restart takes). Readings go
 * through the real Mosquitto. The stream rate is kept low enough that Mosquitto's default queue
 * limit for an offline session (max_queued_messages 1000) is not reached while the gateway is down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashAndOutageIT {
  static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  static ItEnvironment.FhirServer server;
  static IGenericClient fhir;
  static Path dataDir;
  static ItEnvironment.Gateway gateway;
  static final String CLIENT_ID = "it-crash-" + RUN;

  /** Our own gateway id: the gateway's session queues our readings only, not other traffic. */
  static final String GW = "it-crash-gw-" + RUN;

  @BeforeAll
  static void start() throws Exception {
    ItEnvironment.requireMosquitto();
    server = ItEnvironment.fhir();
    fhir = ItEnvironment.client(server.base());
    dataDir = Files.createTempDirectory("gw-crash-it");
    gateway = newGateway();
    gateway.startNow();
  }

  static ItEnvironment.Gateway newGateway() throws Exception {
    ItEnvironment.Gateway g =
        new ItEnvironment.Gateway(
            "gateway-crash", server.base(), ItEnvironment.MOSQUITTO, dataDir, CLIENT_ID);
    g.env.put("VITALS_MQTT_TOPIC", "vitals/v1/" + GW + "/+/+");
    return g;
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.stopNow();
      Publisher.removeSession(ItEnvironment.MOSQUITTO, CLIENT_ID);
    }
  }

  /** Publishes {@code total} spo2 readings over 5 devices at about {@code perSecond}. */
  static CompletableFuture<Integer> stream(
      String tag, List<String> devices, int total, int perSecond) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Publisher pub = new Publisher(ItEnvironment.MOSQUITTO)) {
            long start = System.nanoTime();
            long ts = Instant.now().minusSeconds(600).toEpochMilli();
            for (int i = 0; i < total; i++) {
              String d = devices.get(i % devices.size());
              pub.publish(
                  "vitals/v1/" + GW + "/" + d + "/spo2",
                  MqttIngestIT.numeric(d, i, ts + i, "spo2", String.valueOf(90 + i % 10), "%"));
              long due = start + (long) ((i + 1) * 1e9 / perSecond);
              long wait = due - System.nanoTime();
              if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
              }
            }
            return pub.flush();
          } catch (Exception e) {
            throw new IllegalStateException(tag + " stream failed: " + e, e);
          }
        });
  }

  static List<String> assignedDevices(String tag, String patient) throws Exception {
    List<String> devices = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String d = "it-" + RUN + "-" + tag + "-" + i;
      devices.add(d);
      GatewayHttp.put(
          gateway.http() + "/api/devices/" + d + "/assignment",
          "{\"patient\":\""
              + patient
              + "\",\"start\":\""
              + Instant.now().minusSeconds(3600)
              + "\"}");
    }
    return devices;
  }

  @Test
  @Order(1)
  void killingTheGatewayMidStreamLosesNothingAcknowledgedAndDoublesNothing() throws Exception {
    String patient = ItEnvironment.createPatient(fhir, "Crash");
    List<String> devices = assignedDevices("crash", patient);
    String query = "subject=" + patient;
    int total = 600;
    CompletableFuture<Integer> published = stream("crash", devices, total, 20);
    await().atMost(Duration.ofMinutes(2)).until(() -> ItEnvironment.count(fhir, query) >= 100);
    gateway.killNow(); // SIGKILL: no shutdown hook, no flush, batches in flight are lost
    int beforeRestart = ItEnvironment.count(fhir, query);
    assertThat(beforeRestart).isLessThan(total);
    gateway = newGateway();
    gateway.startNow();
    assertThat(published.get()).isEqualTo(total); // the broker acknowledged every reading
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> ItEnvironment.count(fhir, query) >= total);
    Thread.sleep(5000); // redeliveries still in flight would show up as extra Observations
    assertThat(ItEnvironment.count(fhir, query)).isEqualTo(total);
  }

  @Test
  @Order(2)
  void fhirServerDownThenEverythingArrives() throws Exception {
    String patient = ItEnvironment.createPatient(fhir, "Outage");
    List<String> devices = assignedDevices("outage", patient);
    String query = "subject=" + patient;
    int total = 600;
    CompletableFuture<Integer> published = stream("outage", devices, total, 20);
    await().atMost(Duration.ofMinutes(2)).until(() -> ItEnvironment.count(fhir, query) >= 50);
    server.killNow();
    // Down for 10 s plus its restart (tens of seconds): the stream's 30 s end while it is down.
    Thread.sleep(10_000);
    server.restart();
    assertThat(published.get()).isEqualTo(total);
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> ItEnvironment.count(fhir, query) >= total);
    Thread.sleep(3000);
    assertThat(ItEnvironment.count(fhir, query)).isEqualTo(total);
    assertThat(
            GatewayHttp.get(gateway.http() + "/actuator/metrics/vitals.gateway.fhir.retries")
                .path("measurements")
                .get(0)
                .path("value")
                .asDouble())
        .isGreaterThan(0);
  }

  @Test
  @Order(3)
  void aGatewayWithTheWrongKeySaysSoAndLosesNothingUntilItIsFixed() throws Exception {
    String patient = ItEnvironment.createPatient(fhir, "WrongKey");
    List<String> devices = assignedDevices("wrongkey", patient);
    gateway.stopNow();
    // The same gateway (client id, session, data) restarted with a key that is not registered.
    Path wrongKey = Files.createTempFile("gateway-it-wrong", ".private.jwk.json");
    Files.writeString(
        wrongKey,
        new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_384)
            .keyID(ItEnvironment.GATEWAY_KEY.getKeyID())
            .generate()
            .toJSONString());
    gateway = newGateway();
    gateway.env.put("VITALS_FHIR_CLIENT_KEY", wrongKey.toString());
    gateway.startNow();
    String query = "subject=" + patient;
    assertThat(stream("wrongkey", devices, 20, 20).get()).isEqualTo(20);
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                GatewayHttp.getAny(gateway.http() + "/actuator/health")
                    .path("components")
                    .path("fhir")
                    .path("details")
                    .path("auth")
                    .asText()
                    .contains("invalid_client"));
    String auth =
        GatewayHttp.getAny(gateway.http() + "/actuator/health")
            .path("components")
            .path("fhir")
            .path("details")
            .path("auth")
            .asText();
    assertThat(auth).contains("VITALS_FHIR_CLIENT_KEY").doesNotContain(wrongKey.toString());
    assertThat(ItEnvironment.count(fhir, query)).isZero();
    // Refused access is the gateway's problem, not the readings': nothing is dead-lettered.
    assertThat(
            GatewayHttp.get(gateway.http() + "/api/dead-letters?status=all").path("total").asInt())
        .isZero();

    gateway.stopNow();
    gateway = newGateway(); // the registered key again: the broker redelivers the 20 readings
    gateway.startNow();
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> ItEnvironment.count(fhir, query) >= 20);
    Thread.sleep(3000);
    assertThat(ItEnvironment.count(fhir, query)).isEqualTo(20);
  }
}
