package org.vitals.gateway.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vitals.gateway.TestReadings.*;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.deadletter.DeadLetterReason;
import org.vitals.gateway.deadletter.ReadingRejectedException;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Metric;

class WireReadingParserTest {
  private final WireReadingParser parser = new WireReadingParser();
  private final Instant now = Instant.parse("2026-11-27T05:00:00Z");

  private Measurement one(String metric, byte[] payload) {
    List<Measurement> ms = parser.parse(topic("dev-1", metric), payload, now);
    assertThat(ms).hasSize(1);
    return ms.get(0);
  }

  private DeadLetterReason reason(String topic, byte[] payload) {
    try {
      parser.parse(topic, payload, now);
    } catch (ReadingRejectedException e) {
      assertThat(e.getMessage()).isNotBlank();
      return e.reason();
    }
    throw new AssertionError("expected a rejection");
  }

  @Test
  void numericReadingKeepsIdentityTimeCodeAndUnit() {
    Measurement m = one("spo2", numeric("dev-1", 12345, "spo2", "97", "%"));
    assertThat(m.identity()).isEqualTo("dev-1:1:12345");
    assertThat(m.gatewayId()).isEqualTo("gw-test");
    assertThat(m.metric()).isEqualTo(Metric.SPO2);
    assertThat(m.mdc()).isEqualTo(150456);
    assertThat(m.time()).isEqualTo(Instant.ofEpochMilli(1732680000123L));
    assertThat(m.value()).isEqualByComparingTo("97");
  }

  @Test
  void convertsFahrenheitToCelsius() {
    assertThat(one("temp", numeric("dev-1", 1, "temp", "98.6", "[degF]")).value())
        .isEqualByComparingTo("37");
    assertThat(one("temp", numeric("dev-1", 1, "temp", "101.3", "[degF]")).value())
        .isEqualByComparingTo("38.5");
  }

  @Test
  void convertsMmolPerLitreGlucoseToMgPerDl() {
    // 5.5 mmol/L x 18.016 = 99.088 -> 99.1 mg/dL
    assertThat(one("glucose", numeric("dev-1", 1, "glucose", "5.5", "mmol/L")).value())
        .isEqualByComparingTo("99.1");
    assertThat(one("glucose", numeric("dev-1", 1, "glucose", "120", "mg/dL")).value())
        .isEqualByComparingTo("120");
  }

  @Test
  void convertsKilopascalBloodPressureToMmHg() {
    List<Measurement> ms =
        parser.parse(topic("dev-1", "bp"), bp("dev-1", 9, "16", "10.67", "12.4", "kPa"), now);
    assertThat(ms).hasSize(2);
    Measurement bp = ms.get(0);
    // 16 kPa x 7.50062 = 120.0 mmHg; 10.67 kPa = 80.0 mmHg; 12.4 kPa = 93.0 mmHg
    assertThat(bp.components().get(150021)).isEqualByComparingTo("120");
    assertThat(bp.components().get(150022)).isEqualByComparingTo(new BigDecimal("80"));
    assertThat(bp.components().get(150023)).isEqualByComparingTo("93");
    Measurement pulse = ms.get(1);
    assertThat(pulse.identity()).isEqualTo("dev-1:1:9:pr");
    assertThat(pulse.mdc()).isEqualTo(149546);
    assertThat(pulse.value()).isEqualByComparingTo("72");
  }

  @Test
  void nullValueBecomesDataAbsentReasonFromStatus() {
    byte[] p =
        "{\"v\":1,\"dev\":\"dev-1\",\"boot\":1,\"seq\":2,\"ts\":1,\"metric\":\"hr\",\"val\":null,\"unit\":\"/min\",\"st\":[\"nan\"]}"
            .getBytes(StandardCharsets.UTF_8);
    Measurement m = one("hr", p);
    assertThat(m.value()).isNull();
    assertThat(m.dataAbsentReason()).isEqualTo("not-a-number");
    byte[] leadOff =
        "{\"v\":1,\"dev\":\"dev-1\",\"boot\":1,\"seq\":3,\"ts\":1,\"metric\":\"hr\",\"val\":null,\"unit\":\"/min\",\"st\":[\"lead_off\"]}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(one("hr", leadOff).dataAbsentReason()).isEqualTo("error");
  }

  @Test
  void clocklessDeviceGetsTheReceiveTime() {
    byte[] p =
        "{\"v\":1,\"dev\":\"dev-1\",\"boot\":1,\"seq\":2,\"tsq\":\"none\",\"metric\":\"rr\",\"val\":16,\"unit\":\"/min\"}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(one("rr", p).time()).isEqualTo(now);
  }

  @Test
  void ecgChunkKeepsSamplesAndPeriod() {
    Measurement m = one("ecg", ecg("dev-1", 5, 1_000_000L, 250));
    assertThat(m.waveform().sampleCount()).isEqualTo(250);
    assertThat(m.waveform().leads().get(0).mdc()).isEqualTo(131330);
    assertThat(m.end()).isEqualTo(Instant.ofEpochMilli(1_001_000L));
  }

  @Test
  void rejectsBadInputWithTheRightReason() {
    assertThat(reason(topic("dev-1", "spo2"), numeric("dev-1", 1, "spo2", "140", "%")))
        .isEqualTo(DeadLetterReason.IMPLAUSIBLE_VALUE);
    assertThat(reason(topic("dev-1", "hr"), numeric("dev-1", 1, "hr", "-5", "/min")))
        .isEqualTo(DeadLetterReason.IMPLAUSIBLE_VALUE);
    assertThat(reason(topic("dev-1", "hr"), numeric("dev-1", 1, "hr", "60", "bpm")))
        .isEqualTo(DeadLetterReason.UNIT_NOT_ALLOWED);
    assertThat(reason(topic("dev-1", "temp"), numeric("dev-1", 1, "temp", "37", "K")))
        .isEqualTo(DeadLetterReason.UNIT_NOT_ALLOWED);
    assertThat(reason(topic("dev-1", "weight"), numeric("dev-1", 1, "weight", "70", "kg")))
        .isEqualTo(DeadLetterReason.UNKNOWN_METRIC);
    assertThat(reason(topic("dev-1", "hr"), "{\"v\":1,\"dev\":".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(DeadLetterReason.MALFORMED_JSON);
    assertThat(reason(topic("dev-1", "hr"), "[1,2]".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(DeadLetterReason.MALFORMED_JSON);
    assertThat(reason(topic("dev-1", "hr"), new byte[WireReadingParser.MAX_PAYLOAD_BYTES + 1]))
        .isEqualTo(DeadLetterReason.PAYLOAD_TOO_LARGE);
    assertThat(reason(topic("dev-2", "hr"), numeric("dev-1", 1, "hr", "60", "/min")))
        .isEqualTo(DeadLetterReason.TOPIC_MISMATCH);
    assertThat(reason("vitals/v1/gw/dev-1", numeric("dev-1", 1, "hr", "60", "/min")))
        .isEqualTo(DeadLetterReason.TOPIC_MISMATCH);
    assertThat(reason(topic("dev-1", "bp"), bp("dev-1", 1, "70", "90", "80", "mm[Hg]")))
        .isEqualTo(DeadLetterReason.IMPLAUSIBLE_VALUE);
    byte[] noSeq =
        "{\"v\":1,\"dev\":\"dev-1\",\"boot\":1,\"ts\":1,\"metric\":\"hr\",\"val\":60,\"unit\":\"/min\"}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(reason(topic("dev-1", "hr"), noSeq)).isEqualTo(DeadLetterReason.SCHEMA_VIOLATION);
    byte[] v2 =
        "{\"v\":2,\"dev\":\"dev-1\",\"boot\":1,\"seq\":1,\"ts\":1,\"metric\":\"hr\",\"val\":60,\"unit\":\"/min\"}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(reason(topic("dev-1", "hr"), v2)).isEqualTo(DeadLetterReason.UNSUPPORTED_VERSION);
    byte[] badId =
        "{\"v\":1,\"id\":\"x:1:2\",\"dev\":\"dev-1\",\"boot\":1,\"seq\":1,\"ts\":1,\"metric\":\"hr\",\"val\":60,\"unit\":\"/min\"}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(reason(topic("dev-1", "hr"), badId)).isEqualTo(DeadLetterReason.IDENTITY_MISMATCH);
  }

  @Test
  void rejectionSaysWhatWasWrongWithWhichValue() {
    assertThatThrownBy(
            () ->
                parser.parse(topic("dev-1", "spo2"), numeric("dev-1", 1, "spo2", "140", "%"), now))
        .hasMessageContaining("140")
        .hasMessageContaining("0 to 100 %");
  }
}
