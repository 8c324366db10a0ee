package org.vitals.gateway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.vitals.gateway.collector.Manifest;
import org.vitals.gateway.collector.MqttRecorder;
import org.vitals.gateway.collector.RecordedLine;
import org.vitals.inference.wfdb.WfdbReader;
import org.vitals.inference.wfdb.WfdbRecord;

/**
 * Replays a recording of the data collector to MQTT ({@code scripts/simulate --replay}): the NDJSON
 * messages as recorded (same topics, same payload bytes) and the WFDB ECG records as 1-s v1 ECG
 * readings, in the recorded order with the recorded timing, or faster or slower by {@code --speed}
 * ({@code 0}: as fast as the broker takes them). {@code --retime} moves every payload's {@code ts}
 * by the time between the recording and now, so a gateway takes the readings as current.
 */
public final class Replay {
  static final String USAGE =
      "usage: simulate --replay <manifest.json | recording folder | file.ndjson | record.hea>"
          + " --mqtt tcp://127.0.0.1:1883 [--speed 1.0] [--retime] [--map-topic FROM=TO]";
  private static final Pattern TS = Pattern.compile("\"ts\"\\s*:\\s*(\\d+)");
  private static final Pattern COLLECTOR_COMMENT =
      Pattern.compile("vitals-collector device (\\S+) gateway (\\S+) boot (\\d+)");

  /** One message to publish at {@code atMs} of the recording's clock. */
  public record Message(long atMs, String topic, byte[] payload, int qos, boolean retained) {}

  /** Parsed options. */
  record Options(
      Path source, String mqtt, double speed, boolean retime, String mapFrom, String mapTo) {}

  private Replay() {}

  public static int run(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("simulate: " + e.getMessage());
      System.err.println(USAGE);
      return 2;
    }
    List<Message> messages = load(o.source());
    if (messages.isEmpty()) {
      System.err.println("simulate: nothing to replay in " + o.source());
      return 1;
    }
    long[] result = publish(messages, o);
    System.out.printf(
        Locale.ROOT,
        "replayed %d messages from %s (%d not acknowledged)%n",
        result[0],
        o.source(),
        result[1]);
    return result[1] == 0 ? 0 : 1;
  }

  /**
   * Replays a recording (manifest, folder, NDJSON file or WFDB header) to the broker at {@code
   * mqtt}; returns how many messages the broker acknowledged.
   */
  public static long replay(Path source, String mqtt, double speed, boolean retime)
      throws Exception {
    return publish(load(source), new Options(source, mqtt, speed, retime, null, null))[0];
  }

  static Options parse(String[] args) {
    Path source = null;
    String mqtt = null;
    double speed = 1.0;
    boolean retime = false;
    String from = null;
    String to = null;
    for (int i = 0; i < args.length; i++) {
      String k = args[i];
      if (k.equals("--retime")) {
        retime = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(k + " needs a value");
      }
      String v = args[++i];
      switch (k) {
        case "--replay" -> source = Path.of(v);
        case "--mqtt" -> mqtt = v;
        case "--speed" -> {
          try {
            speed = Double.parseDouble(v);
          } catch (NumberFormatException e) {
            speed = -1;
          }
          if (!(speed >= 0)) {
            throw new IllegalArgumentException(
                "--speed must be a factor >= 0 (0: as fast as possible), not '" + v + "'");
          }
        }
        case "--map-topic" -> {
          int eq = v.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--map-topic needs FROM=TO (topic prefixes)");
          }
          from = v.substring(0, eq);
          to = v.substring(eq + 1);
        }
        default -> throw new IllegalArgumentException("option " + k + " does not go with --replay");
      }
    }
    if (source == null || mqtt == null) {
      throw new IllegalArgumentException("--replay and --mqtt are required");
    }
    return new Options(source, mqtt, speed, retime, from, to);
  }

  /** Every message of a recording, in time order. */
  public static List<Message> load(Path source) throws IOException {
    List<Message> out = new ArrayList<>();
    Path manifest =
        Files.isDirectory(source)
            ? source.resolve(Manifest.FILE)
            : source.getFileName().toString().endsWith(".json") ? source : null;
    if (manifest != null) {
      JsonNode m = new ObjectMapper().readTree(manifest.toFile());
      if (!Manifest.FORMAT.equals(m.path("format").asText())) {
        throw new IOException(manifest + " is not a collector manifest (" + Manifest.FORMAT + ")");
      }
      Path dir = manifest.getParent() == null ? Path.of(".") : manifest.getParent();
      for (JsonNode f : m.path("files")) {
        String kind = f.path("kind").asText();
        if (kind.equals("ndjson")) {
          readNdjson(dir.resolve(f.get("file").asText()), out);
        } else if (kind.equals("wfdb")) {
          readWfdb(
              dir,
              f.get("record").asText(),
              f.get("topic").asText(),
              f.get("device").asText(),
              f.get("boot").asLong(),
              f.get("firstSeq").asLong(),
              f.get("mdc").asInt(),
              f.get("startMs").asLong(),
              out);
        }
      }
    } else if (source.getFileName().toString().endsWith(".hea")) {
      String name = source.getFileName().toString();
      String record = name.substring(0, name.length() - 4);
      Path dir = source.toAbsolutePath().getParent();
      WfdbRecord r = WfdbReader.read(dir, record);
      Matcher who = null;
      Long start = null;
      for (String c : r.header().comments()) {
        Matcher mm = COLLECTOR_COMMENT.matcher(c);
        if (mm.find()) {
          who = mm;
        }
        if (c.startsWith("start ")) {
          start = java.time.Instant.parse(c.substring(6).trim()).toEpochMilli();
        }
      }
      if (who == null || start == null) {
        throw new IOException(
            source + " was not written by the collector (no device comment): replay its manifest");
      }
      readWfdb(
          dir,
          record,
          "vitals/v1/" + who.group(2) + "/" + who.group(1) + "/ecg",
          who.group(1),
          Long.parseLong(who.group(3)),
          1,
          131329,
          start,
          out);
    } else {
      readNdjson(source, out);
    }
    out.sort(Comparator.comparingLong(Message::atMs));
    return out;
  }

  private static void readNdjson(Path file, List<Message> out) throws IOException {
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode l;
        try {
          l = json.readTree(line);
        } catch (IOException e) {
          throw new IOException(file + " line " + n + " is not JSON: " + e.getMessage(), e);
        }
        byte[] payload = RecordedLine.payload(l);
        if (!l.hasNonNull("topic") || payload == null) {
          continue; // a rejected serial line: kept for the record, not a reading
        }
        out.add(
            new Message(
                l.get("rtMs").asLong(),
                l.get("topic").asText(),
                payload,
                l.path("qos").asInt(1),
                l.path("retained").asBoolean(false)));
      }
    }
  }

  /**
   * A WFDB ECG record as 1-s v1 ECG readings (gaps of invalid samples split the chunks); each is
   * due when its last sample was measured, as a device would send it.
   */
  static void readWfdb(
      Path dir,
      String record,
      String topic,
      String dev,
      long boot,
      long firstSeq,
      int mdc,
      long startMs,
      List<Message> out)
      throws IOException {
    WfdbRecord r = WfdbReader.read(dir, record);
    var sig = r.header().signals().get(0);
    int[] s = r.samples()[0];
    double fs = r.samplingFrequency();
    BigDecimal period = BigDecimal.valueOf(1000.0 / fs).stripTrailingZeros();
    BigDecimal factor =
        BigDecimal.ONE.divide(BigDecimal.valueOf(sig.gain()), java.math.MathContext.DECIMAL64);
    BigDecimal origin = factor.multiply(BigDecimal.valueOf(-sig.baseline())).stripTrailingZeros();
    int invalid = WfdbReader.invalidSampleValue(sig.format());
    int per = (int) Math.round(fs);
    long seq = firstSeq;
    int i = 0;
    while (i < s.length) {
      if (s[i] == invalid) {
        i++;
        continue;
      }
      int end = i;
      while (end < s.length && end - i < per && s[end] != invalid) {
        end++;
      }
      long ts = startMs + Math.round(i * 1000.0 / fs);
      StringBuilder data = new StringBuilder();
      for (int k = i; k < end; k++) {
        data.append(k > i ? "," : "").append(s[k]);
      }
      String body =
          String.format(
              Locale.ROOT,
              "{\"v\":1,\"dev\":\"%s\",\"boot\":%d,\"seq\":%d,\"ts\":%d,\"metric\":\"ecg\","
                  + "\"unit\":\"mV\",\"period\":%s,\"origin\":%s,\"factor\":%s,"
                  + "\"leads\":[{\"mdc\":%d,\"data\":[%s]}]}",
              dev,
              boot,
              seq++,
              ts,
              period.toPlainString(),
              origin.toPlainString(),
              factor.stripTrailingZeros().toPlainString(),
              mdc,
              data);
      long due = startMs + Math.round(end * 1000.0 / fs);
      out.add(new Message(due, topic, body.getBytes(StandardCharsets.UTF_8), 1, false));
      i = end;
    }
  }

  /** Publishes in order and timing; returns {published and acknowledged, not acknowledged}. */
  static long[] publish(List<Message> messages, Options o) throws Exception {
    MqttAsyncClient c =
        new MqttAsyncClient(
            o.mqtt(), "replay-" + Long.toString(System.nanoTime(), 36), new MemoryPersistence());
    MqttConnectionOptions opts = MqttRecorder.connectionOptions(o.mqtt());
    c.connect(opts).waitForCompletion(10_000);
    AckedPublisher publisher = new AckedPublisher(500);
    long first = messages.get(0).atMs();
    long shift = System.currentTimeMillis() - first;
    long start = System.nanoTime();
    for (Message m : messages) {
      if (o.speed() > 0) {
        long dueNanos = start + (long) ((m.atMs() - first) * 1_000_000L / o.speed());
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
      byte[] payload = o.retime() ? retime(m.payload(), shift) : m.payload();
      String topic = m.topic();
      if (o.mapFrom() != null && topic.startsWith(o.mapFrom())) {
        topic = o.mapTo() + topic.substring(o.mapFrom().length());
      }
      MqttMessage msg = new MqttMessage(payload);
      msg.setQos(m.qos());
      msg.setRetained(m.retained());
      publisher.publish(c, topic, msg, true);
    }
    publisher.drain(60);
    c.disconnect().waitForCompletion(5_000);
    c.close();
    return new long[] {publisher.acked(), messages.size() - publisher.acked()};
  }

  /** The payload with its {@code "ts"} moved by {@code shiftMs}; other bytes unchanged. */
  static byte[] retime(byte[] payload, long shiftMs) {
    String text = new String(payload, StandardCharsets.UTF_8);
    Matcher m = TS.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      long ts = Long.parseLong(m.group(1)) + shiftMs;
      m.appendReplacement(sb, Matcher.quoteReplacement("\"ts\":" + ts));
    }
    m.appendTail(sb);
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
