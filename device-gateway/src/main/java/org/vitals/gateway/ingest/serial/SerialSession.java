package org.vitals.gateway.ingest.serial;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitals.gateway.deadletter.ReadingRejectedException;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.wire.WireReadingParser;

/**
 * The protocol state of one serial port: waits for the node's {@code H} line after the port opens
 * (opening resets an Uno), rejects records of another boot as {@code no-hello}, stamps clockless
 * readings from the node's uptime plus the smallest seen {@code receive time − up_ms} offset, and
 * turns each record into the v1 MQTT reading the rest of the gateway already understands.
 */
public class SerialSession {
  private static final Logger log = LoggerFactory.getLogger(SerialSession.class);

  /** Where decoded readings and rejected lines go. */
  public interface Output {
    /** A valid record: the raw line, its v1 reading and the normalised measurements. */
    void readings(
        String line, ObjectNode reading, Instant receivedAt, List<Measurement> measurements);

    void rejected(String line, Instant receivedAt, String reason, String detail);
  }

  private final String gatewayId;
  private final WireReadingParser parser;
  private final Output out;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Map<String, Long> offsets = new ConcurrentHashMap<>();
  private volatile SerialFrame.Hello hello;

  public SerialSession(String gatewayId, WireReadingParser parser, Output out) {
    this.gatewayId = gatewayId;
    this.parser = parser;
    this.out = out;
  }

  /** The port was (re)opened: the node may have reset, so wait for its next hello. */
  public void portOpened() {
    hello = null;
  }

  /** Lines seen by outcome: {@code ok}, {@code hello}, {@code comment} or a rejection reason. */
  public Map<String, Long> counts() {
    Map<String, Long> m = new java.util.TreeMap<>();
    counts.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  public void line(String line, Instant receivedAt) {
    SerialFrame frame;
    try {
      frame = SerialFrameParser.parse(line);
    } catch (FrameRejectedException e) {
      count(e.reason());
      switch (e.reason()) {
        case "empty" -> {}
        case "comment" -> log.info("serial node says: {}", line);
        default -> out.rejected(line, receivedAt, e.reason(), e.getMessage());
      }
      return;
    }
    if (frame instanceof SerialFrame.Hello h) {
      hello = h;
      count("hello");
      return;
    }
    SerialFrame.Data d = (SerialFrame.Data) frame;
    SerialFrame.Hello h = hello;
    if (h == null || h.boot() != d.boot()) {
      count("no-hello");
      out.rejected(
          line,
          receivedAt,
          "no-hello",
          h == null
              ? "no H line since the port opened"
              : "record of boot " + d.boot() + " but the last H said boot " + h.boot());
      return;
    }
    try {
      ObjectNode reading = reading(h, d, receivedAt);
      List<Measurement> ms =
          parser.parseObject(
              new WireReadingParser.Topic(gatewayId, h.dev(), reading.get("metric").asText()),
              reading,
              receivedAt);
      count("ok");
      out.readings(line, reading, receivedAt, ms);
    } catch (ReadingRejectedException e) {
      count(e.reason().code());
      out.rejected(line, receivedAt, e.reason().code(), e.getMessage());
    }
  }

  /** The v1 reading of a record (docs/wire-format.md, "What the serial adapter does", step 3). */
  public ObjectNode reading(SerialFrame.Hello h, SerialFrame.Data d, Instant receivedAt) {
    ObjectNode r = json.createObjectNode();
    r.put("v", 1);
    r.put("dev", h.dev());
    r.put("boot", d.boot());
    r.put("seq", d.seq());
    r.put("ts", stamp(h.dev(), d.boot(), d.up(), receivedAt));
    r.put("tsq", "gw");
    r.put("up", d.up());
    ArrayNode st = r.putArray("st");
    d.status().forEach(st::add);
    if (d instanceof SerialFrame.Numeric n) {
      r.put("metric", n.metric());
      r.put("unit", unit(n.metric()));
      decimal(r, "val", n.value());
      if (n.value() != null) {
        r.put("prec", -new BigDecimal(n.value()).scale());
      }
    } else if (d instanceof SerialFrame.BloodPressure b) {
      r.put("metric", "bp");
      r.put("unit", "mm[Hg]");
      ObjectNode cmp = r.putObject("cmp");
      decimal(cmp, "150021", b.sys());
      decimal(cmp, "150022", b.dia());
      if (b.mean() != null) {
        decimal(cmp, "150023", b.mean());
      }
      if (b.pr() != null) {
        ObjectNode pr = r.putObject("pr");
        decimal(pr, "val", b.pr());
        pr.put("unit", "/min");
      }
    } else if (d instanceof SerialFrame.Wave w) {
      r.put("metric", "ecg");
      r.put("unit", "mV");
      r.put("period", new BigDecimal(w.period()));
      r.put("origin", new BigDecimal(w.origin()));
      r.put("factor", new BigDecimal(w.factor()));
      ObjectNode lead = r.putArray("leads").addObject();
      lead.put("mdc", w.mdc());
      ArrayNode data = lead.putArray("data");
      for (int s : w.samples()) {
        data.add(s);
      }
    }
    return r;
  }

  /**
   * {@code ts = up_ms + offset}, the offset being the smallest {@code receive − up_ms} seen for the
   * device and boot (the least delayed line is the best estimate), so chunks stay contiguous.
   */
  long stamp(String dev, long boot, long up, Instant receivedAt) {
    long candidate = receivedAt.toEpochMilli() - up;
    long offset = offsets.merge(dev + ":" + boot, candidate, Math::min);
    return up + offset;
  }

  private static void decimal(ObjectNode n, String field, String value) {
    if (value == null) {
      n.putNull(field);
    } else {
      n.put(field, new BigDecimal(value));
    }
  }

  private static String unit(String metric) {
    return switch (metric) {
      case "spo2" -> "%";
      case "temp" -> "Cel";
      case "glucose" -> "mg/dL";
      default -> "/min";
    };
  }

  private void count(String outcome) {
    counts.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
  }
}
