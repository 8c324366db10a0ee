package org.vitals.cds.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.vitals.cds.CdsHooksApplication;
import org.vitals.cds.monitor.AlertResources;
import org.vitals.cds.monitor.Monitor;
import org.vitals.cds.monitor.MonitorSubscriptions;

/**
 * The monitor catches up with vital signs written while it was down (decision 0706), against the
 * real FHIR server on PostgreSQL: the service is started, stopped and started again as a whole
 * Spring application. A deterioration written while it is stopped raises its alert exactly once
 * after the next start; a later start whose watermark lags behind (so every reading is replayed)
 * raises no second alert.
 */
class MonitorCatchUpIT {

  static FhirServerProcess server;
  static int port;

  @BeforeAll
  static void startServer() throws Exception {
    server = FhirServerProcess.shared();
    port = FhirServerProcess.freePort();
  }

  /** The whole service with its monitor on, like {@code java -jar cds-hooks.jar}. */
  static ConfigurableApplicationContext startMonitor(Path dataDir) {
    // Command-line arguments: they win over application.yaml (default properties would not).
    ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(CdsHooksApplication.class)
            .web(WebApplicationType.SERVLET)
            .run(
                "--server.port=" + port,
                "--vitals.cds.fhir-url=" + server.base(),
                "--vitals.cds.auth=off",
                "--vitals.cds.data-dir=" + dataDir,
                "--vitals.cds.monitor.callback-url=http://127.0.0.1:" + port + "/monitor/hook");
    MonitorSubscriptions subscriptions = ctx.getBean(MonitorSubscriptions.class);
    await().atMost(Duration.ofSeconds(90)).until(subscriptions::active);
    MonitorWrites.awaitFirstCatchUpEvaluated(ctx.getBean(Monitor.class));
    return ctx;
  }

  IGenericClient fhir() {
    return MonitorWrites.client(server.base());
  }

  String newPatient() {
    return MonitorWrites.newPatient(fhir(), List.of("monitor", "thermo", "cuff"));
  }

  void write(List<Observation> obs) {
    MonitorWrites.write(fhir(), obs);
  }

  static List<Observation> tick(String p, Instant t, double hr, double spo2, double rr) {
    return MonitorWrites.tick(p, t, hr, spo2, rr);
  }

  List<DetectedIssue> alerts(String p) {
    return MonitorWrites.alerts(fhir(), p);
  }

  static String state(DetectedIssue d) {
    return MonitorWrites.state(d);
  }

  /** Waits until the monitor has evaluated everything its catch-up queued (and n more). */
  static void evaluatedCatchUp(Monitor m, long atLeast) {
    await().atMost(Duration.ofSeconds(120)).until(() -> m.caughtUp() >= atLeast);
    await().atMost(Duration.ofSeconds(120)).until(() -> m.evaluations() >= m.caughtUp());
  }

  @Test
  void vitalsWrittenWhileTheMonitorWasDownRaiseTheirAlertOnceAfterItStarts() throws Exception {
    Path dataDir = Files.createTempDirectory("cds-catch-up");
    Path watermark = dataDir.resolve("monitor-watermark");

    // Run 1: the monitor sees a normal background and stores how far it got.
    String p;
    Instant t;
    try (ConfigurableApplicationContext run1 = startMonitor(dataDir)) {
      Monitor m = run1.getBean(Monitor.class);
      p = newPatient();
      long before = m.evaluations();
      Instant start = Instant.now().minusSeconds(120);
      write(MonitorWrites.background(p, start));
      t = start.plusSeconds(20);
      await().atMost(Duration.ofSeconds(60)).until(() -> m.evaluations() >= before + 62);
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.isRegularFile(watermark));
    }
    Instant storedMark = Instant.parse(Files.readString(watermark).trim());
    // Nothing may reach the next run by delivery (the FHIR server could retry refused rest-hooks):
    // switch the Subscriptions off (they cannot be deleted: AuditEvents reference them), so only
    // the catch-up can find what is written now.
    MonitorWrites.switchOffSubscriptions(fhir(), "http://127.0.0.1:" + port + "/monitor/hook");

    // The monitor is down: a deterioration is written (RR 26, SpO2 90, HR 125, T 38.6, BP 95/60
    // held for 20 s: NEWS2 11), and nothing evaluates it.
    Instant beforeDeterioration = Instant.now();
    List<Observation> first = tick(p, t, 125, 90, 26);
    first.add(FhirFixtures.temperature(p, t, 38.6));
    first.add(FhirFixtures.bloodPressure(p, t, 95, 60));
    write(first);
    for (int s = 1; s <= 20; s++) {
      write(tick(p, t.plusSeconds(s), 125, 90, 26));
    }
    assertThat(alerts(p)).as("no monitor is running").isEmpty();

    // Run 2: started again with the same data directory, it catches up from its watermark.
    try (ConfigurableApplicationContext run2 = startMonitor(dataDir)) {
      Monitor m = run2.getBean(Monitor.class);
      evaluatedCatchUp(m, 5 + 20 * 3);
      await().atMost(Duration.ofSeconds(60)).until(() -> alerts(p).size() == 1);
      // Give a duplicate every chance to appear before counting.
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      List<DetectedIssue> alerts = alerts(p);
      assertThat(alerts).hasSize(1);
      DetectedIssue d = alerts.get(0);
      assertThat(state(d)).isIn("raised", "escalated");
      assertThat(
              ((IntegerType) d.getExtensionByUrl(AlertResources.EXT_LEVEL).getValue()).getValue())
          .isEqualTo(3);
      assertThat(d.getEvidenceFirstRep().getDetail())
          .anyMatch(r -> r.getReference().startsWith("Observation/"));
    }
    assertThat(Instant.parse(Files.readString(watermark).trim()))
        .as("the watermark moved on past the caught-up readings")
        .isAfter(storedMark);

    // Run 3: a watermark that lags behind (as after a crash before it was stored) replays the
    // whole deterioration: the open alert is continued, not raised a second time.
    Path lagging = Files.createTempDirectory("cds-catch-up-lagging");
    Files.writeString(
        lagging.resolve("monitor-watermark"), beforeDeterioration.minusSeconds(5) + "\n");
    try (ConfigurableApplicationContext run3 = startMonitor(lagging)) {
      Monitor m = run3.getBean(Monitor.class);
      evaluatedCatchUp(m, 5 + 20 * 3);
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      List<DetectedIssue> alerts = alerts(p);
      assertThat(alerts).as("replayed readings raise no second alert").hasSize(1);
      assertThat(state(alerts.get(0))).isIn("raised", "escalated");
    }
  }
}
