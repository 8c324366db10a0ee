package org.vitals.cds.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vitals.cds.monitor.AlertResources;
import org.vitals.cds.monitor.Monitor;
import org.vitals.cds.monitor.MonitorSubscriptions;

/**
 * End to end with the real FHIR server on PostgreSQL: vital signs written to the FHIR server reach
 * the monitor through its rest-hook Subscription; a deteriorating patient gets exactly one alert (a
 * DetectedIssue with evidence) and NEWS2 RiskAssessments, a brief artefact gets none, an
 * acknowledgement written to the FHIR server stops escalation while an unacknowledged alert
 * escalates; patient-view reads from fhirServer when nothing was prefetched; recommendations are
 * written as Communications once a week.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
// Its monitor must not outlive the class: the FHIR server is shared (FhirServerProcess.shared).
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class MonitorEndToEndIT {

  static FhirServerProcess server;
  static int port;

  @Autowired Monitor monitor;
  @Autowired MonitorSubscriptions subscriptions;

  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) throws Exception {
    server = FhirServerProcess.shared();
    port = FhirServerProcess.freePort();
    r.add("server.port", () -> port);
    r.add("vitals.cds.fhir-url", server::base);
    r.add("vitals.cds.auth", () -> "off");
    r.add("logging.level.org.vitals.cds.monitor.RestHookController", () -> "DEBUG");
    r.add("vitals.cds.monitor.callback-url", MonitorEndToEndIT::callback);
    r.add("vitals.cds.monitor.ack-timeout-low-medium", () -> "PT10S");
    r.add("vitals.cds.monitor.ack-timeout-medium", () -> "PT10S");
    r.add("vitals.cds.monitor.ack-timeout-high", () -> "PT10S");
    String dataDir = Files.createTempDirectory("cds-e2e").toString();
    r.add("vitals.cds.data-dir", () -> dataDir);
  }

  static String callback() {
    return "http://127.0.0.1:" + port + "/monitor/hook";
  }

  IGenericClient fhir() {
    return MonitorWrites.client(server.base());
  }

  void awaitMonitorReady() {
    await().atMost(Duration.ofSeconds(60)).until(subscriptions::active);
    IGenericClient c = fhir();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Bundle b =
                  c.search()
                      .forResource(Subscription.class)
                      .where(Subscription.URL.matches().value(callback()))
                      .returnBundle(Bundle.class)
                      .execute();
              return b.getEntry().size() >= 2
                  && b.getEntry().stream()
                      .allMatch(
                          e ->
                              ((Subscription) e.getResource()).getStatus()
                                  == Subscription.SubscriptionStatus.ACTIVE);
            });
    // The matcher's in-memory registry picks activated Subscriptions up asynchronously.
    await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);
    MonitorWrites.awaitFirstCatchUpEvaluated(monitor);
  }

  String newPatient() {
    return MonitorWrites.newPatient(fhir(), List.of("monitor", "thermo", "cuff", "cgm", "ecg"));
  }

  void write(List<Observation> obs) {
    MonitorWrites.write(fhir(), obs);
  }

  /** Writes one transaction per second of readings, as a bedside monitor would send them. */
  void ticks(String p, Instant from, int n, double hr, double spo2, double rr) {
    for (int s = 0; s < n; s++) {
      write(tick(p, from.plusSeconds(s), hr, spo2, rr));
    }
  }

  /** Waits until the monitor has evaluated every Observation written so far. */
  void caughtUp(long expected) {
    await().atMost(Duration.ofSeconds(60)).until(() -> monitor.evaluations() >= expected);
  }

  static List<Observation> tick(String p, Instant t, double hr, double spo2, double rr) {
    return MonitorWrites.tick(p, t, hr, spo2, rr);
  }

  /** Writes a normal background: 20 s of readings, temperature and BP. Returns the next time. */
  Instant background(String p, Instant start) {
    write(MonitorWrites.background(p, start));
    return start.plusSeconds(20);
  }

  List<DetectedIssue> alerts(String p) {
    return MonitorWrites.alerts(fhir(), p);
  }

  static String state(DetectedIssue d) {
    return MonitorWrites.state(d);
  }

  static int level(DetectedIssue d) {
    return ((IntegerType) d.getExtensionByUrl(AlertResources.EXT_LEVEL).getValue()).getValue();
  }

  @Test
  void deteriorationRaisesOneSourcedAlertAndNews2RiskAssessments() throws Exception {
    awaitMonitorReady();
    String p = newPatient();
    long evaluated = monitor.evaluations();
    Instant t = background(p, Instant.now().minusSeconds(120));
    evaluated += 62;
    caughtUp(evaluated);
    // Deterioration: RR 26, SpO2 90, HR 125, T 38.6, BP 95/60, one second of readings at a time.
    List<Observation> first = tick(p, t, 125, 90, 26);
    first.add(FhirFixtures.temperature(p, t, 38.6));
    first.add(FhirFixtures.bloodPressure(p, t, 95, 60));
    write(first);
    ticks(p, t.plusSeconds(1), 14, 125, 90, 26);
    evaluated += 5 + 14 * 3;
    caughtUp(evaluated);
    assertThat(alerts(p)).as("nothing before SpO2 and HR have held for 15 s").isEmpty();
    // This second completes 15 s of SpO2 ≤ 91 % and HR ≥ 111: the alert is due now.
    long written = System.nanoTime();
    System.out.println("[cds-hooks e2e] writing the completing reading at " + Instant.now());
    write(tick(p, t.plusSeconds(15), 125, 90, 26));
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !alerts(p).isEmpty());
    long latencyMs = (System.nanoTime() - written) / 1_000_000;
    System.out.println(
        "[cds-hooks e2e] alert visible "
            + latencyMs
            + " ms after the reading that completed the condition was written");
    ticks(p, t.plusSeconds(16), 25, 125, 90, 26);
    // Later readings update the same alert: still exactly one.
    write(tick(p, t.plusSeconds(41), 128, 89, 27));
    caughtUp(evaluated + 3 + 25 * 3 + 3);
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
    List<DetectedIssue> alerts = alerts(p);
    assertThat(alerts).hasSize(1);
    DetectedIssue d = alerts.get(0);
    // RR 26 → 3, SpO2 90 → 3, SBP 95 → 2, HR 125 → 2, T 38.6 → 1 = 11: emergency level.
    assertThat(level(d)).isEqualTo(3);
    assertThat(d.getSeverity()).isEqualTo(DetectedIssue.DetectedIssueSeverity.HIGH);
    assertThat(state(d)).isIn("raised", "escalated");
    assertThat(d.getCode().getCodingFirstRep().getCode()).isEqualTo("news2-deterioration");
    assertThat(d.getEvidenceFirstRep().getDetail())
        .anyMatch(r -> r.getReference().startsWith("Observation/"))
        .anyMatch(r -> r.getReference().startsWith("RiskAssessment/"));
    Bundle risks =
        fhir()
            .search()
            .forResource(RiskAssessment.class)
            .where(RiskAssessment.SUBJECT.hasId("Patient/" + p))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(risks.getEntry()).isNotEmpty();
    assertThat(risks.getEntry())
        .anySatisfy(
            e -> {
              RiskAssessment ra = (RiskAssessment) e.getResource();
              assertThat(
                      ((IntegerType) ra.getExtensionByUrl(AlertResources.EXT_NEWS2).getValue())
                          .getValue())
                  .isGreaterThanOrEqualTo(11);
              assertThat(
                      ra.getPredictionFirstRep().getQualitativeRisk().getCodingFirstRep().getCode())
                  .isEqualTo("high");
            });

    // patient-view without prefetch reads the same record from fhirServer.
    ObjectNode body = Prefetch.bare("patient-view", p);
    body.put("fhirServer", server.base());
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/cds-services/vitals-ai"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode resp = json.readTree(r.body());
    CdsContract.response(resp);
    JsonNode top = resp.get("cards").get(0);
    assertThat(top.get("indicator").asText()).isEqualTo("critical");
    assertThat(top.get("summary").asText()).contains("NEWS2").contains("high risk");
  }

  @Test
  void aBriefArtefactRaisesNoAlert() {
    awaitMonitorReady();
    String p = newPatient();
    long before = monitor.evaluations();
    Instant t = background(p, Instant.now().minusSeconds(120));
    ticks(p, t, 5, 75, 72, 15); // probe slipping: SpO2 72 % for 5 s
    ticks(p, t.plusSeconds(5), 30, 75, 97, 15);
    caughtUp(before + 62 + 35 * 3);
    assertThat(alerts(p)).isEmpty();
  }

  @Test
  void acknowledgementStopsEscalationWhileAnUnacknowledgedAlertEscalates() {
    awaitMonitorReady();
    String acked = newPatient();
    String ignored = newPatient();
    Instant start = Instant.now().minusSeconds(120);
    background(acked, start);
    background(ignored, start);
    // RR 26 alone scores 3 once held for 30 s: a low-medium alert (level 1) for both.
    for (int s = 0; s < 35; s++) {
      write(tick(acked, start.plusSeconds(20 + s), 75, 97, 26));
      write(tick(ignored, start.plusSeconds(20 + s), 75, 97, 26));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> alerts(acked).size() == 1 && alerts(ignored).size() == 1);

    // The doctor app acknowledges (within the 10-s timeout): a FHIR update adding a mitigation.
    DetectedIssue d = alerts(acked).get(0);
    int levelAtAck = level(d);
    assertThat(levelAtAck).isEqualTo(1);
    AlertResources.acknowledge(d, "Practitioner/pr1", Instant.now());
    fhir().update().resource(d).execute();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> state(alerts(acked).get(0)).equals("acknowledged"));

    // The ignored alert escalates after its timeout; the acknowledged one stays where it was.
    await().atMost(Duration.ofSeconds(30)).until(() -> level(alerts(ignored).get(0)) >= 2);
    await().pollDelay(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(13)).until(() -> true);
    DetectedIssue ack = alerts(acked).get(0);
    assertThat(level(ack)).isEqualTo(levelAtAck);
    assertThat(state(ack)).isEqualTo("acknowledged");
    assertThat(AlertResources.acknowledgements(ack)).isEqualTo(1);
    DetectedIssue esc = alerts(ignored).get(0);
    assertThat(state(esc)).isEqualTo("escalated");
    assertThat(level(esc)).isGreaterThanOrEqualTo(2);
    assertThat(esc.getDetail()).contains("not acknowledged");
    assertThat(alerts(acked)).hasSize(1);
    assertThat(alerts(ignored)).hasSize(1);
  }

  @Test
  void recommendationsAreWrittenOnceAWeekWithTheirSource() throws Exception {
    String p = newPatient();
    List<Observation> obs = new ArrayList<>();
    Instant now = Instant.now();
    for (int d = 0; d < 5; d++) {
      obs.add(FhirFixtures.bloodPressure(p, now.minus(Duration.ofDays(d)), 146, 92));
    }
    write(obs);
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/recommendations/Patient/" + p))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).contains("bp-lifestyle").contains("bp-home-monitoring");
    }
    Bundle b =
        fhir()
            .search()
            .forResource(Communication.class)
            .where(Communication.SUBJECT.hasId("Patient/" + p))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(b.getEntry()).hasSize(2);
    for (var e : b.getEntry()) {
      Communication c = (Communication) e.getResource();
      assertThat(c.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("instruction");
      assertThat(c.getPayload())
          .anySatisfy(
              pl ->
                  assertThat(
                          pl.hasContentAttachment()
                              && pl.getContentAttachment().getUrl().startsWith("https://doi.org/"))
                      .isTrue());
      String because = c.getPayload().get(1).getContentStringType().getValue();
      assertThat(because).startsWith("Based on your readings: ");
      if (c.getReasonCodeFirstRep().getCodingFirstRep().getCode().equals("bp-lifestyle")) {
        assertThat(because).contains("mean 146/92 mmHg");
      }
    }
  }
}
