package org.vitals.gateway.collector;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.ingest.serial.Crc16Ccitt;
import org.vitals.gateway.ingest.serial.SocatPair;
import org.vitals.gateway.simulator.MitBihRecord;
import org.vitals.gateway.simulator.Replay;
import org.vitals.inference.wfdb.WfdbReader;
import org.vitals.inference.wfdb.WfdbRecord;

/**
 * The collector against real components: Mosquitto at 127.0.0.1:1883 (a topic prefix of its own), a
 * socat virtual serial cable, and MLLP over real sockets (as a server, and as a tee in front of a
 * receiver). Files, rotation, manifest and checksums are checked; the serial ECG is read back by
 * the inference module's WFDB reader; a replay of the MQTT recording reproduces the same messages.
 */
class CollectorIT {
  static final String MOSQUITTO = "tcp://127.0.0.1:1883";
  static final ObjectMapper JSON = new ObjectMapper();

  static Collector.Options options(Path out, String... args) {
    List<String> a = new ArrayList<>(List.of("--out", out.toString()));
    a.addAll(List.of(args));
    return Collector.parse(a.toArray(String[]::new));
  }

  static void requireMosquitto() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 1883), 2000);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Mosquitto is not listening on 127.0.0.1:1883; start it (bash .ci/services.sh)", e);
    }
  }

  static JsonNode manifest(Path dir) throws IOException {
    return JSON.readTree(dir.resolve(Manifest.FILE).toFile());
  }

  /** Every entry's file exists with the listed size and SHA-256. */
  static void assertChecksums(Path dir, JsonNode m) throws IOException {
    for (JsonNode f : m.get("files")) {
      Path file = dir.resolve(f.get("file").asText());
      assertEquals(f.get("bytes").asLong(), Files.size(file), f.toString());
      assertEquals(f.get("sha256").asText(), WfdbEcgWriter.sha256(file), f.toString());
    }
  }

  static List<JsonNode> lines(Path dir, JsonNode m, String stream) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode f : m.get("files")) {
      if (f.get("stream").asText().equals(stream)) {
        for (String l : Files.readAllLines(dir.resolve(f.get("file").asText()))) {
          out.add(JSON.readTree(l));
        }
      }
    }
    return out;
  }

  @Test
  void recordsMqttWithRotationAndAManifestAndTheReplayPublishesTheSameMessages() throws Exception {
    requireMosquitto();
    String gw = "coll-" + UUID.randomUUID().toString().substring(0, 8);
    String filter = "vitals/v1/" + gw + "/#";
    Path out = Files.createTempDirectory("collect-mqtt");
    List<String> sent = new ArrayList<>();
    try (Collector c =
        new Collector(options(out, "--mqtt", MOSQUITTO, "--topic", filter, "--rotate-size", "4k"))
            .start()) {
      MqttClient pub = new MqttClient(MOSQUITTO, gw + "-dev", new MemoryPersistence());
      pub.connect(new MqttConnectionOptions());
      for (int i = 1; i <= 60; i++) {
        String body =
            "{\"v\":1,\"dev\":\"mon-1\",\"boot\":1,\"seq\":"
                + i
                + ",\"ts\":"
                + (1_764_230_400_000L + i * 50L)
                + ",\"metric\":\"spo2\",\"val\":9"
                + (i % 10)
                + ".0,\"unit\":\"%\"}";
        sent.add(body);
        pub.publish(
            "vitals/v1/" + gw + "/mon-1/spo2", body.getBytes(StandardCharsets.UTF_8), 1, false);
        Thread.sleep(10);
      }
      pub.disconnect();
      pub.close();
      await().atMost(Duration.ofSeconds(20)).until(() -> c.mqtt().received() == 60);
    }
    JsonNode m = manifest(out);
    assertTrue(m.get("complete").asBoolean(), m.toPrettyString());
    assertTrue(m.get("files").size() >= 2, "4 KiB rotation makes several files: " + m);
    assertEquals(60, sumCounts(m, "mqtt"));
    assertChecksums(out, m);
    List<JsonNode> recorded = lines(out, m, "mqtt");
    assertEquals(sent, recorded.stream().map(l -> l.get("payload").asText()).toList());
    assertTrue(recorded.stream().allMatch(l -> l.get("topic").asText().endsWith("/mon-1/spo2")));

    // Replay the recording (original timing) while a second collector records the same topics.
    Path again = Files.createTempDirectory("collect-replay");
    try (Collector c2 =
        new Collector(options(again, "--mqtt", MOSQUITTO, "--topic", filter)).start()) {
      long span =
          recorded.get(recorded.size() - 1).get("rtMs").asLong()
              - recorded.get(0).get("rtMs").asLong();
      long t = System.nanoTime();
      assertEquals(60, Replay.replay(out.resolve(Manifest.FILE), MOSQUITTO, 1.0, false));
      long took = (System.nanoTime() - t) / 1_000_000;
      assertTrue(
          took >= span - 20,
          "original timing: took " + took + " ms for a " + span + " ms recording");
      await().atMost(Duration.ofSeconds(20)).until(() -> c2.mqtt().received() == 60);
    }
    JsonNode m2 = manifest(again);
    assertEquals(
        sent, lines(again, m2, "mqtt").stream().map(l -> l.get("payload").asText()).toList());
  }

  static long sumCounts(JsonNode m, String stream) {
    long n = 0;
    for (JsonNode f : m.get("files")) {
      if (f.get("stream").asText().equals(stream)) {
        n += f.get("count").asLong();
      }
    }
    return n;
  }

  static String frame(String body) {
    return "$" + body + "*" + String.format("%04X", Crc16Ccitt.of(body));
  }

  @Test
  void recordsASerialPortEcgAsWfdbThatTheInferenceReaderReadsBackAndOtherReadingsAsNdjson()
      throws Exception {
    MitBihRecord mit =
        MitBihRecord.read(
            Path.of(System.getProperty("vitals.data.dir", "../../shared/data")).resolve("mitdb"),
            "101");
    int[] ecg = mit.resampled(250, 0, 2400);
    for (int i = 0; i < ecg.length; i++) {
      ecg[i] -= mit.baseline();
    }
    requireMosquitto();
    String gw = "ser-" + UUID.randomUUID().toString().substring(0, 8);
    Path dir = Files.createTempDirectory("collect-serial");
    Path out = dir.resolve("rec");
    try (SocatPair cable = new SocatPair(dir).start();
        Collector c =
            new Collector(
                    options(
                        out,
                        "--serial",
                        cable.gateway.toString(),
                        "--gateway-id",
                        gw,
                        "--rotate-size",
                        "2k"))
                .start()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> c.serial().connected());
      cable.write(frame("H,1,uno-ecg-01,17,0.1.0") + "\n");
      cable.write(frame("N,17,1,900,hr,valid,72") + "\n");
      cable.write(frame("B,17,2,950,valid,121,79,93,70") + "\n");
      cable.write("$N,17,3,960,hr,valid,72*0000\n"); // bad CRC
      long seq = 4;
      int per = 30;
      int[] expected = ecg.clone();
      for (int from = 0; from < ecg.length; from += per) {
        if (from == 600) {
          Arrays.fill(expected, from, from + per, WfdbReader.invalidSampleValue(16));
          seq++;
          continue; // a line the cable lost
        }
        StringBuilder b =
            new StringBuilder(
                "W,17," + seq++ + "," + (1000 + from * 4) + ",ecg,131329,4,0,0.005,valid");
        for (int k = from; k < from + per; k++) {
          b.append(',').append(ecg[k]);
        }
        cable.write(frame(b.toString()) + "\n");
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> c.serial().ecgSamples() == ecg.length - per && c.serial().readings() == 2);
      c.close();
      JsonNode m = manifest(out);
      assertTrue(m.get("complete").asBoolean());
      assertChecksums(out, m);
      int[] read = new int[0];
      int records = 0;
      for (JsonNode f : m.get("files")) {
        if (f.get("kind").asText().equals("wfdb")) {
          records++;
          WfdbRecord r = WfdbReader.read(out, f.get("record").asText());
          assertEquals(250.0, r.samplingFrequency());
          assertEquals(200.0, r.header().signals().get(0).gain());
          assertEquals("vitals/v1/" + gw + "/uno-ecg-01/ecg", f.get("topic").asText());
          read = IntStream.concat(Arrays.stream(read), Arrays.stream(r.samples()[0])).toArray();
        }
      }
      assertTrue(records >= 2, "2 KiB rotation: the 2400 samples span several records");
      assertArrayEquals(expected, read, "WFDB read back by the inference reader, sample-exact");

      List<JsonNode> serial = lines(out, m, "serial");
      assertEquals(3, serial.size(), serial.toString());
      assertEquals("vitals/v1/" + gw + "/uno-ecg-01/hr", serial.get(0).get("topic").asText());
      JsonNode hr = JSON.readTree(serial.get(0).get("payload").asText());
      assertEquals(72, hr.get("val").asInt());
      assertEquals("gw", hr.get("tsq").asText());
      JsonNode bp = JSON.readTree(serial.get(1).get("payload").asText());
      assertEquals(121, bp.get("cmp").get("150021").asInt());
      assertEquals("bad-crc", serial.get(2).get("rejected").asText());

      // The recording replays to MQTT: the two readings as recorded, the ECG as 1-s chunks whose
      // samples are the recorded ones (the lost line splits a chunk).
      Path again = dir.resolve("replayed");
      try (Collector c2 =
          new Collector(options(again, "--mqtt", MOSQUITTO, "--topic", "vitals/v1/" + gw + "/#"))
              .start()) {
        long n = Replay.replay(out, MOSQUITTO, 0, false);
        await().atMost(Duration.ofSeconds(20)).until(() -> c2.mqtt().received() == n);
      }
      List<JsonNode> replayed = lines(again, manifest(again), "mqtt");
      List<String> readings =
          replayed.stream()
              .filter(l -> !l.get("topic").asText().endsWith("/ecg"))
              .map(l -> l.get("payload").asText())
              .toList();
      assertEquals(
          serial.subList(0, 2).stream().map(l -> l.get("payload").asText()).toList(), readings);
      int[] chunks = new int[0];
      for (JsonNode l : replayed) {
        if (l.get("topic").asText().endsWith("/ecg")) {
          JsonNode r = JSON.readTree(l.get("payload").asText());
          assertEquals(0.005, r.get("factor").asDouble());
          assertEquals(4, r.get("period").asInt());
          int[] data = JSON.convertValue(r.get("leads").get(0).get("data"), int[].class);
          chunks = IntStream.concat(Arrays.stream(chunks), Arrays.stream(data)).toArray();
        }
      }
      int[] withoutGap =
          Arrays.stream(expected).filter(v -> v != WfdbReader.invalidSampleValue(16)).toArray();
      assertArrayEquals(withoutGap, chunks, "ECG replayed from WFDB");
    }
  }

  static byte[] mllp(String message) {
    return MllpRecorder.frame(message.getBytes(StandardCharsets.UTF_8));
  }

  static String ack(InputStream in) throws IOException {
    byte[] f = MllpRecorder.readFrame(in);
    return f == null ? null : new String(f, StandardCharsets.UTF_8);
  }

  static List<String> hl7Messages() throws IOException {
    List<String> out = new ArrayList<>();
    for (String name :
        List.of("ge-style-oru-v25.hl7", "intellivue-pcd01-v26.hl7", "bedside-oru-v231.hl7")) {
      // The fixtures keep one segment per line; on the wire segments end in CR.
      String text = Files.readString(Path.of("src/test/resources/hl7", name));
      out.add(text.strip().replace("\r\n", "\r").replace("\n", "\r") + "\r");
    }
    return out;
  }

  @Test
  void recordsAnMllpFeedExactlyAsReceivedAndAcknowledgesEachMessage() throws Exception {
    Path out = Files.createTempDirectory("collect-mllp");
    List<String> messages = hl7Messages();
    try (Collector c =
            new Collector(
                    options(out, "--mllp", "0", "--mllp-bind", "127.0.0.1", "--rotate-size", "1k"))
                .start();
        Socket s = new Socket(InetAddress.getLoopbackAddress(), c.mllp().port())) {
      s.setSoTimeout(10_000);
      for (String msg : messages) {
        s.getOutputStream().write(mllp(msg));
        s.getOutputStream().flush();
        String a = ack(s.getInputStream());
        String control = msg.split("\r")[0].split("\\|")[9];
        assertTrue(a.contains("\rMSA|AA|" + control), a);
      }
      s.getOutputStream().write(mllp("not hl7"));
      assertTrue(ack(s.getInputStream()).contains("MSA|AR|"));
      c.close();
      JsonNode m = manifest(out);
      assertChecksums(out, m);
      assertTrue(m.get("files").size() >= 2, "1 KiB rotation: " + m);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (JsonNode f : m.get("files")) {
        all.write(Files.readAllBytes(out.resolve(f.get("file").asText())));
        assertEquals("server", f.get("mode").asText());
      }
      ByteArrayOutputStream sentBytes = new ByteArrayOutputStream();
      for (String msg : messages) {
        sentBytes.write(mllp(msg));
      }
      sentBytes.write(mllp("not hl7"));
      assertArrayEquals(sentBytes.toByteArray(), all.toByteArray(), "stored exactly as received");
    }
  }

  @Test
  void asATeeItPassesTheReceiversAckBackAndAnswersAeWhenTheReceiverIsGone() throws Exception {
    Path out = Files.createTempDirectory("collect-tee");
    List<String> messages = hl7Messages();
    List<String> atReceiver = new java.util.concurrent.CopyOnWriteArrayList<>();
    ServerSocket receiver = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    java.util.concurrent.atomic.AtomicReference<Socket> accepted =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try (Socket s = receiver.accept()) {
                accepted.set(s);
                byte[] f;
                while ((f = MllpRecorder.readFrame(s.getInputStream())) != null) {
                  String msg = new String(f, StandardCharsets.UTF_8);
                  atReceiver.add(msg);
                  String control = msg.split("\r")[0].split("\\|")[9];
                  s.getOutputStream()
                      .write(
                          mllp(
                              "MSH|^~\\&|RECEIVER|X|||20261127||ACK|R"
                                  + control
                                  + "|P|2.6\rMSA|AA|"
                                  + control
                                  + "|from the receiver\r"));
                }
              } catch (IOException e) {
                // the test closed it
              }
            });
    t.start();
    try (Collector c =
            new Collector(
                    options(
                        out,
                        "--mllp",
                        "0",
                        "--mllp-bind",
                        "127.0.0.1",
                        "--mllp-forward",
                        "127.0.0.1:" + receiver.getLocalPort()))
                .start();
        Socket s = new Socket(InetAddress.getLoopbackAddress(), c.mllp().port())) {
      s.setSoTimeout(40_000);
      s.getOutputStream().write(mllp(messages.get(0)));
      assertTrue(ack(s.getInputStream()).contains("from the receiver"));
      assertEquals(List.of(messages.get(0)), atReceiver);
      receiver.close(); // the receiver goes away: no connection, no new one
      accepted.get().close();
      t.join(5000);
      s.getOutputStream().write(mllp(messages.get(1)));
      String ae = ack(s.getInputStream());
      assertTrue(ae.contains("MSA|AE|"), ae);
      c.close();
      assertEquals(2, sumCounts(manifest(out), "hl7"), "both are recorded");
      assertEquals("tee", manifest(out).get("files").get(0).get("mode").asText());
    }
  }

  static Process collectProcess(Path out, String... args) throws IOException {
    Path jar = Path.of("target/device-gateway.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath() + " is missing: run mvn verify (after package)");
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "java",
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString(),
                "collect",
                "--out",
                out.toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile())
        .start();
  }

  @Test
  void ctrlCAndTheEndOfSecondsCloseTheFilesAndCompleteTheManifest() throws Exception {
    Path dir = Files.createTempDirectory("collect-stop");
    Path interrupted = dir.resolve("interrupted");
    Process p = collectProcess(interrupted, "--mllp", "0", "--mllp-bind", "127.0.0.1");
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                Files.exists(interrupted.resolve(Manifest.FILE))
                    && manifest(interrupted).path("sources").path("mllp").path("port").asInt() > 0);
    int port = manifest(interrupted).get("sources").get("mllp").get("port").asInt();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(mllp(hl7Messages().get(0)));
      assertTrue(ack(s.getInputStream()).contains("MSA|AA|"));
    }
    assertTrue(!manifest(interrupted).get("complete").asBoolean());
    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor(); // Ctrl-C
    assertTrue(
        p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "collector did not stop on SIGINT");
    JsonNode m = manifest(interrupted);
    assertTrue(m.get("complete").asBoolean(), m.toPrettyString());
    assertEquals(1, sumCounts(m, "hl7"));
    assertChecksums(interrupted, m);

    Path timed = dir.resolve("timed");
    Process q = collectProcess(timed, "--mllp", "0", "--mllp-bind", "127.0.0.1", "--seconds", "2");
    assertTrue(q.waitFor(3, java.util.concurrent.TimeUnit.MINUTES), "--seconds 2 did not end");
    assertEquals(0, q.exitValue());
    assertTrue(manifest(timed).get("complete").asBoolean());
  }
}
