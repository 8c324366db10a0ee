package org.vitals.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vitals.gateway.TestReadings.ecg;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.VitalSignsValidator;

/**
 * MQTT (the real Mosquitto) to the real FHIR server on PostgreSQL, through the gateway jar running
 * as a process: every metric, duplicates, 10,000 readings, bad payloads, unassigned devices,
 * reassignment, the mapping harness and a third-party device template.
 */
class MqttIngestIT {
  static final String RUN = Long.toString(System.currentTimeMillis(), 36);

  /** Our own gateway id: the gateway subscribes to it alone, not to other traffic on the broker. */
  static final String GW = "it-gw-" + RUN;

  static ItEnvironment.Gateway gateway;
  static IGenericClient fhir;
  static Publisher pub;
  static Path dataDir;

  @BeforeAll
  static void start() throws Exception {
    ItEnvironment.requireMosquitto();
    ItEnvironment.FhirServer server = ItEnvironment.fhir();
    fhir = ItEnvironment.client(server.base());
    dataDir = Files.createTempDirectory("gw-it");
    gateway =
        new ItEnvironment.Gateway(
            "gateway-ingest", server.base(), ItEnvironment.MOSQUITTO, dataDir, "it-ingest-" + RUN);
    gateway.env.put("VITALS_MQTT_TOPIC", "vitals/v1/" + GW + "/+/+");
    gateway.startNow();
    pub = new Publisher(ItEnvironment.MOSQUITTO);
  }

  @AfterAll
  static void stop() throws Exception {
    if (pub != null) {
      pub.close();
    }
    if (gateway != null) {
      gateway.stopNow();
      Publisher.removeSession(ItEnvironment.MOSQUITTO, "it-ingest-" + RUN);
      Publisher.removeSession(ItEnvironment.MOSQUITTO, "it-ingest-" + RUN + "-acme-" + RUN);
    }
  }

  static String dev(String name) {
    return "it-" + RUN + "-" + name;
  }

  static String topic(String dev, String metric) {
    return "vitals/v1/" + GW + "/" + dev + "/" + metric;
  }

  static String numeric(String dev, long seq, long ts, String metric, String val, String unit) {
    return String.format(
        "{\"v\":1,\"dev\":\"%s\",\"boot\":1,\"seq\":%d,\"ts\":%d,\"metric\":\"%s\",\"val\":%s,\"unit\":\"%s\",\"st\":[\"valid\"]}",
        dev, seq, ts, metric, val, unit);
  }

  static void assign(String dev, String patient, Instant start) throws Exception {
    GatewayHttp.put(
        gateway.http() + "/api/devices/" + dev + "/assignment",
        "{\"patient\":\""
            + patient
            + "\""
            + (start == null ? "" : ",\"start\":\"" + start + "\"")
            + "}");
  }

  static List<Observation> observations(String query) {
    List<Observation> out = new ArrayList<>();
    Bundle b =
        fhir.search()
            .byUrl("Observation?" + query + "&_count=500")
            .returnBundle(Bundle.class)
            .execute();
    while (true) {
      b.getEntry().forEach(e -> out.add((Observation) e.getResource()));
      if (b.getLink(Bundle.LINK_NEXT) == null) {
        return out;
      }
      b = fhir.loadPage().next(b).execute();
    }
  }

  static void awaitCount(String query, int n, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> ItEnvironment.count(fhir, query) >= n);
  }

  @Test
  void everyMetricBecomesAnObservationThatValidatesAgainstTheVitalSignsProfiles() throws Exception {
    String patient = ItEnvironment.createPatient(fhir, "AllMetrics");
    Instant t0 = Instant.now().minusSeconds(60);
    String mon = dev("all-mon"),
        cuff = dev("all-bp"),
        glu = dev("all-glu"),
        ecgDev = dev("all-ecg");
    for (String d : List.of(mon, cuff, glu, ecgDev)) {
      assign(d, patient, t0);
    }
    long ts = Instant.now().toEpochMilli();
    pub.publish(topic(mon, "hr"), numeric(mon, 1, ts, "hr", "72", "/min"));
    pub.publish(topic(mon, "pr"), numeric(mon, 2, ts, "pr", "71", "/min"));
    pub.publish(topic(mon, "spo2"), numeric(mon, 3, ts, "spo2", "97", "%"));
    pub.publish(topic(mon, "rr"), numeric(mon, 4, ts, "rr", "16", "/min"));
    pub.publish(topic(mon, "temp"), numeric(mon, 5, ts, "temp", "98.6", "[degF]"));
    pub.publish(
        topic(mon, "spo2"),
        "{\"v\":1,\"dev\":\""
            + mon
            + "\",\"boot\":1,\"seq\":6,\"ts\":"
            + ts
            + ",\"metric\":\"spo2\",\"val\":null,\"unit\":\"%\",\"st\":[\"probe_off\"]}");
    pub.publish(
        topic(cuff, "bp"),
        "{\"v\":1,\"dev\":\""
            + cuff
            + "\",\"boot\":1,\"seq\":1,\"ts\":"
            + ts
            + ",\"metric\":\"bp\",\"unit\":\"kPa\",\"cmp\":{\"150021\":16,\"150022\":10.67,\"150023\":12.4},\"pr\":{\"val\":70,\"unit\":\"/min\"}}");
    pub.publish(topic(glu, "glucose"), numeric(glu, 1, ts, "glucose", "5.5", "mmol/L"));
    long window = (ts / 10_000) * 10_000 - 20_000; // a complete 10-s window in the past
    for (int i = 0; i < 10; i++) {
      pub.publish(topic(ecgDev, "ecg"), ecg(ecgDev, 100 + i, window + i * 1000L, 250));
    }
    pub.flush();

    String query = "subject=" + patient;
    awaitCount(query, 10, Duration.ofMinutes(2));
    List<Observation> all = observations(query);
    assertThat(all).hasSize(10);
    for (Observation o : all) {
      assertThat(VitalSignsValidator.errors(o)).as(o.getIdentifierFirstRep().getValue()).isEmpty();
      assertThat(o.getDevice().getReference()).startsWith("Device/");
      assertThat(
              o.getExtensionByUrl(
                  "http://hl7.org/fhir/StructureDefinition/observation-gatewayDevice"))
          .isNotNull();
    }
    Observation temp = find(all, mon + ":1:5");
    assertThat(temp.getValueQuantity().getValue()).isEqualByComparingTo("37");
    assertThat(temp.getValueQuantity().getCode()).isEqualTo("Cel");
    Observation bp = find(all, cuff + ":1:1");
    assertThat(bp.getComponent()).hasSize(3);
    assertThat(bp.getComponent().get(0).getValueQuantity().getValue()).isEqualByComparingTo("120");
    assertThat(find(all, cuff + ":1:1:pr").getValueQuantity().getValue())
        .isEqualByComparingTo("70");
    assertThat(find(all, glu + ":1:1").getValueQuantity().getValue()).isEqualByComparingTo("99.1");
    assertThat(find(all, mon + ":1:6").getDataAbsentReason().getCodingFirstRep().getCode())
        .isEqualTo("error");
    Observation strip = find(all, ecgDev + ":1:ecg:100-109");
    assertThat(strip.getComponentFirstRep().getValueSampledData().getData().split(" "))
        .hasSize(2500);
  }

  static Observation find(List<Observation> all, String identity) {
    return all.stream()
        .filter(o -> o.getIdentifierFirstRep().getValue().equals(identity))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Observation " + identity));
  }

  @Test
  void theSameReadingPublishedTwiceGivesOneObservation() throws Exception {
    String patient = ItEnvironment.createPatient(fhir, "Duplicates");
    String mon = dev("dup-mon");
    assign(mon, patient, Instant.now().minusSeconds(60));
    long ts = Instant.now().toEpochMilli();
    for (int i = 0; i < 3; i++) {
      pub.publish(topic(mon, "hr"), numeric(mon, 7, ts, "hr", "80", "/min"));
    }
    pub.publish(topic(mon, "hr"), numeric(mon, 8, ts + 1000, "hr", "81", "/min"));
    pub.flush();
    awaitCount("subject=" + patient, 2, Duration.ofMinutes(1));
    double received = GatewayHttp.counter(gateway.http(), "received");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> GatewayHttp.counter(gateway.http(), "received") >= received);
    Thread.sleep(3000); // let any late duplicate finish its batch
    assertThat(ItEnvironment.count(fhir, "identifier=urn:vitals:sid:reading|" + mon + ":1:7"))
        .isEqualTo(1);
    assertThat(ItEnvironment.count(fhir, "subject=" + patient)).isEqualTo(2);
  }

  @Test
  void tenThousandReadingsGiveExactlyTenThousandObservations() throws Exception {
    String patient = ItEnvironment.createPatient(fhir, "TenThousand");
    List<String> devices = new ArrayList<>();
    for (int d = 0; d < 10; d++) {
      devices.add(dev("bulk-" + d));
      assign(devices.get(d), patient, Instant.now().minusSeconds(3600));
    }
    long ts = Instant.now().minusSeconds(1200).toEpochMilli();
    for (int i = 0; i < 1000; i++) {
      for (String d : devices) {
        pub.publish(
            topic(d, "spo2"),
            numeric(d, i, ts + i * 1000L, "spo2", String.valueOf(90 + i % 10), "%"));
      }
    }
    assertThat(pub.flush()).isGreaterThanOrEqualTo(10_000);
    String query = "subject=" + patient;
    awaitCount(query, 10_000, Duration.ofMinutes(8));
    Thread.sleep(3000);
    assertThat(ItEnvironment.count(fhir, query)).isEqualTo(10_000);
  }

  @Test
  void badPayloadsAreDeadLetteredWithReasonsWhileTheirNeighboursArrive() throws Exception {
    String patient = ItEnvironment.createPatient(fhir, "BadPayloads");
    String mon = dev("bad-mon");
    assign(mon, patient, Instant.now().minusSeconds(60));
    long ts = Instant.now().toEpochMilli();
    int seq = 0;
    pub.publish(topic(mon, "hr"), numeric(mon, ++seq, ts, "hr", "70", "/min"));
    pub.publish(topic(mon, "hr"), "{\"v\":1,\"dev\":\"" + mon + "\",\"seq\":"); // malformed JSON
    pub.publish(topic(mon, "hr"), numeric(mon, ++seq, ts, "hr", "71", "/min"));
    pub.publish(topic(mon, "hr"), numeric(mon, ++seq, ts, "hr", "72", "bpm")); // wrong unit
    pub.publish(topic(mon, "spo2"), numeric(mon, ++seq, ts, "spo2", "96", "%"));
    pub.publish(topic(mon, "spo2"), numeric(mon, ++seq, ts, "spo2", "140", "%")); // impossible
    pub.publish(topic(mon, "hr"), numeric(mon, ++seq, ts, "hr", "73", "/min"));
    pub.publish(topic(mon, "hr"), numeric(mon, ++seq, ts, "hr", "-5", "/min")); // negative
    pub.publish(topic(mon, "rr"), numeric(mon, ++seq, ts, "rr", "15", "/min"));
    pub.publish(
        topic(mon, "weight"), numeric(mon, ++seq, ts, "weight", "70", "kg")); // unknown metric
    pub.publish(topic(mon, "hr"), numeric(mon, ++seq, ts, "hr", "74", "/min"));
    pub.publish(topic(mon, "hr"), "{\"v\":1,\"pad\":\"" + "x".repeat(70_000) + "\"}"); // oversized
    pub.publish(topic(mon, "pr"), numeric(mon, ++seq, ts, "pr", "75", "/min"));
    pub.flush();

    awaitCount("subject=" + patient, 7, Duration.ofMinutes(1));
    List<String> reasons = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              reasons.clear();
              for (JsonNode e :
                  GatewayHttp.get(gateway.http() + "/api/dead-letters?limit=1000")
                      .path("entries")) {
                if (e.path("topic").asText().contains(mon)) {
                  reasons.add(e.path("reason").asText());
                  assertThat(e.path("detail").asText()).isNotBlank();
                  assertThat(e.path("payload").asText()).isNotBlank();
                  assertThat(e.path("receivedAt").asText()).isNotBlank();
                }
              }
              return reasons.size() >= 6;
            });
    assertThat(reasons)
        .containsExactlyInAnyOrder(
            "malformed-json",
            "unit-not-allowed",
            "implausible-value",
            "implausible-value",
            "unknown-metric",
            "payload-too-large");
    Thread.sleep(1000);
    assertThat(ItEnvironment.count(fhir, "subject=" + patient)).isEqualTo(7);
  }

  @Test
  void unassignedDeviceReadingsAreKeptAndReplayedAfterAssignment() throws Exception {
    String mon = dev("lonely-mon");
    long ts = Instant.now().toEpochMilli();
    pub.publish(topic(mon, "spo2"), numeric(mon, 1, ts, "spo2", "95", "%"));
    pub.flush();
    // The device's own entries, whatever else the store holds (a busy broker fills it with
    // other devices' unassigned readings).
    String mine = gateway.http() + "/api/dead-letters?reason=unassigned-device&device=" + mon;
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> GatewayHttp.get(mine).path("entries").toString().contains(mon + ":1:1"));
    JsonNode entry = GatewayHttp.get(mine).path("entries").get(0);
    assertThat(entry.path("device").asText()).isEqualTo(mon);
    assertThat(entry.path("identity").asText()).isEqualTo(mon + ":1:1");

    String patient = ItEnvironment.createPatient(fhir, "Lonely");
    assign(mon, patient, Instant.ofEpochMilli(ts).minusSeconds(60));
    JsonNode r =
        GatewayHttp.post(
            gateway.http() + "/api/dead-letters/replay?reason=unassigned-device&device=" + mon, "");
    assertThat(r.path("replayed").asInt()).isEqualTo(1);
    assertThat(r.path("settled").asBoolean()).isTrue();
    awaitCount("subject=" + patient, 1, Duration.ofSeconds(30));
    assertThat(GatewayHttp.get(mine).path("total").asInt()).isZero();
    JsonNode replayed = GatewayHttp.get(mine.replace("reason=", "status=replayed&reason="));
    assertThat(replayed.path("entries").get(0).path("id").asLong())
        .isEqualTo(entry.path("id").asLong());
  }

  @Test
  void reassignmentTakesEffectForTheNextReading() throws Exception {
    String a = ItEnvironment.createPatient(fhir, "First");
    String b = ItEnvironment.createPatient(fhir, "Second");
    String mon = dev("moving-mon");
    Instant t0 = Instant.now().minusSeconds(60);
    assign(mon, a, t0);
    pub.publish(
        topic(mon, "hr"), numeric(mon, 1, Instant.now().toEpochMilli(), "hr", "66", "/min"));
    pub.flush();
    awaitCount("subject=" + a, 1, Duration.ofMinutes(1));
    Instant switchAt = Instant.now();
    assign(mon, b, switchAt);
    pub.publish(
        topic(mon, "hr"),
        numeric(mon, 2, switchAt.plusSeconds(1).toEpochMilli(), "hr", "67", "/min"));
    pub.flush();
    awaitCount("subject=" + b, 1, Duration.ofMinutes(1));
    assertThat(ItEnvironment.count(fhir, "subject=" + a)).isEqualTo(1);
    JsonNode device = GatewayHttp.get(gateway.http() + "/api/devices/" + mon);
    assertThat(device.path("patient").asText()).isEqualTo(b);
    assertThat(device.path("assignments")).hasSize(2);
  }

  @Test
  void mappingHarnessShowsWhatATemplateMakesOfAPayload() throws Exception {
    String mon = dev("harness");
    JsonNode ok =
        GatewayHttp.post(
            gateway.http() + "/api/templates/test",
            "{\"topic\":\""
                + topic(mon, "spo2")
                + "\",\"payload\":"
                + numeric(mon, 1, 1732680000123L, "spo2", "97", "%")
                + "}");
    assertThat(ok.path("ok").asBoolean()).isTrue();
    assertThat(ok.path("observations").get(0).path("code").toString())
        .contains("2708-6", "59408-5", "150456");
    JsonNode bad =
        GatewayHttp.post(
            gateway.http() + "/api/templates/test",
            "{\"topic\":\""
                + topic(mon, "spo2")
                + "\",\"payload\":"
                + numeric(mon, 1, 1732680000123L, "spo2", "140", "%")
                + "}");
    assertThat(bad.path("ok").asBoolean()).isFalse();
    assertThat(bad.path("reason").asText()).isEqualTo("implausible-value");
  }

  @Test
  void aThirdPartyDeviceNeedsATemplateFileNotCode() throws Exception {
    String patient = ItEnvironment.createPatient(fhir, "ThirdParty");
    String serial = "ACME-" + RUN;
    assign(serial, patient, Instant.now().minusSeconds(60));
    Files.createDirectories(dataDir.resolve("templates"));
    Files.writeString(
        dataDir.resolve("templates/acme-" + RUN + ".yaml"),
        """
        devices:
          - name: acme-%s
            topic: "acme-%s/+/telemetry"
            gatewayId: "acme-bridge"
            deviceId: "$.serial"
            seq: "$.counter"
            timestamp: "$.measured"
            timestampFormat: epoch-ms
            values:
              - { metric: spo2, value: "$.readings.sat", unit: "%%" }
              - { metric: pr, value: "$.readings.pulse", unit: "/min" }
        """
            .formatted(RUN, RUN));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                GatewayHttp.get(gateway.http() + "/api/templates")
                    .path("devices")
                    .toString()
                    .contains("acme-" + RUN));
    Thread.sleep(2000); // the new subscription
    pub.publish(
        "acme-" + RUN + "/ward3/telemetry",
        "{\"serial\":\""
            + serial
            + "\",\"counter\":5,\"measured\":"
            + Instant.now().toEpochMilli()
            + ",\"readings\":{\"sat\":95,\"pulse\":77}}");
    pub.flush();
    awaitCount("subject=" + patient, 2, Duration.ofMinutes(1));
    for (Observation o : observations("subject=" + patient)) {
      assertThat(VitalSignsValidator.errors(o)).isEmpty();
    }
  }

  @Test
  void theSimulatorWritesASyntheaPersonWhoseReadingsArrive() throws Exception {
    // A real Synthea 3.3.0 person (src/test/resources/synthea), as scripts/simulate --synthea
    // hands it over; the simulator runs as its own process with a backend-services token.
    Path population = Files.createTempDirectory("synthea-it");
    try (var files = Files.list(Path.of("src/test/resources/synthea"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        Files.copy(f, population.resolve(f.getFileName()));
      }
    }
    Path key = Files.createTempFile("it-admin", ".private.jwk.json");
    Files.writeString(key, ItEnvironment.TEST_KEY.toJSONString());
    String run = "syn" + RUN;
    ProcessBuilder pb =
        new ProcessBuilder(
            "java",
            "-Xmx512m",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            ItEnvironment.gatewayJar().toString(),
            "simulate",
            "--patients",
            "1",
            "--seconds",
            "5",
            "--mqtt",
            ItEnvironment.MOSQUITTO,
            "--fhir",
            ItEnvironment.fhir().base(),
            "--gateway-id",
            GW,
            "--run-id",
            run,
            "--population",
            population.toString(),
            "--data",
            System.getProperty("vitals.data.dir", "../../shared/data"));
    pb.environment().put("VITALS_FHIR_CLIENT_ID", ItEnvironment.TEST_CLIENT);
    pb.environment().put("VITALS_FHIR_CLIENT_KEY", key.toString());
    Path log = ItEnvironment.LOGS.resolve("simulator-synthea.log");
    Files.createDirectories(ItEnvironment.LOGS);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process sim = pb.start();
    assertThat(sim.waitFor(5, java.util.concurrent.TimeUnit.MINUTES))
        .as("simulator finished")
        .isTrue();
    assertThat(sim.exitValue()).as(ItEnvironment.tail(log)).isZero();
    assertThat(Files.readString(log)).contains("patients from the Synthea population");

    Bundle found =
        fhir.search()
            .byUrl("Patient?identifier=urn:vitals:sid:sim-patient|" + run + "-0")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(found.getEntry()).hasSize(1);
    org.hl7.fhir.r4.model.Patient patient =
        (org.hl7.fhir.r4.model.Patient) found.getEntryFirstRep().getResource();
    assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Glover433");
    String subject = "Patient/" + patient.getIdElement().getIdPart();
    Bundle conditions =
        fhir.search()
            .byUrl("Condition?subject=" + subject + "&_summary=count")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(conditions.getTotal()).isEqualTo(9);
    Bundle medications =
        fhir.search()
            .byUrl("MedicationRequest?subject=" + subject + "&_summary=count")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(medications.getTotal()).isEqualTo(2);
    // SpO2, pulse, heart and respiratory rate each second for 5 s (20 readings, a few may be
    // dead-lettered as the recording's artefacts), through this test's gateway.
    awaitCount("subject=" + subject, 12, Duration.ofMinutes(2));
  }
}
