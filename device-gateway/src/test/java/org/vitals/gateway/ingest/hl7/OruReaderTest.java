package org.vitals.gateway.ingest.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.deadletter.DeadLetterReason;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Metric;
import org.vitals.gateway.wire.WireReadingParser;

class OruReaderTest {
  final OruReader reader = new OruReader(new WireReadingParser(), "gw-1", ZoneOffset.UTC);
  final Instant now = Instant.parse("2026-11-27T06:00:00Z");

  @Test
  void intellivuePcd01V26() {
    OruReader.Oru oru = reader.read(Fixtures.hl7("intellivue-pcd01-v26.hl7"), now);
    assertEquals("PIV-0001", oru.header().controlId());
    assertEquals("HL7-PAT-0001", oru.patientId());
    Map<Metric, Measurement> by =
        oru.measurements().stream()
            .collect(Collectors.toMap(Measurement::metric, Function.identity()));
    assertEquals(6, oru.measurements().size(), oru.measurements().toString());
    Measurement spo2 = by.get(Metric.SPO2);
    assertEquals(0, new BigDecimal("97").compareTo(spo2.value()));
    assertEquals("0030C8FFFE0B7C2A", spo2.deviceId());
    assertEquals("0030C8FFFE0B7C2A:PIV-0001:1.1.1.1", spo2.identity());
    assertEquals(Instant.parse("2026-11-27T05:44:55Z"), spo2.time());
    assertEquals(149530, by.get(Metric.PR).mdc());
    assertEquals(147842, by.get(Metric.HR).mdc());
    assertEquals(0, new BigDecimal("36.8").compareTo(by.get(Metric.TEMP).value()));
    Measurement bp = by.get(Metric.BP);
    assertEquals(
        Map.of(
            150021,
            new BigDecimal("121"),
            150022,
            new BigDecimal("78"),
            150023,
            new BigDecimal("92")),
        bp.components());
    assertEquals("0030C8FFFE0B7C2A:PIV-0001:1.5.1.1", bp.identity());
    assertEquals(Instant.parse("2026-11-27T05:44:00Z"), bp.time());
    assertTrue(oru.ignored().isEmpty());
  }

  @Test
  void geStyleV25WithMdilCodesVendorUnitsAndCuffCodes() {
    OruReader.Oru oru = reader.read(Fixtures.hl7("ge-style-oru-v25.hl7"), now);
    List<Measurement> ms = oru.measurements();
    assertEquals(
        List.of(Metric.HR, Metric.SPO2, Metric.PR, Metric.BP),
        ms.stream().map(Measurement::metric).toList());
    assertEquals(147842, ms.get(0).mdc());
    assertEquals(0, new BigDecimal("88").compareTo(ms.get(0).value()));
    assertEquals(150456, ms.get(1).mdc());
    assertEquals("B450-SN-7781", ms.get(0).deviceId());
    assertEquals(
        Instant.parse("2026-11-27T05:45:55Z"), ms.get(0).time(), "no zone: local zone (UTC here)");
    assertEquals(149546, ms.get(2).mdc());
    assertEquals(new BigDecimal("134"), ms.get(3).components().get(150021));
    assertEquals(2, ms.get(3).components().size());
  }

  @Test
  void v231WithoutHierarchyTimeOrDeviceFallsBackToObrAndMsh() {
    OruReader.Oru oru = reader.read(Fixtures.hl7("bedside-oru-v231.hl7"), now);
    List<Measurement> ms = oru.measurements();
    assertEquals(3, ms.size());
    assertEquals("BEDSIDE-07", ms.get(0).deviceId());
    assertEquals(Instant.parse("2026-11-27T05:46:50Z"), ms.get(0).time());
    assertEquals(0, new BigDecimal("37").compareTo(ms.get(2).value()), "98.6 [degF] is 37 Cel");
    assertEquals("BEDSIDE-07:M231-0007:3", ms.get(2).identity());
  }

  @Test
  void ecgWaveformBecomesOneStripWithItsSamplePeriod() {
    OruReader.Oru oru = reader.read(Fixtures.hl7("intellivue-ecg-waveform-v26.hl7"), now);
    assertEquals(1, oru.measurements().size());
    Measurement ecg = oru.measurements().get(0);
    assertEquals(Metric.ECG, ecg.metric());
    assertEquals(131330, ecg.waveform().leads().get(0).mdc());
    assertEquals(12, ecg.waveform().sampleCount());
    assertEquals(0, new BigDecimal("4").compareTo(ecg.waveform().periodMillis()));
    assertEquals(0, new BigDecimal("0.001").compareTo(ecg.waveform().factor()));
    assertEquals(1210, ecg.waveform().leads().get(0).samples()[5]);
    assertEquals(Instant.parse("2026-11-27T05:45:00Z").plusMillis(48), ecg.end());
    assertTrue(oru.ignored().isEmpty(), oru.ignored().toString());
  }

  @Test
  void rejectionsSayWhatWasWrong() {
    String good = Fixtures.hl7("bedside-oru-v231.hl7");
    Hl7RejectedException e =
        assertThrows(
            Hl7RejectedException.class, () -> reader.read(good.replace("ORU^R01", "ADT^A01"), now));
    assertEquals("AR", e.ackCode());
    assertEquals("200", e.errorCode());
    e =
        assertThrows(
            Hl7RejectedException.class, () -> reader.read(good.replace("|98|", "|9x8|"), now));
    assertEquals("AE", e.ackCode());
    assertEquals("OBX-1-5", e.location());
    assertTrue(e.getMessage().contains("9x8"));
    e =
        assertThrows(
            Hl7RejectedException.class, () -> reader.read(good.replace("|98|", "|140|"), now));
    assertEquals(DeadLetterReason.IMPLAUSIBLE_VALUE, e.reason());
    e =
        assertThrows(
            Hl7RejectedException.class, () -> reader.read(good.replace("|2.3.1", "|3.0"), now));
    assertEquals("203", e.errorCode());
    e =
        assertThrows(
            Hl7RejectedException.class, () -> reader.read(good.replace("HL7-PAT-0003", ""), now));
    assertEquals(DeadLetterReason.UNKNOWN_PATIENT, e.reason());
    e = assertThrows(Hl7RejectedException.class, () -> reader.read("garbage", now));
    assertEquals("AR", e.ackCode());
  }

  @Test
  void ackCarriesTheControlIdAndAnErrSegment() {
    Hl7Header h =
        Hl7Header.of(OruReader.normaliseSegments(Fixtures.hl7("intellivue-pcd01-v26.hl7")));
    String ack =
        Ack.build(
            h,
            "AE",
            "unknown patient",
            List.of(new Ack.Error("204", "PID-3", "no Patient has identifier 'X|1'")));
    String[] seg = ack.split("\r");
    assertTrue(seg[0].startsWith("MSH|^~\\&|VITALS|VITALS|PAT_DEVICE_PHILIPS|PHILIPS|"), seg[0]);
    assertTrue(seg[0].endsWith("|P|2.6"), seg[0]);
    assertEquals("MSA|AE|PIV-0001|unknown patient", seg[1]);
    assertEquals(
        "ERR||PID^1^3|204^Unknown key identifier^HL70357|E||||no Patient has identifier 'X\\F\\1'",
        seg[2]);
    Hl7Header old = Hl7Header.of(OruReader.normaliseSegments(Fixtures.hl7("bedside-oru-v231.hl7")));
    String ack231 = Ack.build(old, "AR", "x", List.of(new Ack.Error("200", "MSH-9", "bad type")));
    assertTrue(ack231.contains("\rERR|MSH^1^9^200&bad type&HL70357\r"), ack231);
    assertNull(Hl7Header.of("nothing").controlId());
  }
}
