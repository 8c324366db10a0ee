package org.vitals.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.VitalSignsValidator;
import org.vitals.gateway.summary.SummaryObservation;

/**
 * Minute-summary storage end to end (decision 0209): the real Mosquitto, the real FHIR server on
 * PostgreSQL, the gateway as a process with {@code VITALS_NUMERICS_STORAGE=minute-summary}. A
 * minute of 1-Hz heart rate gives the exception readings as their own Observations at once and the
 * minute as one summary, also when the gateway is killed (SIGKILL) after acknowledging the minute
 * and before the summary was written. The first gateway keeps the minute open for a 120-s grace, so
 * it is still open when the gateway is killed; the restarted gateway runs with a 10-s grace (the
 * default), so the minute it finds in its journal is overdue and closes at once: the test waits for
 * neither a minute boundary nor a grace.
 */
class MinuteSummaryIT {
  static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  static final String GW = "it-sum-gw-" + RUN;
  static final String CLIENT_ID = "it-sum-" + RUN;
  static ItEnvironment.FhirServer server;
  static IGenericClient fhir;
  static Path dataDir;
  static ItEnvironment.Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    ItEnvironment.requireMosquitto();
    server = ItEnvironment.fhir();
    fhir = ItEnvironment.client(server.base());
    dataDir = Files.createTempDirectory("gw-sum-it");
    gateway = newGateway("120s");
    gateway.startNow();
  }

  static ItEnvironment.Gateway newGateway(String grace) throws Exception {
    ItEnvironment.Gateway g =
        new ItEnvironment.Gateway(
            "gateway-summary", server.base(), ItEnvironment.MOSQUITTO, dataDir, CLIENT_ID);
    g.env.put("VITALS_MQTT_TOPIC", "vitals/v1/" + GW + "/+/+");
    g.env.put("VITALS_NUMERICS_STORAGE", "minute-summary");
    g.env.put("VITALS_NUMERICS_SUMMARY_GRACE", grace);
    return g;
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.stopNow();
      Publisher.removeSession(ItEnvironment.MOSQUITTO, CLIENT_ID);
    }
  }

  @Test
  void exceptionsAtOnceAndTheMinuteAsOneSummaryThatSurvivesAKill() throws Exception {
    String patient = ItEnvironment.createPatient(fhir, "MinuteSummary");
    String dev = "it-" + RUN + "-sum-mon";
    GatewayHttp.put(
        gateway.http() + "/api/devices/" + dev + "/assignment",
        "{\"patient\":\"" + patient + "\",\"start\":\"" + Instant.now().minusSeconds(3600) + "\"}");
    // The previous minute: it ended less than 60 s ago, so the 120-s grace keeps it open for at
    // least another 60 s, past the kill below.
    long minute = Instant.now().getEpochSecond() / 60 * 60 - 60;
    try (Publisher pub = new Publisher(ItEnvironment.MOSQUITTO)) {
      for (int i = 0; i < 60; i++) {
        boolean abnormal = i >= 20 && i <= 22; // 135 /min: NEWS2 3 points
        boolean lost = i == 40; // lead off
        String payload =
            String.format(
                "{\"v\":1,\"dev\":\"%s\",\"boot\":1,\"seq\":%d,\"ts\":%d,\"metric\":\"hr\","
                    + "\"val\":%s,\"unit\":\"/min\",\"st\":[\"%s\"]}",
                dev,
                i,
                (minute + i) * 1000,
                lost ? "null" : abnormal ? "135" : "72",
                lost ? "lead_off" : "valid");
        pub.publish("vitals/v1/" + GW + "/" + dev + "/hr", payload);
      }
      assertThat(pub.flush()).isEqualTo(60);
    }
    // Exceptions, at once: the first reading, 3 abnormal, the return to normal, the lead-off and
    // the return to valid.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ItEnvironment.count(fhir, "subject=" + patient) >= 7);
    // Every reading taken (journaled or written), then a real kill before the minute closes.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                GatewayHttp.counter(gateway.http(), "summarised-only")
                        + GatewayHttp.counter(gateway.http(), "written")
                        + GatewayHttp.counter(gateway.http(), "dead-lettered")
                    >= 60);
    Thread.sleep(1000); // the journal's flush and the PUBACKs (every 50 ms)
    assertThat(summaries(patient)).isEmpty();
    assertThat(Instant.now()).isBefore(Instant.ofEpochSecond(minute + 60 + 120));
    gateway.killNow();
    gateway = newGateway("10s");
    gateway.startNow();

    await()
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> !summaries(patient).isEmpty());
    List<Observation> s = summaries(patient);
    assertThat(s).hasSize(1);
    Observation o = s.get(0);
    assertThat(o.getIdentifierFirstRep().getValue()).isEqualTo(dev + "/hr/" + minute);
    assertThat(o.getValueQuantity().getValue()).isEqualByComparingTo(new BigDecimal("72"));
    assertThat(component(o, "maximum").getValueQuantity().getValue())
        .isEqualByComparingTo(new BigDecimal("135"));
    assertThat(((IntegerType) component(o, "count").getValue()).getValue()).isEqualTo(59);
    assertThat(VitalSignsValidator.errorsIgnoringVs1OnPeriod(o)).isEmpty();
    assertThat(ItEnvironment.count(fhir, "subject=" + patient)).isEqualTo(7);
    try (var files = Files.list(dataDir.resolve("device-gateway/summaries"))) {
      assertThat(files.toList()).as("journal deleted after commit").isEmpty();
    }
  }

  static List<Observation> summaries(String patient) {
    Bundle b =
        fhir.search()
            .byUrl(
                "Observation?subject="
                    + patient
                    + "&_tag="
                    + SummaryObservation.AGGREGATION_SYSTEM
                    + "|minute")
            .returnBundle(Bundle.class)
            .execute();
    return b.getEntry().stream().map(e -> (Observation) e.getResource()).toList();
  }

  static Observation.ObservationComponentComponent component(Observation o, String code) {
    return o.getComponent().stream()
        .filter(c -> c.getCode().getCodingFirstRep().getCode().equals(code))
        .findFirst()
        .orElseThrow();
  }
}
