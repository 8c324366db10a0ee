package org.vitals.gateway.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitals.gateway.VitalSignsValidator;
import org.vitals.gateway.identity.DeviceIdentity;
import org.vitals.gateway.mapping.TemplateRegistry;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Metric;
import org.vitals.gateway.writing.Ticket;

/**
 * The minute-summary logic with a real journal on disk, the real templates and HAPI's R4
 * vital-signs validator; the FHIR server is replaced by a list (the ITs use the real one).
 */
class MinuteSummariesTest {
  static final long MINUTE = 1_795_000_020L / 60 * 60; // a UTC minute start
  @TempDir Path dir;
  final List<Observation> written = new ArrayList<>();
  final List<SummaryJournal.Line> alone = new ArrayList<>();
  final AtomicInteger acks = new AtomicInteger();
  Instant now = Instant.ofEpochSecond(MINUTE + 30);
  String patient = "Patient/p1";
  final List<MinuteSummaries> open = new ArrayList<>();

  final MinuteSummaries.Directory directory =
      new MinuteSummaries.Directory() {
        @Override
        public Map<String, DeviceIdentity> devices(Collection<String> ids) {
          return ids.stream()
              .collect(
                  Collectors.toMap(
                      id -> id, id -> new DeviceIdentity("Device/" + id, patient, List.of())));
        }

        @Override
        public Map<String, String> gateways(Collection<String> ids) {
          return ids.stream().collect(Collectors.toMap(id -> id, id -> "Device/gw-" + id));
        }
      };

  java.time.Duration abnormalEvery = java.time.Duration.ZERO;
  java.time.Duration spread = java.time.Duration.ofMillis(300);
  final List<Integer> transactions = new ArrayList<>();

  MinuteSummaries summaries(String storage) {
    return summaries(storage, testClock());
  }

  Clock testClock() {
    return new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
  }

  MinuteSummaries summaries(String storage, Clock clock) {
    MinuteSummaries s =
        new MinuteSummaries(
            new NumericsSettings(
                storage, java.time.Duration.ofSeconds(10), Map.of(), abnormalEvery, spread),
            new SummaryJournal(dir, 10),
            directory,
            new TemplateRegistry(null)::current,
            obs -> {
              written.addAll(obs);
              transactions.add(obs.size());
              return List.of();
            },
            alone::addAll,
            new SimpleMeterRegistry(),
            clock);
    open.add(s);
    return s;
  }

  @AfterEach
  void close() {
    open.forEach(MinuteSummaries::close);
  }

  static Measurement reading(String dev, Metric metric, int seq, long epochMillis, String value) {
    return reading(dev, metric, seq, epochMillis, value, List.of("valid"));
  }

  static Measurement reading(
      String dev, Metric metric, int seq, long epochMillis, String value, List<String> st) {
    return new Measurement(
        dev + ":1:" + seq,
        "gw1",
        dev,
        metric,
        metric.defaultMdc(),
        Instant.ofEpochMilli(epochMillis),
        Measurement.TimeQuality.NTP,
        null,
        value == null ? null : new BigDecimal(value),
        Map.of(),
        value == null ? "error" : null,
        st,
        null);
  }

  Ticket ticket(Measurement m) {
    String payload = "{\"seq\":\"" + m.identity() + "\"}";
    Ticket t =
        new Ticket(
            "mqtt",
            "vitals/v1/gw1/" + m.deviceId() + "/" + m.metric().wireName(),
            payload.getBytes(StandardCharsets.UTF_8),
            now,
            acks::incrementAndGet);
    return t;
  }

  /** Offers like the pipeline does: the message's own part settles after the offer. */
  boolean offer(MinuteSummaries s, Measurement m) {
    Ticket t = ticket(m);
    boolean store = s.offer(m, t);
    if (store) {
      t.settle(); // stands for the FHIR commit of the reading's own Observation
    }
    t.settle();
    return store;
  }

  // Acks follow the journal's fsync on another thread: allow a loaded machine up to 30 s.
  void waitForAcks(int n) throws InterruptedException {
    for (int i = 0; i < 3000 && acks.get() < n; i++) {
      Thread.sleep(10);
    }
    assertThat(acks.get()).isEqualTo(n);
  }

  static BigDecimal component(Observation o, String code) {
    return o.getComponent().stream()
        .filter(c -> c.getCode().getCodingFirstRep().getCode().equals(code))
        .map(c -> c.getValueQuantity().getValue())
        .findFirst()
        .orElseThrow();
  }

  static int count(Observation o) {
    return o.getComponent().stream()
        .filter(c -> c.getCode().getCodingFirstRep().getCode().equals("count"))
        .map(c -> ((IntegerType) c.getValue()).getValue())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aWardsSummariesGoInTransactionsOfTwoHundredOneAfterAnother() throws Exception {
    MinuteSummaries s = summaries("every-reading");
    now = Instant.ofEpochSecond(MINUTE + 59);
    for (int d = 0; d < 450; d++) {
      for (int i = 0; i < 6; i++) {
        offer(s, reading("w" + d, Metric.HR, i, MINUTE * 1000 + i * 10_000L, "70"));
      }
    }
    waitForAcks(2700);
    now = Instant.ofEpochSecond(MINUTE + 70);
    s.closeDue();

    // Spread over the setting's 300 ms rather than sent in one burst; every summary once.
    assertThat(transactions).containsExactly(200, 200, 50);
    assertThat(written.stream().map(o -> o.getIdentifierFirstRep().getValue()).distinct())
        .hasSize(450);
  }

  @Test
  void everyReadingModeStoresEveryReadingAndSummarisesTheMinute() throws Exception {
    MinuteSummaries s = summaries("every-reading");
    now = Instant.ofEpochSecond(MINUTE + 59);
    for (int i = 0; i < 60; i++) {
      assertThat(offer(s, reading("m1", Metric.HR, i, MINUTE * 1000 + i * 1000L, "" + (60 + i))))
          .isTrue();
    }
    waitForAcks(60);
    s.closeDue();
    assertThat(written).isEmpty(); // the grace has not passed
    now = Instant.ofEpochSecond(MINUTE + 70);
    s.closeDue();
    assertThat(written).hasSize(1);
    Observation o = written.get(0);
    assertThat(o.getIdentifierFirstRep().getSystem())
        .isEqualTo(SummaryObservation.IDENTIFIER_SYSTEM);
    assertThat(o.getIdentifierFirstRep().getValue()).isEqualTo("m1/hr/" + MINUTE);
    assertThat(o.getValueQuantity().getValue()).isEqualByComparingTo("89.5");
    assertThat(component(o, "minimum")).isEqualByComparingTo("60");
    assertThat(component(o, "maximum")).isEqualByComparingTo("119");
    assertThat(count(o)).isEqualTo(60);
    assertThat(o.getEffectivePeriod().getStart())
        .isEqualTo(
            Instant.ofEpochSecond(MINUTE).toString().isEmpty()
                ? null
                : java.util.Date.from(Instant.ofEpochSecond(MINUTE)));
    assertThat(o.getEffectivePeriod().getEnd())
        .isEqualTo(java.util.Date.from(Instant.ofEpochSecond(MINUTE + 60)));
    assertThat(o.getMeta().getTag(SummaryObservation.AGGREGATION_SYSTEM, "minute")).isNotNull();
    assertThat(o.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
    assertThat(o.getSubject().getReference()).isEqualTo(patient);
    assertThat(o.getMeta().getProfile().get(0).getValue())
        .isEqualTo("http://hl7.org/fhir/StructureDefinition/heartrate");
    assertThat(Files.list(dir).count()).as("journal deleted after commit").isZero();
  }

  @Test
  void everyMetricsSummaryValidatesAgainstTheVitalSignsProfiles() throws Exception {
    MinuteSummaries s = summaries("every-reading");
    Map<Metric, String> values =
        Map.of(
            Metric.HR,
            "72",
            Metric.PR,
            "71",
            Metric.SPO2,
            "97",
            Metric.RR,
            "16",
            Metric.TEMP,
            "37.1",
            Metric.GLUCOSE,
            "110");
    for (var e : values.entrySet()) {
      for (int i = 0; i < 12; i++) {
        offer(
            s,
            reading(
                "v1",
                e.getKey(),
                e.getKey().ordinal() * 100 + i,
                MINUTE * 1000 + i * 5000L,
                e.getValue()));
      }
    }
    now = Instant.ofEpochSecond(MINUTE + 70);
    s.closeDue();
    // glucose is never summarised (no mg/dL in the vital-signs units the components are bound to)
    assertThat(written).hasSize(values.size() - 1);
    assertThat(written).noneMatch(o -> o.getIdentifierFirstRep().getValue().contains("/glucose/"));
    for (Observation o : written) {
      // vs-1's R4 expression, ($this as dateTime).toString().length() >= 8, is empty (false) on a
      // Period: a known error of the R4 profile's FHIRPath, not of the resource (decision 0209).
      assertThat(VitalSignsValidator.errorsIgnoringVs1OnPeriod(o))
          .as(
              ca.uhn.fhir.context.FhirContext.forR4Cached()
                  .newJsonParser()
                  .encodeResourceToString(o))
          .isEmpty();
    }
  }

  @Test
  void minuteSummaryModeStoresOnlyExceptions() throws Exception {
    MinuteSummaries s = summaries("minute-summary");
    long t = MINUTE * 1000;
    List<Boolean> stored = new ArrayList<>();
    String[] values = {"72", "73", "74", "95", "96", "80", "81", null, "82", "83"};
    for (int i = 0; i < values.length; i++) {
      stored.add(offer(s, reading("m2", Metric.HR, i, t + i * 1000L, values[i])));
    }
    // first (not yet continuous), 95 (abnormal), 96 (abnormal), 80 (back to normal), null
    // (not valid), 82 (status changed back to valid); the rest only in the summary.
    assertThat(stored)
        .containsExactly(true, false, false, true, true, true, false, true, true, false);
    waitForAcks(values.length);
    now = Instant.ofEpochSecond(MINUTE + 70);
    s.closeDue();
    assertThat(written).hasSize(1);
    assertThat(count(written.get(0))).isEqualTo(9); // every valid reading, stored or not
    assertThat(alone).isEmpty();
  }

  @Test
  void aLongAbnormalRunIsSampledButEveryBandChangeIsStoredAtOnce() throws Exception {
    abnormalEvery = java.time.Duration.ofSeconds(5);
    MinuteSummaries s = summaries("minute-summary");
    long t = MINUTE * 1000;
    List<Integer> storedAt = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      // 72, then 100 /min (NEWS2 band 91-110) for 12 s, then 135 (band >= 131), then 136
      String v = i == 0 ? "72" : i <= 12 ? "100" : i == 13 ? "135" : "136";
      if (offer(s, reading("m6", Metric.HR, i, t + i * 1000L, v))) {
        storedAt.add(i);
      }
    }
    assertThat(storedAt).containsExactly(0, 1, 6, 11, 13);
    assertThat(NormalRanges.band(Metric.HR, new java.math.BigDecimal("90.5")))
        .isEqualTo(NormalRanges.band(Metric.HR, new java.math.BigDecimal("91")));
    assertThat(NormalRanges.band(Metric.SPO2, new java.math.BigDecimal("96"))).isEqualTo(3);
  }

  @Test
  void aCrashLosesNoJournaledReadingAndRedeliveryDoesNotDouble() throws Exception {
    now = Instant.ofEpochSecond(MINUTE + 59);
    // the instance that gets "killed": its clock stops before the minute is due, so its closer
    // thread (still alive in this JVM) never closes the minute the recovered instance closes
    MinuteSummaries first =
        summaries(
            "minute-summary", Clock.fixed(Instant.ofEpochSecond(MINUTE + 59), ZoneOffset.UTC));
    for (int i = 0; i < 30; i++) {
      offer(first, reading("m3", Metric.SPO2, i, MINUTE * 1000 + i * 1000L, "97"));
    }
    waitForAcks(30);
    // "killed": the closer never ran; a new instance recovers the open minute from disk
    MinuteSummaries second = summaries("minute-summary");
    offer(second, reading("m3", Metric.SPO2, 29, MINUTE * 1000 + 29_000L, "97")); // redelivered
    for (int i = 30; i < 60; i++) {
      offer(second, reading("m3", Metric.SPO2, i, MINUTE * 1000 + i * 1000L, "98"));
    }
    now = Instant.ofEpochSecond(MINUTE + 70);
    second.closeDue();
    assertThat(written).hasSize(1);
    assertThat(count(written.get(0))).isEqualTo(60);
    assertThat(written.get(0).getValueQuantity().getValue()).isEqualByComparingTo("97.5");
  }

  @Test
  void readingsAfterTheGraceOrWithoutPatientAreStoredAlone() throws Exception {
    MinuteSummaries s = summaries("minute-summary");
    for (int i = 0; i < 10; i++) {
      offer(s, reading("m4", Metric.RR, i, MINUTE * 1000 + i * 1000L, "16"));
    }
    patient = null; // the device is unassigned when the minute closes
    now = Instant.ofEpochSecond(MINUTE + 70);
    s.closeDue();
    assertThat(written).isEmpty();
    assertThat(alone).hasSize(9); // all but the first, which was stored at once
    assertThat(alone.get(0).payload()).isNotNull();
    assertThat(new String(alone.get(0).payload(), StandardCharsets.UTF_8)).contains("m4:1:1");
    assertThat(alone.get(0).topic()).isEqualTo("vitals/v1/gw1/m4/rr");
    // a reading of the closed minute comes late: stored on its own
    assertThat(offer(s, reading("m4", Metric.RR, 99, MINUTE * 1000 + 59_000L, "16"))).isTrue();
  }

  @Test
  void aTornLastLineIsSkippedAndTheNextLineStandsAlone() throws Exception {
    SummaryJournal j = new SummaryJournal(dir, 10);
    Measurement m = reading("m5", Metric.HR, 1, MINUTE * 1000, "70");
    j.append(MINUTE, m, false, "t", "p".getBytes(StandardCharsets.UTF_8), null);
    j.flush();
    j.close();
    Files.writeString(
        dir.resolve("minute-" + MINUTE + ".log"),
        "m5:1:2\tgw1\tm5\thr\t1478",
        java.nio.file.StandardOpenOption.APPEND);
    SummaryJournal again = new SummaryJournal(dir, 10);
    again.append(
        MINUTE, reading("m5", Metric.HR, 3, MINUTE * 1000 + 2000, "71"), true, "t", null, null);
    assertThat(again.read(MINUTE).stream().map(l -> l.m().identity()))
        .containsExactly("m5:1:1", "m5:1:3");
    again.close();
  }
}
