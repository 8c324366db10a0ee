package org.vitals.gateway.collector;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The data collector ({@code scripts/collect}): records live device streams (MQTT topics, a serial
 * port, an MLLP feed) into a folder of rotating files with a {@code manifest.json}, for {@code
 * --seconds} or until Ctrl-C; a clean stop closes every file and completes the manifest.
 */
public final class Collector implements AutoCloseable {
  static final String USAGE =
      "usage: collect --out DIR [--seconds S] [--rotate-size 64m] [--rotate-every 1h]\n"
          + "         [--mqtt tcp://127.0.0.1:1883 [--topic 'vitals/v1/#']...]\n"
          + "         [--serial /dev/ttyACM0 [--baud 115200] [--gateway-id collector]]\n"
          + "         [--mllp PORT [--mllp-bind 0.0.0.0] [--mllp-forward HOST:PORT]]";

  /** Parsed command-line options. */
  public record Options(
      Path out,
      int seconds,
      Rotation rotation,
      String mqtt,
      List<String> topics,
      String serial,
      int baud,
      String gatewayId,
      Integer mllpPort,
      String mllpBind,
      InetSocketAddress mllpForward) {}

  private final Options o;
  private final Manifest manifest;
  private final List<RecordFile> files = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private MqttRecorder mqtt;
  private SerialRecorder serial;
  private MllpRecorder mllp;
  private boolean closed;

  public Collector(Options o) {
    this.o = o;
    this.manifest = new Manifest(o.out(), Instant.now(), sources(o));
  }

  public static int run(String[] args) throws Exception {
    quietLogging(ch.qos.logback.classic.Level.INFO);
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("collect: " + e.getMessage());
      System.err.println(USAGE);
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Collector c = new Collector(o);
    Thread hook =
        new Thread(
            () -> {
              c.close();
              stopped.countDown();
            },
            "collector-shutdown");
    try {
      c.start();
    } catch (IOException | RuntimeException e) {
      System.err.println("collect: " + e.getMessage());
      c.close();
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.println(
        "collect: recording into "
            + o.out().toAbsolutePath()
            + (o.seconds() > 0 ? " for " + o.seconds() + " s" : " until Ctrl-C")
            + (c.mllp != null ? "; MLLP on port " + c.mllp.port() : ""));
    if (o.seconds() > 0) {
      stopped.await(o.seconds(), TimeUnit.SECONDS);
      c.close();
      Runtime.getRuntime().removeShutdownHook(hook);
    } else {
      stopped.await();
    }
    return 0;
  }

  /** Opens every configured source; files appear as data comes. */
  public Collector start() throws IOException {
    Files.createDirectories(o.out());
    if (Files.exists(o.out().resolve(Manifest.FILE))) {
      throw new IOException(
          o.out().resolve(Manifest.FILE) + " exists: record into a new folder (--out)");
    }
    manifest.write();
    if (o.mqtt() != null) {
      RecordFile f = file("mqtt", "ndjson", "ndjson", null);
      try {
        mqtt =
            new MqttRecorder(
                    o.mqtt(), o.topics(), f, "collector-" + Long.toString(System.nanoTime(), 36))
                .start();
      } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
        throw new IOException("MQTT: " + e.getMessage(), e);
      }
    }
    if (o.serial() != null) {
      ObjectNode extra = RecordedLine.JSON.createObjectNode();
      extra.put("port", o.serial());
      RecordFile f = file("serial", "ndjson", "ndjson", extra);
      serial = new SerialRecorder(o.serial(), o.baud(), o.gatewayId(), f, manifest, o.rotation());
      serial.start();
    }
    if (o.mllpPort() != null) {
      InetAddress bind = o.mllpBind() == null ? null : InetAddress.getByName(o.mllpBind());
      ObjectNode extra = MllpRecorder.describe(o.mllpPort(), o.mllpForward());
      RecordFile f = file("hl7", "hl7-mllp", "hl7", extra);
      mllp = new MllpRecorder(bind, o.mllpPort(), f, o.mllpForward()).start();
      extra.put("port", mllp.port()); // the port taken when --mllp 0 asked for a free one
      ((ObjectNode) manifest.sources().get("mllp")).put("port", mllp.port());
      manifest.write();
    }
    timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    return this;
  }

  private RecordFile file(String stream, String kind, String ext, ObjectNode extra) {
    RecordFile f = new RecordFile(manifest, stream, kind, ext, o.rotation(), extra);
    files.add(f);
    return f;
  }

  /** Once a second: time-based rotation of idle files, and a flush so the files can be tailed. */
  private synchronized void tick() {
    if (closed) {
      return;
    }
    long now = System.currentTimeMillis();
    try {
      for (RecordFile f : files) {
        f.rotateIfDue(now);
        f.flush();
      }
      if (serial != null) {
        for (WfdbEcgWriter w : serial.ecgWriters()) {
          w.rotateIfDue(now);
          w.flush();
        }
      }
    } catch (IOException e) {
      System.err.println("collect: " + e.getMessage());
    }
  }

  public MqttRecorder mqtt() {
    return mqtt;
  }

  public SerialRecorder serial() {
    return serial;
  }

  public MllpRecorder mllp() {
    return mllp;
  }

  public Manifest manifest() {
    return manifest;
  }

  /** Stops the sources, closes every file and completes the manifest; safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    if (mqtt != null) {
      mqtt.close();
    }
    if (mllp != null) {
      mllp.close();
    }
    try {
      if (serial != null) {
        serial.close();
      }
      for (RecordFile f : files) {
        f.close();
      }
    } catch (IOException e) {
      System.err.println("collect: closing the files: " + e.getMessage());
    }
    manifest.finish(Instant.now());
    System.out.println("collect: " + summary() + "; manifest " + o.out().resolve(Manifest.FILE));
  }

  String summary() {
    List<String> parts = new ArrayList<>();
    if (mqtt != null) {
      parts.add(mqtt.received() + " MQTT messages");
    }
    if (serial != null) {
      parts.add(
          serial.readings()
              + " serial readings, "
              + serial.ecgSamples()
              + " ECG samples, "
              + serial.rejected()
              + " rejected serial lines");
    }
    if (mllp != null) {
      parts.add(
          mllp.messages()
              + " HL7 messages"
              + (o.mllpForward() != null
                  ? " (" + mllp.forwarded() + " forwarded, " + mllp.upstreamErrors() + " not)"
                  : ""));
    }
    return "recorded " + String.join(", ", parts);
  }

  /**
   * A command-line tool, not the Spring application: without Spring's logging setup Logback would
   * print DEBUG from every library.
   */
  static void quietLogging(ch.qos.logback.classic.Level level) {
    if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(level);
    }
  }

  private static ObjectNode sources(Options o) {
    ObjectNode s = RecordedLine.JSON.createObjectNode();
    if (o.mqtt() != null) {
      ObjectNode m = s.putObject("mqtt");
      m.put("url", o.mqtt());
      ArrayNode t = m.putArray("topics");
      o.topics().forEach(t::add);
    }
    if (o.serial() != null) {
      ObjectNode m = s.putObject("serial");
      m.put("port", o.serial());
      m.put("baud", o.baud());
      m.put("gatewayId", o.gatewayId());
    }
    if (o.mllpPort() != null) {
      s.set("mllp", MllpRecorder.describe(o.mllpPort(), o.mllpForward()));
    }
    ObjectNode r = s.putObject("rotation");
    r.put("maxBytes", o.rotation().maxBytes());
    r.put("maxAge", o.rotation().maxAge() == null ? null : o.rotation().maxAge().toString());
    return s;
  }

  static Options parse(String[] args) {
    Path out = null;
    int seconds = 0;
    long size = 64L * 1024 * 1024;
    Duration every = Duration.ofHours(1);
    String mqtt = null;
    List<String> topics = new ArrayList<>();
    String serial = null;
    int baud = 115200;
    String gatewayId = "collector";
    Integer mllp = null;
    String bind = null;
    InetSocketAddress forward = null;
    for (int i = 0; i < args.length; i++) {
      String k = args[i];
      if (k.equals("--help") || k.equals("-h")) {
        throw new IllegalArgumentException("records device streams to files");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(k + " needs a value");
      }
      String v = args[++i];
      switch (k) {
        case "--out" -> out = Path.of(v);
        case "--seconds" -> seconds = positive(k, v);
        case "--rotate-size" -> size = Rotation.parseSize(v);
        case "--rotate-every" -> every = Rotation.parseDuration(v);
        case "--mqtt" -> mqtt = v;
        case "--topic" -> topics.add(v);
        case "--serial" -> serial = v;
        case "--baud" -> baud = positive(k, v);
        case "--gateway-id" -> gatewayId = v;
        case "--mllp" -> mllp = Integer.parseInt(v);
        case "--mllp-bind" -> bind = v;
        case "--mllp-forward" -> {
          int c = v.lastIndexOf(':');
          if (c <= 0) {
            throw new IllegalArgumentException("--mllp-forward needs HOST:PORT, not '" + v + "'");
          }
          forward =
              InetSocketAddress.createUnresolved(
                  v.substring(0, c), positive(k, v.substring(c + 1)));
          forward = new InetSocketAddress(forward.getHostString(), forward.getPort());
        }
        default -> throw new IllegalArgumentException("unknown option " + k);
      }
    }
    if (out == null) {
      throw new IllegalArgumentException("--out DIR is required");
    }
    if (mqtt == null && serial == null && mllp == null) {
      throw new IllegalArgumentException("nothing to record: give --mqtt, --serial and/or --mllp");
    }
    if (!topics.isEmpty() && mqtt == null) {
      throw new IllegalArgumentException("--topic needs --mqtt");
    }
    if (topics.isEmpty()) {
      topics.add("vitals/v1/#");
    }
    if (!gatewayId.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "--gateway-id '" + gatewayId + "' must be 1 to 64 of A-Z a-z 0-9 . _ -");
    }
    return new Options(
        out,
        seconds,
        new Rotation(size, every),
        mqtt,
        List.copyOf(topics),
        serial,
        baud,
        gatewayId,
        mllp,
        bind,
        forward);
  }

  private static int positive(String k, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException(k + " needs a positive whole number, not '" + v + "'");
  }
}
