package org.vitals.gateway.ingest.serial;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.wire.WireReadingParser;

/** The jSerialComm reader over a socat virtual serial cable: lines, rejections, reconnects. */
class SerialPortReaderTest {
  final List<String> ids = new CopyOnWriteArrayList<>();
  final List<String> rejected = new CopyOnWriteArrayList<>();

  static String frame(String body) {
    return SerialSessionTest.frame(body);
  }

  @Test
  void readsLinesCountsBadOnesAndReconnectsWhenThePortComesBack() throws Exception {
    Path dir = Files.createTempDirectory("serial-test");
    SerialSession session =
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
                ms.forEach(m -> ids.add(m.identity()));
              }

              @Override
              public void rejected(String line, Instant at, String reason, String detail) {
                rejected.add(reason);
              }
            });
    try (SocatPair cable = new SocatPair(dir).start();
        SerialPortReader reader =
            new SerialPortReader(cable.gateway.toString(), 115200, session, Duration.ofMillis(200))
                .start()) {
      await().atMost(Duration.ofSeconds(10)).until(reader::connected);
      cable.write("garbage tail after reset\n");
      cable.write(frame("H,1,uno-ecg-01,17,0.1.0") + "\r\n");
      cable.write("$N,17,42,123"); // a line split over two writes
      Thread.sleep(50);
      cable.write("456,hr,valid,72*B56A\n$N,17,43,123556,hr,valid,72*0000\n");
      cable.write("# vitals: low battery\n");
      cable.write(frame("N,17,44,123656,spo2,valid,97") + "\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> ids.size() == 2);
      assertEquals(List.of("uno-ecg-01:17:42", "uno-ecg-01:17:44"), ids);
      assertEquals(List.of("no-start", "bad-crc"), rejected);
      assertEquals(1L, session.counts().get("comment"));

      // Pull the cable, plug it back: the reader reopens and waits for the node's next hello.
      cable.stop();
      await().atMost(Duration.ofSeconds(10)).until(() -> !reader.connected());
      cable.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> reader.connected() && reader.opens() == 2);
      cable.write(frame("N,17,45,123756,hr,valid,70") + "\n"); // before the new hello
      cable.write(frame("H,1,uno-ecg-01,18,0.1.0") + "\n" + frame("N,18,1,50,hr,valid,71") + "\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> ids.size() == 3);
      assertEquals("uno-ecg-01:18:1", ids.get(2));
      assertTrue(rejected.contains("no-hello"));
    }
  }
}
