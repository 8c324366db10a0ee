package org.vitals.gateway.ingest.ble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.vitals.gateway.deadletter.DeadLetterReason;
import org.vitals.gateway.deadletter.ReadingRejectedException;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.wire.WireReadingParser;
import org.vitals.gateway.writing.ReadingPipeline;

/**
 * Raw Bluetooth characteristic values forwarded over MQTT on {@code vitals/v1/{gw}/{dev}/gatt}
 * (docs/device-inputs.md, "Bluetooth GATT bytes over MQTT"): decodes the bytes and builds the same
 * v1 readings a node would publish, so normalisation and everything after it is shared.
 */
public class GattReadingDecoder implements ReadingPipeline.PayloadDecoder {
  public static final String METRIC = "gatt";
  private static final int MAX_BYTES = 512; // ATT values are at most 512 bytes

  private final WireReadingParser parser;
  private final ObjectMapper json = new ObjectMapper();

  public GattReadingDecoder(WireReadingParser parser) {
    this.parser = parser;
  }

  @Override
  public boolean accepts(String topic) {
    return topic.startsWith("vitals/v1/") && topic.endsWith("/" + METRIC);
  }

  @Override
  public List<Measurement> decode(String topicName, byte[] payload, Instant receivedAt) {
    if (payload.length > WireReadingParser.MAX_PAYLOAD_BYTES) {
      throw new ReadingRejectedException(
          DeadLetterReason.PAYLOAD_TOO_LARGE, "payload is " + payload.length + " bytes");
    }
    WireReadingParser.Topic topic = WireReadingParser.Topic.parse(topicName);
    JsonNode env;
    try {
      env = json.readTree(payload);
    } catch (Exception e) {
      throw new ReadingRejectedException(
          DeadLetterReason.MALFORMED_JSON, "payload is not JSON: " + firstLine(e.getMessage()));
    }
    if (env == null || !env.isObject()) {
      throw new ReadingRejectedException(
          DeadLetterReason.MALFORMED_JSON, "payload must be a JSON object");
    }
    byte[] bytes = bytes(env);
    if (!env.hasNonNull("uuid") || !env.get("uuid").isTextual()) {
      throw schema("'uuid' (the characteristic, e.g. \"2A35\") is required");
    }
    GattDecoder.Decoded d;
    try {
      d = GattDecoder.decode(GattDecoder.uuid(env.get("uuid").asText()), bytes);
    } catch (GattFormatException e) {
      throw new ReadingRejectedException(DeadLetterReason.GATT_MALFORMED, e.getMessage());
    }
    List<Measurement> out = new ArrayList<>();
    for (ObjectNode reading : readings(env, d)) {
      String suffix = reading.remove("_suffix").asText();
      WireReadingParser.Topic t =
          new WireReadingParser.Topic(
              topic.gatewayId(), topic.deviceId(), reading.get("metric").asText());
      for (Measurement m : parser.parseObject(t, reading, receivedAt)) {
        out.add(suffix.isEmpty() ? m : withIdentity(m, m.identity() + suffix));
      }
    }
    return out;
  }

  /**
   * The v1 readings for a decoded characteristic: envelope fields {@code v dev boot seq ts tsq}
   * copied, the device's own time stamp (taken as UTC, {@code tsq} "rtc") when it sent one.
   */
  public List<ObjectNode> readings(JsonNode env, GattDecoder.Decoded d) {
    List<ObjectNode> out = new ArrayList<>();
    ObjectNode bp = null;
    for (GattDecoder.Value v : d.values()) {
      if (bp != null && v.metric().equals("pr")) {
        ObjectNode pr = bp.putObject("pr");
        putValue(pr, "val", v.value());
        pr.put("unit", v.unit());
        continue;
      }
      ObjectNode r = json.createObjectNode();
      for (String f : List.of("v", "dev", "boot", "seq", "ts", "tsq", "up")) {
        if (env.has(f)) {
          r.set(f, env.get(f));
        }
      }
      if (d.deviceTime() != null) {
        r.put("ts", d.deviceTime().toInstant(ZoneOffset.UTC).toEpochMilli());
        r.put("tsq", "rtc");
      }
      r.put("metric", v.metric());
      if (v.mdc() != null) {
        r.put("mdc", v.mdc());
      }
      r.put("unit", v.unit());
      if (v.components() != null) {
        ObjectNode cmp = r.putObject("cmp");
        v.components().forEach((k, val) -> putValue(cmp, String.valueOf(k), val));
        bp = r;
      } else {
        putValue(r, "val", v.value());
      }
      var st = r.putArray("st");
      v.statuses().stream().sorted().forEach(st::add);
      r.put("_suffix", v.identitySuffix());
      out.add(r);
    }
    return out;
  }

  private static void putValue(ObjectNode n, String field, java.math.BigDecimal v) {
    if (v == null) {
      n.putNull(field);
    } else {
      n.put(field, v);
    }
  }

  private static byte[] bytes(JsonNode env) {
    try {
      if (env.hasNonNull("hex") && env.get("hex").isTextual()) {
        return HexFormat.of().parseHex(env.get("hex").asText().replace(" ", ""));
      }
      if (env.hasNonNull("b64") && env.get("b64").isTextual()) {
        return Base64.getDecoder().decode(env.get("b64").asText());
      }
    } catch (IllegalArgumentException e) {
      throw schema("characteristic bytes are not valid hex/base64: " + e.getMessage());
    }
    throw schema("the characteristic value is required as 'hex' or 'b64'");
  }

  static Measurement withIdentity(Measurement m, String identity) {
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

  private static ReadingRejectedException schema(String detail) {
    return new ReadingRejectedException(DeadLetterReason.SCHEMA_VIOLATION, detail);
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  static int maxBytes() {
    return MAX_BYTES;
  }
}
