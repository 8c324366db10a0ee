package org.vitals.cds.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.vitals.cds.clinical.EcgStrip;
import org.vitals.cds.clinical.Reading;
import org.vitals.cds.clinical.VitalKind;
import org.vitals.cds.it.FhirFixtures;

/** The JSON fast path maps every Observation shape exactly as the HAPI path does. */
class JsonObservationsTest {

  final ObjectMapper json = new ObjectMapper();
  final Instant t = Instant.parse("2026-01-08T19:07:48Z");

  @Test
  void everyShapeMapsAlikeOnBothPaths() throws Exception {
    List<Observation> obs =
        List.of(
            FhirFixtures.heartRate("p", t, 88),
            FhirFixtures.spo2("p", t, 93),
            FhirFixtures.respRate("p", t, 19),
            FhirFixtures.temperature("p", t, 38.2),
            FhirFixtures.bloodPressure("p", t, 142, 91),
            FhirFixtures.glucose("p", t, 71));
    for (Observation o : obs) {
      List<Reading> viaJson = new ArrayList<>();
      JsonObservations.readings(json.readTree(FhirFixtures.json(o)), viaJson);
      List<Reading> viaHapi =
          ObservationMapper.readings(
              (Observation) FhirFixtures.FHIR.newJsonParser().parseResource(FhirFixtures.json(o)));
      assertThat(viaJson).isNotEmpty().isEqualTo(viaHapi);
    }
    List<Reading> bp = new ArrayList<>();
    JsonObservations.readings(
        json.readTree(FhirFixtures.json(FhirFixtures.bloodPressure("p", t, 142, 91))), bp);
    assertThat(bp)
        .extracting(Reading::kind)
        .containsExactly(VitalKind.SYSTOLIC_BP, VitalKind.DIASTOLIC_BP);
    assertThat(bp).extracting(Reading::value).containsExactly(142.0, 91.0);
  }

  @Test
  void unusableObservationsGiveNothing() throws Exception {
    Observation cancelled = FhirFixtures.heartRate("p", t, 88);
    cancelled.setStatus(Observation.ObservationStatus.ENTEREDINERROR);
    Observation absent = FhirFixtures.spo2("p", t, 93);
    absent.setValue(null);
    absent.getDataAbsentReason().addCoding().setCode("not-a-number");
    Observation summary = minuteSummary(FhirFixtures.heartRate("p", t, 88), t);
    for (Observation o : List.of(cancelled, absent, summary)) {
      List<Reading> out = new ArrayList<>();
      JsonObservations.readings(json.readTree(FhirFixtures.json(o)), out);
      assertThat(out).isEmpty();
      assertThat(
              ObservationMapper.readings(
                  (Observation)
                      FhirFixtures.FHIR.newJsonParser().parseResource(FhirFixtures.json(o))))
          .isEmpty();
    }
    // The same Observation without the tag is a reading (at the period's end).
    summary.getMeta().getTag().clear();
    assertThat(ObservationMapper.readings(summary)).hasSize(1);
  }

  /** The device gateway's summary of the minute that ends at {@code end} (decision 0209). */
  static Observation minuteSummary(Observation reading, Instant end) {
    Observation o = reading.copy();
    o.setEffective(
        new org.hl7.fhir.r4.model.Period()
            .setStart(java.util.Date.from(end.minusSeconds(60)))
            .setEnd(java.util.Date.from(end)));
    o.getMeta().addTag(org.vitals.cds.clinical.Codes.AGGREGATION, "minute", null);
    return o;
  }

  @Test
  void ecgStripsAreScaledAlike() throws Exception {
    double[] mv = {0.1, 0.5, -0.25, 1.2};
    Observation o = FhirFixtures.ecgStrip("p", t, mv, 250);
    EcgStrip a = JsonObservations.ecgStrip(json.readTree(FhirFixtures.json(o))).orElseThrow();
    EcgStrip b =
        ObservationMapper.ecgStrip(
                (Observation) FhirFixtures.FHIR.newJsonParser().parseResource(FhirFixtures.json(o)))
            .orElseThrow();
    assertThat(a.millivolts()).containsExactly(b.millivolts());
    assertThat(a.millivolts()).containsExactly(0.1, 0.5, -0.25, 1.2);
    assertThat(a.samplingRate()).isEqualTo(250.0);
    assertThat(a.start()).isEqualTo(b.start()).isEqualTo(t);
  }

  @org.junit.jupiter.api.Test
  void theFastInstantParserAgreesWithTheGeneralOneOrDeclines() {
    for (String t :
        java.util.List.of(
            "2026-11-27T12:00:00Z",
            "2026-11-27T12:00:00.5Z",
            "2026-11-27T12:00:00.123456789Z",
            "2024-02-29T23:59:59.999+02:00",
            "1999-12-31T00:00:01-05:30",
            "2026-01-01T00:00:00+00:00")) {
      assertThat(JsonObservations.fastTime(t))
          .as(t)
          .isEqualTo(java.time.OffsetDateTime.parse(t).toInstant());
    }
    for (String t :
        java.util.List.of(
            "2026-11-27",
            "2026-11-27T12:00",
            "2026-11-27T12:00:00",
            "2026-02-30T12:00:00Z",
            "2026-11-27T24:00:00Z",
            "2026-11-27T12:00:60Z",
            "2026-11-27T12:00:00.Z",
            "2026-11-27T12:00:00+0100")) {
      assertThat(JsonObservations.fastTime(t)).as(t).isNull();
    }
    assertThat(JsonObservations.parseTime("2026-11-27"))
        .isEqualTo(new org.hl7.fhir.r4.model.DateTimeType("2026-11-27").getValue().toInstant());
    assertThat(JsonObservations.tokens("  1 -2.5\n 3E1\t")).containsExactly("1", "-2.5", "3E1");
  }
}
