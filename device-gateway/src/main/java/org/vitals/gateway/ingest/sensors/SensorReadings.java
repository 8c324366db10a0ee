package org.vitals.gateway.ingest.sensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.wire.WireReadingParser;

/**
 * Builds v1 readings for a locally attached sensor (device id, boot, increasing seq) and normalises
 * them with the shared parser, so I²C sensors take the same path as MQTT readings.
 */
public class SensorReadings {
  private final String gatewayId;
  private final String deviceId;
  private final long boot;
  private final AtomicLong seq = new AtomicLong();
  private final WireReadingParser parser;
  private final ObjectMapper json = new ObjectMapper();
  private final java.util.function.Consumer<ObjectNode> published;

  /** {@code boot} must differ after every restart (e.g. the start time in seconds). */
  public SensorReadings(String gatewayId, String deviceId, long boot, WireReadingParser parser) {
    this(gatewayId, deviceId, boot, parser, r -> {});
  }

  /** Also hands every v1 reading to {@code published} (an edge node forwards them over MQTT). */
  public SensorReadings(
      String gatewayId,
      String deviceId,
      long boot,
      WireReadingParser parser,
      java.util.function.Consumer<ObjectNode> published) {
    this.gatewayId = gatewayId;
    this.deviceId = deviceId;
    this.boot = boot;
    this.parser = parser;
    this.published = published;
  }

  public List<Measurement> numeric(
      String metric, String unit, Double value, int decimals, String status, Instant t) {
    ObjectNode r = base(metric, unit, t);
    if (value == null) {
      r.putNull("val");
    } else {
      r.put("val", BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP));
      r.put("prec", -decimals);
    }
    r.putArray("st").add(value == null && "valid".equals(status) ? "no_signal" : status);
    return parse(r, t);
  }

  public List<Measurement> ecg(
      int lead, BigDecimal periodMs, BigDecimal factor, int[] samples, Instant first) {
    ObjectNode r = base("ecg", "mV", first);
    r.put("period", periodMs);
    r.put("origin", 0);
    r.put("factor", factor);
    ObjectNode l = r.putArray("leads").addObject();
    l.put("mdc", lead);
    ArrayNode data = l.putArray("data");
    for (int s : samples) {
      data.add(s);
    }
    return parse(r, first);
  }

  private ObjectNode base(String metric, String unit, Instant t) {
    ObjectNode r = json.createObjectNode();
    r.put("v", 1);
    r.put("dev", deviceId);
    r.put("boot", boot);
    r.put("seq", seq.incrementAndGet());
    r.put("ts", t.toEpochMilli());
    r.put("tsq", "gw");
    r.put("metric", metric);
    r.put("unit", unit);
    return r;
  }

  private List<Measurement> parse(ObjectNode r, Instant t) {
    List<Measurement> ms =
        parser.parseObject(
            new WireReadingParser.Topic(gatewayId, deviceId, r.get("metric").asText()), r, t);
    published.accept(r.deepCopy()); // only readings that passed the shared normalisation
    return ms;
  }
}
