package org.vitals.gateway.ingest.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Metric;
import org.vitals.gateway.wire.WireReadingParser;

class SerialSessionTest {
  final List<Measurement> readings = new ArrayList<>();
  final List<String> rejected = new ArrayList<>();
  final SerialSession session =
      new SerialSession(
          "pi-1",
          new WireReadingParser(),
          new SerialSession.Output() {
            @Override
            public void readings(
                String line,
                com.fasterxml.jackson.databind.node.ObjectNode reading,
                Instant at,
                List<Measurement> ms) {
              readings.addAll(ms);
            }

            @Override
            public void rejected(String line, Instant at, String reason, String detail) {
              rejected.add(reason);
            }
          });
  final Instant t0 = Instant.parse("2026-11-27T06:00:00Z");

  static String frame(String body) {
    return "$" + body + "*" + String.format("%04X", Crc16Ccitt.of(body));
  }

  @Test
  void recordsBeforeTheFirstHelloOrOfAnotherBootAreNoHello() {
    session.portOpened();
    session.line(frame("N,17,42,123456,hr,valid,72"), t0);
    session.line("# vitals: starting", t0);
    session.line(frame("H,1,uno-ecg-01,17,0.1.0"), t0);
    session.line(frame("N,17,43,124456,hr,valid,73"), t0.plusSeconds(1));
    session.line(frame("N,18,1,100,hr,valid,74"), t0.plusSeconds(2)); // reset without a hello
    assertEquals(List.of("no-hello", "no-hello"), rejected);
    assertEquals(1, readings.size());
    Measurement m = readings.get(0);
    assertEquals("uno-ecg-01:17:43", m.identity());
    assertEquals("pi-1", m.gatewayId());
    assertEquals(Metric.HR, m.metric());
    assertEquals(0, new BigDecimal("73").compareTo(m.value()));
    assertEquals(Measurement.TimeQuality.GW, m.timeQuality());
    assertEquals(1L, session.counts().get("comment"));
    assertEquals(2L, session.counts().get("no-hello"));
  }

  @Test
  void waveformChunksAreStampedFromUptimeSoTheyStayContiguous() {
    session.line(frame("H,1,uno-ecg-01,17,0.1.0"), t0);
    // Chunk 1 arrives 30 ms late, chunk 2 on time: both are stamped from the best offset.
    session.line(
        frame("W,17,44,10000,ecg,131330,4.000,0,0.005,valid,1,2,3,4,5,6,7,8,9,10"),
        t0.plusMillis(10_030));
    session.line(
        frame("W,17,45,10040,ecg,131330,4.000,0,0.005,valid,1,2,3,4,5,6,7,8,9,10"),
        t0.plusMillis(10_040));
    session.line(
        frame("W,17,46,10080,ecg,131330,4.000,0,0.005,valid,1,2,3,4,5,6,7,8,9,10"),
        t0.plusMillis(10_095));
    assertEquals(3, readings.size());
    assertEquals(
        readings.get(1).time().plusMillis(40), readings.get(2).time(), "contiguous chunks");
    assertEquals(readings.get(1).end(), readings.get(2).time());
    assertEquals(t0.plusMillis(10_080), readings.get(2).time());
  }

  @Test
  void bloodPressureWithEmptyMeanAndPulseAndAbsentValues() {
    session.line(frame("H,1,cuff-1,3,0.1.0"), t0);
    session.line("$B,3,89,8000,valid,116,71,,*C41B", t0);
    session.line("$N,17,43,124456,hr,lead_off,*765E", t0); // boot 17 != 3
    session.line(frame("N,3,90,9000,spo2,probe_off,"), t0);
    assertEquals(List.of("no-hello"), rejected);
    assertEquals(Metric.BP, readings.get(0).metric());
    assertEquals(2, readings.get(0).components().size());
    assertNull(readings.get(1).value());
    assertEquals("error", readings.get(1).dataAbsentReason());
  }

  @Test
  void badLinesAreRejectedWithTheirReasonAndImplausibleValuesByTheSharedNormalisation() {
    session.line(frame("H,1,node-1,1,0.1.0"), t0);
    session.line("$N,17,42,123456,hr,valid,72*B560", t0);
    session.line("N,17,42,123456,hr,valid,72*B56A", t0);
    session.line(frame("N,1,2,100,spo2,valid,140"), t0);
    assertEquals(List.of("bad-crc", "no-start", "implausible-value"), rejected);
    assertTrue(readings.isEmpty());
  }
}
