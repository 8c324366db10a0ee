package org.vitals.gateway.ingest.ble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.deadletter.DeadLetterReason;
import org.vitals.gateway.deadletter.ReadingRejectedException;
import org.vitals.gateway.ingest.GoldenVectors;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Metric;
import org.vitals.gateway.wire.WireReadingParser;

class GattDecoderTest {
  private static final HexFormat HEX = HexFormat.of();
  private final WireReadingParser parser = new WireReadingParser();
  private final GattReadingDecoder decoder = new GattReadingDecoder(parser);

  @Test
  void sfloatGoldenVectors() {
    List<String[]> rows = GoldenVectors.rows("sfloat.tsv");
    assertTrue(rows.size() >= 20, "sfloat.tsv has its vectors");
    for (String[] r : rows) {
      MderFloat f = MderFloat.sfloat(Integer.parseInt(r[0], 16));
      assertEquals(r[1], f.kind().code(), r[0]);
      if (f.isFinite()) {
        assertEquals(Integer.parseInt(r[2]), f.mantissa(), r[0]);
        assertEquals(Integer.parseInt(r[3]), f.exponent(), r[0]);
        assertEquals(r[4], f.text(), r[0]);
      } else {
        assertNull(f.value(), r[0]);
      }
    }
  }

  @Test
  void floatGoldenVectors() {
    List<String[]> rows = GoldenVectors.rows("float.tsv");
    assertTrue(rows.size() >= 10);
    for (String[] r : rows) {
      MderFloat f = MderFloat.float32(Long.parseLong(r[0], 16));
      assertEquals(r[1], f.kind().code(), r[0]);
      if (f.isFinite()) {
        assertEquals(Integer.parseInt(r[2]), f.mantissa(), r[0]);
        assertEquals(Integer.parseInt(r[3]), f.exponent(), r[0]);
        if (!r[4].isEmpty()) {
          assertEquals(r[4], f.text(), r[0]);
        }
      }
    }
  }

  @Test
  void bloodPressureGoldenVectors() {
    List<String[]> rows = GoldenVectors.rows("gatt-bp.tsv");
    assertTrue(rows.size() >= 10);
    for (String[] r : rows) {
      byte[] bytes = HEX.parseHex(r[0]);
      if (r[1].equals("ok")) {
        assertEquals(r[2], GattDecoder.bloodPressure(bytes).canonical(), r[0]);
      } else {
        GattFormatException e =
            assertThrows(GattFormatException.class, () -> GattDecoder.bloodPressure(bytes), r[0]);
        assertEquals(r[1], e.kind(), r[0]);
      }
    }
  }

  @Test
  void bloodPressureExampleGivesExactlyTheFirmwareReading() {
    // The firmware's cuff bridge forwards the 0x2A35 worked example as this reading.
    String golden = GoldenVectors.text("json/bp-from-gatt-example.json");
    String envelope =
        "{\"v\":1,\"dev\":\"esp32-a1b2c3\",\"boot\":17,\"seq\":12348,\"ts\":1732680000000,\"tsq\":\"ntp\",\"up\":4714000,"
            + "\"uuid\":\"2A35\",\"hex\":\"1E740047005600E2070B0B0B260F4800010000\"}";
    Instant now = Instant.parse("2026-11-27T06:00:00Z");
    List<Measurement> fromBytes =
        decoder.decode(
            "vitals/v1/esp32-a1b2c3/esp32-a1b2c3/gatt",
            envelope.getBytes(StandardCharsets.UTF_8),
            now);
    List<Measurement> fromJson =
        parser.parse(
            "vitals/v1/esp32-a1b2c3/esp32-a1b2c3/bp", golden.getBytes(StandardCharsets.UTF_8), now);
    assertEquals(fromJson, fromBytes);
    assertEquals(Metric.BP, fromBytes.get(0).metric());
    assertEquals(new BigDecimal("116"), fromBytes.get(0).components().get(150021));
    assertEquals(Instant.parse("2018-11-11T11:38:15Z"), fromBytes.get(0).time());
    assertEquals("esp32-a1b2c3:17:12348:pr", fromBytes.get(1).identity());
  }

  @Test
  void base64IsAcceptedLikeHex() {
    String b64 = java.util.Base64.getEncoder().encodeToString(HEX.parseHex("00740047005600"));
    List<Measurement> m =
        decode(
            "cuff-1",
            "{\"v\":1,\"dev\":\"cuff-1\",\"boot\":1,\"seq\":2,\"ts\":1732680000000,\"uuid\":\"0x2a35\",\"b64\":\""
                + b64
                + "\"}");
    assertEquals(1, m.size());
    assertEquals(new BigDecimal("71"), m.get(0).components().get(150022));
    assertEquals(new BigDecimal("86"), m.get(0).components().get(150023));
  }

  @Test
  void glucoseWorkedExampleIs99MgPerDl() {
    GattDecoder.Decoded d = GattDecoder.glucose(HEX.parseHex("020100E9070108130730" + "63B011"));
    assertEquals("seq=1 time=2025-01-08T19:07:48 conc=99 mg/dL type=1 location=1", d.canonical());
    List<Measurement> m =
        decode("meter-1", envelope("meter-1", "2A18", "020100E907010813073063B011"));
    assertEquals(Metric.GLUCOSE, m.get(0).metric());
    assertEquals(0, new BigDecimal("99").compareTo(m.get(0).value()));
    assertEquals(160184, m.get(0).mdc());
    assertEquals(Instant.parse("2025-01-08T19:07:48Z"), m.get(0).time());
  }

  @Test
  void glucoseInMolPerLitreIsConvertedToMgPerDl() {
    // flags 0x06: concentration, mol/L; 0xC038 = 56 × 10^-4 mol/L = 5.6 mmol/L; venous plasma.
    List<Measurement> m =
        decode("meter-2", envelope("meter-2", "2A18", "060200E907010813073038C014"));
    assertEquals(0, new BigDecimal("100.9").compareTo(m.get(0).value()));
    assertEquals(160196, m.get(0).mdc());
  }

  @Test
  void plxSpotCheckWorkedExampleAndTheFlagTrap() {
    assertEquals("spo2=97 pr=72", GattDecoder.plxSpotCheck(HEX.parseHex("0061004800")).canonical());
    List<Measurement> m = decode("ox-1", envelope("ox-1", "2A5E", "0061004800"));
    assertEquals(Metric.SPO2, m.get(0).metric());
    assertEquals(0, new BigDecimal("97").compareTo(m.get(0).value()));
    assertEquals(Metric.PR, m.get(1).metric());
    assertEquals("ox-1:1:5:pr", m.get(1).identity());
    // Spot-check flag bit0 is the time stamp: 5 bytes with bit0 set are truncated, not "Fast".
    assertEquals(
        "truncated",
        assertThrows(
                GattFormatException.class,
                () -> GattDecoder.plxSpotCheck(HEX.parseHex("0161004800")))
            .kind());
  }

  @Test
  void plxContinuousSkipsFastAndSlowPairsAndReadsStatus() {
    // flags 0x0B: fast pair, slow pair, device & sensor status with "sensor unconnected" (bit 11).
    GattDecoder.Decoded d =
        GattDecoder.plxContinuous(
            HEX.parseHex("0B" + "6100" + "4800" + "6000" + "4700" + "5F00" + "4600" + "000800"));
    assertEquals("spo2=97 pr=72 sstatus=0x000800", d.canonical());
    assertNull(d.values().get(0).value(), "no value when the sensor is off the patient");
    assertTrue(d.values().get(0).statuses().contains("probe_off"));
  }

  @Test
  void temperatureWorkedExampleAndSpecialValues() {
    assertEquals(
        "temp=36.5 unit=degC type=6",
        GattDecoder.temperature(HEX.parseHex("046D0100FF06")).canonical());
    List<Measurement> m = decode("th-1", envelope("th-1", "2A1C", "046D0100FF06"));
    assertEquals(0, new BigDecimal("36.5").compareTo(m.get(0).value()));
    // NaN FLOAT becomes a null value with dataAbsentReason not-a-number; +INF positive-infinity.
    assertEquals(
        "not-a-number",
        decode("th-1", envelope("th-1", "2A1C", "00FFFF7F00")).get(0).dataAbsentReason());
    assertEquals(
        "positive-infinity",
        decode("th-1", envelope("th-1", "2A1C", "00FEFF7F00")).get(0).dataAbsentReason());
    // 98.6 °F: converted by the shared normalisation.
    assertEquals(
        0,
        new BigDecimal("37")
            .compareTo(decode("th-1", envelope("th-1", "2A1C", "01DA0300FF")).get(0).value()));
  }

  @Test
  void malformedBytesAreRejectedWithAReason() {
    ReadingRejectedException e =
        assertThrows(
            ReadingRejectedException.class,
            () -> decode("cuff-1", envelope("cuff-1", "2A35", "007400")));
    assertEquals(DeadLetterReason.GATT_MALFORMED, e.reason());
    assertTrue(e.getMessage().startsWith("truncated"), e.getMessage());
    assertEquals(
        DeadLetterReason.GATT_MALFORMED,
        assertThrows(ReadingRejectedException.class, () -> decode("x", envelope("x", "2A37", "00")))
            .reason());
    assertEquals(
        DeadLetterReason.SCHEMA_VIOLATION,
        assertThrows(
                ReadingRejectedException.class,
                () ->
                    decode(
                        "x",
                        "{\"v\":1,\"dev\":\"x\",\"boot\":1,\"seq\":1,\"ts\":1,\"uuid\":\"2A35\",\"hex\":\"zz\"}"))
            .reason());
  }

  private static String envelope(String dev, String uuid, String hex) {
    return "{\"v\":1,\"dev\":\""
        + dev
        + "\",\"boot\":1,\"seq\":5,\"ts\":1732680000000,\"tsq\":\"gw\",\"uuid\":\""
        + uuid
        + "\",\"hex\":\""
        + hex
        + "\"}";
  }

  private List<Measurement> decode(String dev, String json) {
    return decoder.decode(
        "vitals/v1/phone-1/" + dev + "/gatt", json.getBytes(StandardCharsets.UTF_8), Instant.now());
  }
}
