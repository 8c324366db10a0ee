package org.vitals.gateway.writing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vitals.gateway.TestReadings.bp;
import static org.vitals.gateway.TestReadings.ecg;
import static org.vitals.gateway.TestReadings.numeric;
import static org.vitals.gateway.TestReadings.topic;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitals.gateway.VitalSignsValidator;
import org.vitals.gateway.mapping.DevicePayloadReader;
import org.vitals.gateway.mapping.MappingContext;
import org.vitals.gateway.mapping.ObservationMapper;
import org.vitals.gateway.mapping.TemplateRegistry;
import org.vitals.gateway.mapping.TemplateSet;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Metric;
import org.vitals.gateway.measurement.Waveform;
import org.vitals.gateway.summary.SummaryObservation;
import org.vitals.gateway.wire.WireReadingParser;

/**
 * The gateway's own JSON writer against HAPI's encoder: for every metric and template shape, HAPI
 * parses our text to the resource it encodes itself (compared as HAPI's re-encodings and with
 * equalsDeep), the parsed Observations still validate against the R4 vital-signs profiles, and
 * anything outside the known shapes is left to HAPI (decision 0215).
 */
class ObservationJsonTest {
  private static final FhirContext CTX = FhirContext.forR4Cached();
  private final WireReadingParser parser = new WireReadingParser();
  private final TemplateSet templates = new TemplateRegistry(null).current();
  private final MappingContext where = new MappingContext("Patient/p1", "Device/d1", "Device/gw1");
  @TempDir Path dir;

  private List<Observation> map(String metric, byte[] payload) {
    List<Observation> out = new ArrayList<>();
    for (Measurement m : parser.parse(topic("dev-1", metric), payload, Instant.now())) {
      out.add(ObservationMapper.map(m, templates, where));
    }
    return out;
  }

  /** Ours and HAPI's text for the gateway's transaction of these Observations; asserts the same. */
  private static List<Observation> assertSameAsHapi(List<Observation> observations) {
    Bundle tx = FhirBatchWriter.transactionOf(observations);
    String ours = ObservationJson.transaction(tx);
    assertThat(ours).as("written by our writer, not left to HAPI").isNotNull();
    IParser json = CTX.newJsonParser();
    String hapi = json.encodeResourceToString(tx);
    Bundle fromOurs = json.parseResource(Bundle.class, ours);
    Bundle fromHapi = json.parseResource(Bundle.class, hapi);
    assertThat(json.encodeResourceToString(fromOurs))
        .isEqualTo(json.encodeResourceToString(fromHapi));
    assertThat(fromOurs.equalsDeep(fromHapi)).as(ours).isTrue();
    // Same element order and number forms as well: the text itself is HAPI's.
    assertThat(ours).isEqualTo(hapi);
    return fromOurs.getEntry().stream().map(e -> (Observation) e.getResource()).toList();
  }

  private static void assertValid(List<Observation> parsed) {
    for (Observation o : parsed) {
      assertThat(VitalSignsValidator.errors(o)).isEmpty();
    }
  }

  @Test
  void everyVitalSignMetric() {
    List<Observation> all = new ArrayList<>();
    all.addAll(map("hr", numeric("dev-1", 1, "hr", "72", "/min")));
    all.addAll(map("pr", numeric("dev-1", 2, "pr", "71", "/min")));
    all.addAll(map("spo2", numeric("dev-1", 3, "spo2", "97", "%")));
    all.addAll(map("rr", numeric("dev-1", 4, "rr", "16", "/min")));
    all.addAll(map("temp", numeric("dev-1", 5, "temp", "98.6", "[degF]")));
    all.addAll(map("temp", numeric("dev-1", 6, "temp", "37.25", "Cel")));
    all.addAll(map("glucose", numeric("dev-1", 7, "glucose", "5.5", "mmol/L")));
    all.addAll(map("glucose", numeric("dev-1", 8, "glucose", "101", "mg/dL")));
    assertThat(all).hasSize(8);
    assertValid(assertSameAsHapi(all));
  }

  @Test
  void bloodPressureWithComponentsAndCuffPulse() {
    List<Observation> all = map("bp", bp("dev-1", 1, "120", "80", "93", "mm[Hg]"));
    all.addAll(map("bp", bp("dev-1", 2, "16", "10.7", "12.4", "kPa")));
    assertThat(all).hasSize(4);
    assertThat(all.get(0).getComponent()).hasSize(3);
    assertValid(assertSameAsHapi(all));
  }

  @Test
  void dataAbsentReasonsStatusesAndNotes() {
    List<Observation> all = new ArrayList<>();
    all.addAll(
        map(
            "spo2",
            "{\"v\":1,\"dev\":\"dev-1\",\"boot\":1,\"seq\":2,\"ts\":1732680000123,\"metric\":\"spo2\",\"val\":null,\"unit\":\"%\",\"st\":[\"nan\"]}"
                .getBytes(StandardCharsets.UTF_8)));
    all.addAll(
        map(
            "bp",
            "{\"v\":1,\"dev\":\"dev-1\",\"boot\":1,\"seq\":4,\"ts\":1732680000123,\"metric\":\"bp\",\"unit\":\"mm[Hg]\",\"cmp\":{\"150021\":120,\"150022\":null},\"st\":[\"nres\"]}"
                .getBytes(StandardCharsets.UTF_8)));
    all.addAll(
        map(
            "hr",
            "{\"v\":1,\"dev\":\"dev-1\",\"boot\":1,\"seq\":5,\"ts\":1732680000123,\"metric\":\"hr\",\"val\":131,\"unit\":\"/min\",\"st\":[\"motion\",\"questionable\"]}"
                .getBytes(StandardCharsets.UTF_8)));
    assertThat(all.get(0).hasDataAbsentReason()).isTrue();
    assertThat(all.get(1).getComponent().get(1).hasDataAbsentReason()).isTrue();
    assertThat(all.get(2).getStatus()).isEqualTo(Observation.ObservationStatus.PRELIMINARY);
    assertThat(all.get(2).getNote()).hasSize(1);
    assertValid(assertSameAsHapi(all));
  }

  @Test
  void ecgStripsAsSampledData() {
    List<Observation> all = map("ecg", ecg("dev-1", 1, 1732680000000L, 250));
    // A two-lead 10-s strip with limits, as the strip assembler makes them.
    int[] a = new int[2500];
    int[] b = new int[2500];
    for (int i = 0; i < a.length; i++) {
      a[i] = (int) (300 * Math.sin(i / 7.0)) - 40;
      b[i] = -a[i] / 2;
    }
    Measurement strip =
        new Measurement(
            "dev-1:1:10",
            "gw1",
            "dev-1",
            Metric.ECG,
            Metric.ECG.defaultMdc(),
            Instant.parse("2026-11-27T05:00:00Z"),
            Measurement.TimeQuality.NTP,
            Instant.parse("2026-11-27T05:00:10Z"),
            null,
            Map.of(),
            null,
            List.of("valid"),
            new Waveform(
                new BigDecimal("4"),
                new BigDecimal("0"),
                new BigDecimal("0.005"),
                new BigDecimal("-5.12"),
                new BigDecimal("5.115"),
                List.of(new Waveform.Lead(131330, a), new Waveform.Lead(131331, b))));
    all.add(ObservationMapper.map(strip, templates, where));
    assertValid(assertSameAsHapi(all));
  }

  @Test
  void minuteSummaries() {
    long minute = 1_795_000_020L / 60 * 60;
    List<Observation> all = new ArrayList<>();
    for (Metric metric : List.of(Metric.HR, Metric.PR, Metric.SPO2, Metric.RR, Metric.TEMP)) {
      List<Measurement> readings = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        readings.add(
            new Measurement(
                "dev-1:1:" + i,
                "gw1",
                "dev-1",
                metric,
                metric.defaultMdc(),
                Instant.ofEpochSecond(minute + i * 8L),
                Measurement.TimeQuality.NTP,
                null,
                metric == Metric.TEMP
                    ? new BigDecimal("36.7").add(BigDecimal.valueOf(i, 1))
                    : BigDecimal.valueOf(90 + i),
                Map.of(),
                null,
                List.of("valid"),
                null));
      }
      all.add(SummaryObservation.build(minute, readings, templates, where));
    }
    for (Observation o : assertSameAsHapi(all)) {
      assertThat(VitalSignsValidator.errorsIgnoringVs1OnPeriod(o)).isEmpty();
    }
  }

  @Test
  void thirdPartyDeviceAndObservationTemplates() throws Exception {
    Files.writeString(
        dir.resolve("acme.yaml"),
        """
        devices:
          - name: acme-oximeter
            topic: "acme/+/telemetry"
            gatewayId: "acme-bridge"
            deviceId: "$.serial"
            seq: "$.counter"
            timestamp: "$.measured"
            timestampFormat: iso8601
            values:
              - { metric: spo2, value: "$.readings.sat", unit: "%" }
              - { metric: pr, value: "$.readings.pulse", unit: "/min" }
              - { metric: temp, value: "$.readings.skinTempF", unit: "[degF]" }
        observations:
          - metric: hr
            category: [vital-signs]
            profile: http://hl7.org/fhir/StructureDefinition/heartrate
            codings: [ { system: "http://loinc.org", code: "8867-4", display: "Heart rate (ward \\"B\\" – Zürich)" } ]
            unitDisplay: "/min"
        """);
    TemplateSet own = new TemplateRegistry(dir).current();
    List<Observation> all = new ArrayList<>();
    for (Measurement m :
        new DevicePayloadReader(parser)
            .read(
                own.devices().get(0),
                """
                {"serial": "ACME-0042", "counter": 981, "measured": "2026-11-27T05:00:00.250Z",
                 "readings": {"sat": 96, "pulse": 88, "skinTempF": 99.5}}
                """
                    .getBytes(StandardCharsets.UTF_8),
                Instant.now())) {
      all.add(
          ObservationMapper.map(
              m, own, new MappingContext("Patient/é\"1", "Device/acme", "Device/bridge")));
    }
    all.addAll(
        parser
            .parse(topic("dev-1", "hr"), numeric("dev-1", 9, "hr", "64", "/min"), Instant.now())
            .stream()
            .map(m -> ObservationMapper.map(m, own, where))
            .toList());
    assertThat(all).hasSize(4);
    assertThat(all.get(3).getCode().getCodingFirstRep().getDisplay()).contains("Zürich");
    assertSameAsHapi(all);
  }

  @Test
  void anythingElseIsLeftToHapi() {
    Observation o = map("hr", numeric("dev-1", 1, "hr", "72", "/min")).get(0);
    assertThat(ObservationJson.writes(List.of(o))).isTrue();
    o.addInterpretation(new CodeableConcept().setText("high"));
    assertThat(ObservationJson.writes(List.of(o))).isFalse();

    Observation withExtension = map("hr", numeric("dev-1", 2, "hr", "72", "/min")).get(0);
    withExtension
        .getValueQuantity()
        .addExtension("urn:x", new org.hl7.fhir.r4.model.StringType("y"));
    assertThat(ObservationJson.writes(List.of(withExtension))).isFalse();

    Observation withId = map("hr", numeric("dev-1", 3, "hr", "72", "/min")).get(0);
    withId.getCode().getCodingFirstRep().setVersion("2.77");
    assertThat(ObservationJson.writes(List.of(withId))).isFalse();
  }
}
