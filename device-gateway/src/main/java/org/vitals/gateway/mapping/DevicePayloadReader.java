package org.vitals.gateway.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.vitals.gateway.deadletter.DeadLetterReason;
import org.vitals.gateway.deadletter.ReadingRejectedException;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.wire.WireReadingParser;

/**
 * Reads a third-party device's JSON through its {@link DeviceTemplate} (JSONPath expressions) into
 * wire-format-v1 readings, which then go through the same checks and normalisation as native
 * readings. A message with several values yields one measurement per value, identity {@code
 * dev:boot:seq:metric}.
 */
public final class DevicePayloadReader {
  private static final Configuration JSONPATH =
      Configuration.defaultConfiguration().addOptions(Option.SUPPRESS_EXCEPTIONS);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WireReadingParser parser;

  public DevicePayloadReader(WireReadingParser parser) {
    this.parser = parser;
  }

  /** Whether an MQTT topic matches an MQTT topic filter (+ and # wildcards). */
  public static boolean topicMatches(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
        return false;
      }
    }
    return f.length == t.length;
  }

  public List<Measurement> read(DeviceTemplate tpl, byte[] payload, Instant receivedAt) {
    if (payload.length > WireReadingParser.MAX_PAYLOAD_BYTES) {
      throw new ReadingRejectedException(
          DeadLetterReason.PAYLOAD_TOO_LARGE,
          "payload is "
              + payload.length
              + " bytes; the limit is "
              + WireReadingParser.MAX_PAYLOAD_BYTES);
    }
    DocumentContext doc;
    try {
      JSON.readTree(payload); // strict syntax check; JsonPath's parser is lenient
      doc = JsonPath.using(JSONPATH).parse(new String(payload, StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new ReadingRejectedException(
          DeadLetterReason.MALFORMED_JSON,
          "payload is not JSON (template " + tpl.name() + "): " + e.getMessage());
    }
    String dev = text(doc, tpl.deviceId(), "deviceId", tpl);
    String gw =
        tpl.gatewayId() == null
            ? dev
            : tpl.gatewayId().startsWith("$")
                ? text(doc, tpl.gatewayId(), "gatewayId", tpl)
                : tpl.gatewayId();
    long boot = tpl.boot() == null ? 0 : number(doc, tpl.boot(), "boot", tpl).longValue();
    long seq = number(doc, tpl.seq(), "seq", tpl).longValue();
    Long ts = tpl.timestamp() == null ? null : timestamp(doc, tpl);
    List<Measurement> out = new ArrayList<>();
    for (DeviceTemplate.ValueTemplate v : tpl.values()) {
      ObjectNode r = JSON.createObjectNode();
      r.put("v", 1)
          .put("dev", dev)
          .put("boot", boot)
          .put("seq", seq)
          .put("metric", v.metric())
          .put("unit", v.unit());
      if (ts == null) {
        r.put("tsq", "none");
      } else {
        r.put("ts", ts);
      }
      if ("bp".equals(v.metric())) {
        ObjectNode cmp = r.putObject("cmp");
        cmp.set("150021", node(doc, v.systolic()));
        cmp.set("150022", node(doc, v.diastolic()));
        if (v.mean() != null) {
          cmp.set("150023", node(doc, v.mean()));
        }
      } else {
        JsonNode value = node(doc, v.value());
        if (value.isMissingNode()) {
          throw new ReadingRejectedException(
              DeadLetterReason.SCHEMA_VIOLATION,
              "template " + tpl.name() + ": value path " + v.value() + " found nothing");
        }
        r.set("val", value);
      }
      for (Measurement m :
          parser.parseObject(new WireReadingParser.Topic(gw, dev, v.metric()), r, receivedAt)) {
        out.add(tpl.values().size() > 1 ? withIdentity(m, m.identity() + ":" + v.metric()) : m);
      }
    }
    return out;
  }

  private static Measurement withIdentity(Measurement m, String identity) {
    return new Measurement(
        identity,
        m.gatewayId(),
        m.deviceId(),
        m.metric(),
        m.mdc(),
        m.time(),
        m.timeQuality(),
        m.end(),
        m.value(),
        m.components(),
        m.dataAbsentReason(),
        m.statuses(),
        m.waveform());
  }

  private static JsonNode node(DocumentContext doc, String path) {
    if (path == null) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    Object v = doc.read(path);
    if (v == null) {
      return com.fasterxml.jackson.databind.node.NullNode.getInstance();
    }
    return JSON.valueToTree(v);
  }

  private static String text(DocumentContext doc, String path, String what, DeviceTemplate tpl) {
    Object v = doc.read(path);
    if (v == null) {
      throw new ReadingRejectedException(
          DeadLetterReason.SCHEMA_VIOLATION,
          "template " + tpl.name() + ": " + what + " path " + path + " found nothing");
    }
    return v.toString();
  }

  private static Number number(DocumentContext doc, String path, String what, DeviceTemplate tpl) {
    Object v = doc.read(path);
    if (v instanceof Number n) {
      return n;
    }
    if (v instanceof String s && s.matches("\\d+")) {
      return Long.parseLong(s);
    }
    throw new ReadingRejectedException(
        DeadLetterReason.SCHEMA_VIOLATION,
        "template " + tpl.name() + ": " + what + " path " + path + " is not a number: " + v);
  }

  private static long timestamp(DocumentContext doc, DeviceTemplate tpl) {
    Object v = doc.read(tpl.timestamp());
    String format = tpl.timestampFormat() == null ? "iso8601" : tpl.timestampFormat();
    try {
      return switch (format) {
        case "epoch-ms" -> ((Number) v).longValue();
        case "epoch-s" -> Math.round(((Number) v).doubleValue() * 1000);
        case "iso8601" -> OffsetDateTime.parse(v.toString()).toInstant().toEpochMilli();
        default -> throw new IllegalArgumentException("unknown timestampFormat " + format);
      };
    } catch (RuntimeException e) {
      throw new ReadingRejectedException(
          DeadLetterReason.SCHEMA_VIOLATION,
          "template "
              + tpl.name()
              + ": timestamp "
              + v
              + " at "
              + tpl.timestamp()
              + " is not "
              + format);
    }
  }
}
