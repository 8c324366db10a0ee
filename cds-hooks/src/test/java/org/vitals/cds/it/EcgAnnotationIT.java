package org.vitals.cds.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vitals.cds.ecg.EcgAnnotationResources;
import org.vitals.cds.ecg.EcgAnnotator;
import org.vitals.cds.ecg.EcgCodes;
import org.vitals.cds.monitor.Monitor;
import org.vitals.cds.monitor.MonitorSubscriptions;
import org.vitals.inference.ecg.AamiClass;

/**
 * ECG annotation end to end (decision 0712) with the real FHIR server on PostgreSQL: MIT-BIH
 * fixture strips written to the FHIR server reach the monitor through its ECG Subscription and get
 * one beat annotation each, with the reference classes for known beats of record 208; a redelivered
 * strip gets no second one; record 201's atrial fibrillation becomes one AF episode Observation
 * from about its annotated onset to its end; a strip without values and a flat line get an
 * annotation that says why they were not analysed, with no beats.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
// Its monitor must not outlive the class: the FHIR server is shared (FhirServerProcess.shared).
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class EcgAnnotationIT {

  static FhirServerProcess server;

  /** The service's port: a free one, so two runs of the module on one machine do not collide. */
  static int port;

  @Autowired Monitor monitor;
  @Autowired MonitorSubscriptions subscriptions;
  @Autowired EcgAnnotator annotator;

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) throws Exception {
    server = FhirServerProcess.shared();
    port = FhirServerProcess.freePort();
    r.add("server.port", () -> port);
    r.add("vitals.cds.fhir-url", server::base);
    r.add("vitals.cds.auth", () -> "off");
    r.add("vitals.cds.monitor.callback-url", () -> "http://127.0.0.1:" + port + "/monitor/hook");
    String dataDir = Files.createTempDirectory("cds-ecg").toString();
    r.add("vitals.cds.data-dir", () -> dataDir);
  }

  IGenericClient fhir() {
    return MonitorWrites.client(server.base());
  }

  void awaitMonitorReady() {
    assertThat(annotator.active()).as("the ECG model loaded: %s", annotator.unavailable()).isTrue();
    await().atMost(Duration.ofSeconds(90)).until(subscriptions::active);
    MonitorWrites.awaitFirstCatchUpEvaluated(monitor);
  }

  /**
   * Writes a strip as the gateway does (its own transaction) and returns its id. The fixtures'
   * Period has second precision (HAPI's default for a Date), so the tests start on whole seconds.
   */
  String write(Observation strip) {
    return fhir().create().resource(strip).execute().getId().getIdPart();
  }

  /** The beat annotations of a patient, by strip id. */
  Map<String, List<Observation>> annotations(String patient) {
    Bundle b =
        fhir()
            .search()
            .byUrl(
                "Observation?subject=Patient/"
                    + patient
                    + "&code="
                    + EcgCodes.ECG_ANALYSIS
                    + "|"
                    + EcgCodes.BEAT_ANNOTATION
                    + "&_count=200")
            .returnBundle(Bundle.class)
            .execute();
    Map<String, List<Observation>> out = new TreeMap<>();
    for (Bundle.BundleEntryComponent e : b.getEntry()) {
      Observation o = (Observation) e.getResource();
      String strip = o.getDerivedFromFirstRep().getReferenceElement().getIdPart();
      out.computeIfAbsent(strip, k -> new ArrayList<>()).add(o);
    }
    return out;
  }

  List<Observation> afEpisodes(String patient) {
    Bundle b =
        fhir()
            .search()
            .byUrl("Observation?subject=Patient/" + patient + "&code=http://loinc.org|8884-9")
            .returnBundle(Bundle.class)
            .execute();
    return b.getEntry().stream()
        .map(e -> (Observation) e.getResource())
        .filter(EcgAnnotationResources::isAf)
        .toList();
  }

  void awaitAnnotations(String patient, int n) {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> annotations(patient).size() >= n);
  }

  /** An annotated beat at its absolute time. */
  record Mark(Instant time, String beatClass) {}

  static List<Mark> marks(Observation a) {
    Instant start = a.getEffectivePeriod().getStart().toInstant();
    List<Mark> out = new ArrayList<>();
    for (Observation.ObservationComponentComponent c : a.getComponent()) {
      for (Coding k : c.getCode().getCoding()) {
        if (EcgCodes.AAMI.equals(k.getSystem())) {
          Quantity q = c.getValueQuantity();
          assertThat(q.getCode()).isEqualTo("ms");
          out.add(
              new Mark(start.plusNanos(Math.round(q.getValue().doubleValue() * 1e6)), k.getCode()));
        }
      }
    }
    return out;
  }

  @Test
  void record208BeatsGetTheirClassesOnceEvenWhenStripsAreDeliveredAgain() {
    awaitMonitorReady();
    String p = MonitorWrites.newPatient(fhir(), List.of("ecg"));
    Instant t0 = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
    MitFixtureStrips rec;
    try {
      rec = MitFixtureStrips.of("208a");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    List<Observation> strips = rec.strips(p, t0, 0, 18); // the whole 3-min fixture
    List<String> ids = new ArrayList<>();
    for (Observation s : strips) {
      ids.add(write(s));
    }
    awaitAnnotations(p, 18);
    Map<String, List<Observation>> byStrip = annotations(p);
    assertThat(byStrip.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(byStrip.values()).allSatisfy(l -> assertThat(l).hasSize(1));

    // Marked as machine-generated decision support with method and device, derived from the strip.
    Observation first = byStrip.get(ids.get(0)).get(0);
    assertThat(first.getMeta().getTag(EcgCodes.DECISION_SUPPORT, EcgCodes.MACHINE_GENERATED))
        .isNotNull();
    assertThat(first.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
    assertThat(first.getMethod().getCodingFirstRep().getCode()).isEqualTo(EcgCodes.METHOD);
    assertThat(first.getNoteFirstRep().getText()).contains("not a diagnosis");
    assertThat(first.getIdentifierFirstRep().getValue()).isEqualTo(ids.get(0));
    Device analyser =
        fhir().read().resource(Device.class).withUrl(first.getDevice().getReference()).execute();
    assertThat(analyser.getVersionFirstRep().getValue()).isNotBlank();

    // Known beats: every reference beat of the 180 s matched to an annotated R peak within 150 ms
    // (EC57 beat matching) and compared by class.
    List<Mark> marks = new ArrayList<>();
    byStrip.values().forEach(l -> marks.addAll(marks(l.get(0))));
    Map<AamiClass, int[]> tally = new TreeMap<>(); // [reference, detected, same class]
    for (MitFixtureStrips.ReferenceBeat r : rec.beats(t0, 0, 180)) {
      int[] t = tally.computeIfAbsent(r.beatClass(), k -> new int[3]);
      t[0]++;
      Mark m = nearest(marks, r.time());
      if (m != null) {
        t[1]++;
        if (m.beatClass().equals(r.beatClass().letter())) {
          t[2]++;
        }
      }
    }
    System.out.println("[ecg annotation] record 208a 0-180 s, [reference, detected, same]:");
    tally.forEach((k, v) -> System.out.println("  " + k + " " + java.util.Arrays.toString(v)));
    int reference = tally.values().stream().mapToInt(v -> v[0]).sum();
    int detected = tally.values().stream().mapToInt(v -> v[1]).sum();
    assertThat(detected).as("QRS sensitivity").isGreaterThanOrEqualTo((int) (0.97 * reference));
    assertThat(tally.get(AamiClass.V)[0]).as("the fixture's V beats").isGreaterThanOrEqualTo(90);
    assertThat(tally.get(AamiClass.V)[2])
        .isGreaterThanOrEqualTo((int) (0.8 * tally.get(AamiClass.V)[0]));
    assertThat(tally.get(AamiClass.N)[2])
        .isGreaterThanOrEqualTo((int) (0.9 * tally.get(AamiClass.N)[0]));
    assertThat(marks.size()).as("no extra beats").isLessThanOrEqualTo(reference + 3);

    // Redelivery (the FHIR server retrying a rest-hook, a catch-up's overlap): no second
    // annotation.
    long before = annotator.count(EcgAnnotator.Outcome.ALREADY_ANNOTATED);
    for (int i = 0; i < ids.size(); i++) {
      Observation again = fhir().read().resource(Observation.class).withId(ids.get(i)).execute();
      monitor.accept(again);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> annotator.count(EcgAnnotator.Outcome.ALREADY_ANNOTATED) >= before + 18);
    assertThat(annotations(p).values()).allSatisfy(l -> assertThat(l).hasSize(1));
    assertThat(annotations(p)).hasSize(18);
  }

  static Mark nearest(List<Mark> marks, Instant t) {
    Mark best = null;
    long bestMs = 151;
    for (Mark m : marks) {
      long d = Math.abs(Duration.between(m.time(), t).toMillis());
      if (d < bestMs) {
        best = m;
        bestMs = d;
      }
    }
    return best;
  }

  @Test
  void record201AtrialFibrillationBecomesOneEpisodeWithOnsetAndEnd() throws Exception {
    awaitMonitorReady();
    String p = MonitorWrites.newPatient(fhir(), List.of("ecg"));
    Instant t0 = Instant.now().minusSeconds(1200).truncatedTo(ChronoUnit.SECONDS);
    MitFixtureStrips rec = MitFixtureStrips.of("201a");
    int from = 30;
    List<Observation> strips = rec.strips(p, t0, from, 25); // record seconds 30-280
    int n = 0;
    for (Observation s : strips) {
      write(s);
      awaitAnnotations(p, ++n); // as they come from the gateway: one strip after the other
    }
    Instant onset = null;
    Instant end = null;
    for (MitFixtureStrips.RhythmChange r : rec.rhythms(t0, from)) {
      if (r.rhythm().startsWith("(AFIB")) {
        onset = r.time();
      } else if (onset != null && end == null) {
        end = r.time();
      }
    }
    assertThat(onset).as("the fixture's AF onset").isNotNull();
    assertThat(end).as("the fixture's AF end").isNotNull();
    List<Observation> episodes = afEpisodes(p);
    for (Observation e : episodes) {
      System.out.println(
          "[ecg annotation] AF episode "
              + e.getEffectivePeriod().getStart().toInstant()
              + " to "
              + e.getEffectivePeriod().getEnd().toInstant()
              + " "
              + e.getStatus()
              + "; reference "
              + onset
              + " to "
              + end);
    }
    assertThat(episodes).hasSize(1);
    Observation ep = episodes.get(0);
    assertThat(ep.getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("49436004");
    assertThat(ep.getMeta().getTag(EcgCodes.DECISION_SUPPORT, EcgCodes.MACHINE_GENERATED))
        .isNotNull();
    Instant start = ep.getEffectivePeriod().getStart().toInstant();
    Instant stop = ep.getEffectivePeriod().getEnd().toInstant();
    // The AF rule judges RR irregularity over +-16 beats: its onset comes early by up to about
    // that (17.6 s on this fixture, decision 0712); the end is within a second.
    assertThat(Duration.between(onset, start).abs()).isLessThan(Duration.ofSeconds(20));
    assertThat(Duration.between(end, stop).abs()).isLessThan(Duration.ofSeconds(5));
    assertThat(ep.getStatus()).as("ended").isEqualTo(Observation.ObservationStatus.FINAL);

    // Per strip: the AF span inside the strip; none in the strips before the onset.
    Map<String, List<Observation>> byStrip = annotations(p);
    int withAf = 0;
    int sinusWithAf = 0;
    for (List<Observation> l : byStrip.values()) {
      Observation a = l.get(0);
      Instant s = a.getEffectivePeriod().getStart().toInstant();
      boolean af =
          a.getComponent().stream()
              .anyMatch(c -> c.getCode().getCodingFirstRep().getCode().equals("49436004"));
      if (af) {
        withAf++;
        Range r =
            a.getComponent().stream()
                .filter(c -> c.getCode().getCodingFirstRep().getCode().equals("49436004"))
                .findFirst()
                .get()
                .getValueRange();
        assertThat(r.getHigh().getValue().doubleValue())
            .isGreaterThan(r.getLow().getValue().doubleValue());
      }
      if (af && s.plusSeconds(10).isBefore(onset.minusSeconds(15))) {
        sinusWithAf++;
      }
    }
    assertThat(sinusWithAf).as("strips well before the onset without AF").isZero();
    assertThat(withAf).as("strips of the 190 s of AF").isGreaterThanOrEqualTo(17);
  }

  @Test
  void stripsWithoutSignalSayWhyAndHaveNoBeats() {
    awaitMonitorReady();
    String p = MonitorWrites.newPatient(fhir(), List.of("ecg"));
    Instant t0 = Instant.now().minusSeconds(300).truncatedTo(ChronoUnit.SECONDS);
    double[] flat = new double[2500];
    String flatId = write(FhirFixtures.ecgStrip(p, t0, flat, 250));
    Observation empty = FhirFixtures.ecgStrip(p, t0.plusSeconds(60), flat, 250);
    empty.getComponentFirstRep().getValueSampledData().setData("E ".repeat(2500).trim());
    String emptyId = write(empty);
    awaitAnnotations(p, 2);
    Map<String, List<Observation>> byStrip = annotations(p);
    for (String id : List.of(flatId, emptyId)) {
      Observation a = byStrip.get(id).get(0);
      assertThat(a.hasDataAbsentReason()).as("strip %s", id).isTrue();
      assertThat(marks(a)).isEmpty();
    }
    assertThat(byStrip.get(flatId).get(0).getDataAbsentReason().getText())
        .startsWith("Not analysed: ")
        .contains("beats found");
    assertThat(byStrip.get(emptyId).get(0).getDataAbsentReason().getText())
        .contains("no sample of the strip has a value");
  }
}
