package org.vitals.gateway.wire;

import static org.vitals.gateway.deadletter.DeadLetterReason.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.vitals.gateway.deadletter.ReadingRejectedException;
import org.vitals.gateway.measurement.Mdc;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Measurement.TimeQuality;
import org.vitals.gateway.measurement.Metric;
import org.vitals.gateway.measurement.UnitConversion;
import org.vitals.gateway.measurement.Waveform;

/**
 * Parses and normalises one MQTT reading of wire format v1 (docs/wire-format.md) into measurements,
 * or rejects it with a dead-letter reason that says what was wrong.
 */
public final class WireReadingParser {
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final long UINT32_MAX = 4294967295L;
  private static final Set<String> STATUSES =
      Set.of(
          "valid",
          "nan",
          "nres",
          "pos_inf",
          "neg_inf",
          "lead_off",
          "probe_off",
          "no_signal",
          "sensor_error",
          "questionable",
          "motion",
          "low_perfusion",
          "calibrating");

  private final ObjectMapper json = new ObjectMapper();

  /** Topic parts of {@code vitals/v1/{gatewayId}/{deviceId}/{metric}}. */
  public record Topic(String gatewayId, String deviceId, String metric) {
    public static Topic parse(String topic) {
      String[] p = topic.split("/", -1);
      if (p.length != 5 || !p[0].equals("vitals") || !p[1].equals("v1")) {
        throw new ReadingRejectedException(
            TOPIC_MISMATCH,
            "topic '" + topic + "' is not vitals/v1/{gatewayId}/{deviceId}/{metric}");
      }
      if (!ID.matcher(p[2]).matches() || !ID.matcher(p[3]).matches()) {
        throw new ReadingRejectedException(
            TOPIC_MISMATCH,
            "gatewayId and deviceId in topic '" + topic + "' must match [A-Za-z0-9._-]{1,64}");
      }
      return new Topic(p[2], p[3], p[4]);
    }
  }

  /** Parses the payload; {@code receivedAt} stamps readings of clockless devices. */
  public List<Measurement> parse(String topicName, byte[] payload, Instant receivedAt) {
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new ReadingRejectedException(
          PAYLOAD_TOO_LARGE,
          "payload is " + payload.length + " bytes; the limit is " + MAX_PAYLOAD_BYTES);
    }
    Topic topic = Topic.parse(topicName);
    JsonNode r;
    try {
      r = json.readTree(payload);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new ReadingRejectedException(
          MALFORMED_JSON, "payload is not JSON: " + firstLine(e.getMessage()));
    } catch (java.io.IOException e) {
      throw new ReadingRejectedException(
          MALFORMED_JSON, "payload is not JSON: " + firstLine(e.getMessage()));
    }
    if (r == null || !r.isObject()) {
      throw new ReadingRejectedException(MALFORMED_JSON, "payload must be a JSON object");
    }
    return parseObject(topic, r, receivedAt);
  }

  /** Validates and normalises one reading object already parsed from JSON. */
  public List<Measurement> parseObject(Topic topic, JsonNode r, Instant receivedAt) {
    if (!r.has("v")) {
      throw schema("missing field 'v' (schema version)");
    }
    if (!r.get("v").isIntegralNumber() || r.get("v").asInt() != 1) {
      throw new ReadingRejectedException(
          UNSUPPORTED_VERSION, "schema version " + r.get("v") + " is not supported; use 1");
    }
    String dev = requireText(r, "dev");
    if (!ID.matcher(dev).matches()) {
      throw schema("'dev' must match [A-Za-z0-9._-]{1,64}, was '" + dev + "'");
    }
    long boot = requireUint32(r, "boot");
    long seq = requireUint32(r, "seq");
    String identity = dev + ":" + boot + ":" + seq;
    if (r.has("id") && !identity.equals(r.get("id").asText())) {
      throw new ReadingRejectedException(
          IDENTITY_MISMATCH,
          "'id' is '" + r.get("id").asText() + "' but dev:boot:seq is '" + identity + "'");
    }
    String metricName = requireText(r, "metric");
    Metric metric =
        Metric.fromWire(metricName)
            .orElseThrow(
                () ->
                    new ReadingRejectedException(
                        UNKNOWN_METRIC,
                        "metric '"
                            + metricName
                            + "' is unknown; known: hr, pr, spo2, rr, temp, bp, glucose, ecg"));
    if (!dev.equals(topic.deviceId()) || !metricName.equals(topic.metric())) {
      throw new ReadingRejectedException(
          TOPIC_MISMATCH,
          "payload dev/metric '"
              + dev
              + "/"
              + metricName
              + "' differ from topic '"
              + topic.deviceId()
              + "/"
              + topic.metric()
              + "'");
    }
    TimeQuality tq = timeQuality(r);
    Instant time;
    if (tq == TimeQuality.NONE && !r.hasNonNull("ts")) {
      time = receivedAt;
    } else {
      if (!r.hasNonNull("ts") || !r.get("ts").canConvertToLong() || r.get("ts").asLong() < 0) {
        throw schema(
            "'ts' (epoch milliseconds UTC) is required and must be a non-negative integer");
      }
      time = Instant.ofEpochMilli(r.get("ts").asLong());
    }
    int mdc = metric.defaultMdc();
    if (r.has("mdc") && metric != Metric.ECG) {
      if (!r.get("mdc").isIntegralNumber() || !metric.allowedMdc().contains(r.get("mdc").asInt())) {
        throw schema(
            "'mdc' "
                + r.get("mdc")
                + " is not allowed for metric '"
                + metricName
                + "'; allowed: "
                + metric.allowedMdc());
      }
      mdc = r.get("mdc").asInt();
    }
    String unit = requireText(r, "unit");
    List<String> statuses = statuses(r);

    return switch (metric) {
      case BP -> bloodPressure(r, identity, topic, time, tq, unit, statuses);
      case ECG -> List.of(ecg(r, identity, topic, time, tq, unit));
      default -> {
        if (!r.has("val")) {
          throw schema(
              "'val' is required for metric '"
                  + metricName
                  + "' (null when the sensor has no value)");
        }
        BigDecimal value = canonical(metric, r.get("val"), unit, "val");
        yield List.of(
            new Measurement(
                identity,
                topic.gatewayId(),
                dev,
                metric,
                mdc,
                time,
                tq,
                null,
                value,
                Map.of(),
                value == null ? absentReason(statuses) : null,
                statuses,
                null));
      }
    };
  }

  private List<Measurement> bloodPressure(
      JsonNode r,
      String identity,
      Topic topic,
      Instant time,
      TimeQuality tq,
      String unit,
      List<String> statuses) {
    JsonNode cmp = r.get("cmp");
    if (cmp == null || !cmp.isObject()) {
      throw schema(
          "'cmp' object with keys 150021 (systolic) and 150022 (diastolic) is required for bp");
    }
    Map<Integer, BigDecimal> components = new LinkedHashMap<>();
    var names = cmp.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      int code;
      try {
        code = Integer.parseInt(key);
      } catch (NumberFormatException e) {
        throw schema("'cmp' key '" + key + "' is not an MDC code; use 150021, 150022, 150023");
      }
      if (code != Mdc.BP_SYSTOLIC && code != Mdc.BP_DIASTOLIC && code != Mdc.BP_MEAN) {
        throw schema("'cmp' key '" + key + "' is not a BP component; use 150021, 150022, 150023");
      }
      components.put(code, canonical(Metric.BP, cmp.get(key), unit, "cmp." + key));
    }
    if (!components.containsKey(Mdc.BP_SYSTOLIC) || !components.containsKey(Mdc.BP_DIASTOLIC)) {
      throw schema("'cmp' must hold 150021 (systolic) and 150022 (diastolic)");
    }
    BigDecimal sys = components.get(Mdc.BP_SYSTOLIC);
    BigDecimal dia = components.get(Mdc.BP_DIASTOLIC);
    if (sys != null && dia != null && sys.compareTo(dia) < 0) {
      throw new ReadingRejectedException(
          IMPLAUSIBLE_VALUE, "systolic " + sys + " mm[Hg] is below diastolic " + dia + " mm[Hg]");
    }
    boolean anyAbsent = components.values().stream().anyMatch(v -> v == null);
    List<Measurement> out = new ArrayList<>();
    out.add(
        new Measurement(
            identity,
            topic.gatewayId(),
            topic.deviceId(),
            Metric.BP,
            Metric.BP.defaultMdc(),
            time,
            tq,
            null,
            null,
            java.util.Collections.unmodifiableMap(components),
            anyAbsent ? absentReason(statuses) : null,
            statuses,
            null));
    JsonNode pr = r.get("pr");
    if (pr != null && !pr.isNull()) {
      if (!pr.isObject() || !pr.has("val")) {
        throw schema("'pr' must be an object {\"val\": number|null, \"unit\": \"/min\"}");
      }
      String prUnit = pr.hasNonNull("unit") ? pr.get("unit").asText() : "/min";
      BigDecimal v = canonical(Metric.PR, pr.get("val"), prUnit, "pr.val");
      out.add(
          new Measurement(
              identity + ":pr",
              topic.gatewayId(),
              topic.deviceId(),
              Metric.PR,
              Mdc.NIBP_PULSE,
              time,
              tq,
              null,
              v,
              Map.of(),
              v == null ? absentReason(statuses) : null,
              statuses,
              null));
    }
    return out;
  }

  private Measurement ecg(
      JsonNode r, String identity, Topic topic, Instant time, TimeQuality tq, String unit) {
    if (!"mV".equals(unit)) {
      throw new ReadingRejectedException(
          UNIT_NOT_ALLOWED, "unit '" + unit + "' is not allowed for ecg; use mV");
    }
    BigDecimal period = decimal(r, "period", null);
    if (period == null || period.signum() <= 0) {
      throw schema("'period' (milliseconds between samples, > 0) is required for ecg");
    }
    BigDecimal origin = decimal(r, "origin", BigDecimal.ZERO);
    BigDecimal factor = decimal(r, "factor", BigDecimal.ONE);
    if (factor.signum() <= 0) {
      throw schema("'factor' must be > 0");
    }
    JsonNode leads = r.get("leads");
    if (leads == null || !leads.isArray() || leads.isEmpty() || leads.size() > 12) {
      throw schema(
          "'leads' must be an array of 1 to 12 {\"mdc\": lead code, \"data\": [integers]}");
    }
    List<Waveform.Lead> out = new ArrayList<>();
    int length = -1;
    for (JsonNode lead : leads) {
      if (!lead.path("mdc").isIntegralNumber() || !Mdc.isEcgLead(lead.get("mdc").asInt())) {
        throw schema(
            "lead 'mdc' "
                + lead.get("mdc")
                + " is not an ECG lead code (131329 I, 131330 II, ...)");
      }
      JsonNode data = lead.get("data");
      if (data == null || !data.isArray() || data.isEmpty() || data.size() > 5000) {
        throw schema("lead 'data' must be an array of 1 to 5000 integers");
      }
      if (length >= 0 && data.size() != length) {
        throw schema("every lead must have the same number of samples");
      }
      length = data.size();
      int[] samples = new int[length];
      for (int i = 0; i < length; i++) {
        if (!data.get(i).isIntegralNumber()) {
          throw schema("lead 'data' must hold integers; sample " + i + " is " + data.get(i));
        }
        samples[i] = data.get(i).asInt();
      }
      out.add(new Waveform.Lead(lead.get("mdc").asInt(), samples));
    }
    Waveform w =
        new Waveform(
            period,
            origin,
            factor,
            decimal(r, "lower", null),
            decimal(r, "upper", null),
            List.copyOf(out));
    long durationMicros =
        period.multiply(BigDecimal.valueOf(length)).multiply(BigDecimal.valueOf(1000)).longValue();
    return new Measurement(
        identity,
        topic.gatewayId(),
        topic.deviceId(),
        Metric.ECG,
        Metric.ECG.defaultMdc(),
        time,
        tq,
        time.plusNanos(durationMicros * 1000),
        null,
        Map.of(),
        null,
        List.of("valid"),
        w);
  }

  private static BigDecimal canonical(Metric metric, JsonNode node, String unit, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      throw schema("'" + field + "' must be a number or null, was " + node);
    }
    BigDecimal raw = node.decimalValue();
    BigDecimal value =
        UnitConversion.toCanonical(metric, raw, unit)
            .orElseThrow(
                () ->
                    new ReadingRejectedException(
                        UNIT_NOT_ALLOWED,
                        "unit '"
                            + unit
                            + "' is not allowed for "
                            + metric.wireName()
                            + "; use "
                            + allowedUnits(metric)));
    if (!metric.isPlausible(value)) {
      throw new ReadingRejectedException(
          IMPLAUSIBLE_VALUE,
          metric.wireName()
              + " "
              + field
              + " "
              + raw.toPlainString()
              + " "
              + unit
              + " is outside the plausible range "
              + metric.rangeText());
    }
    return value;
  }

  private static String allowedUnits(Metric metric) {
    return switch (metric) {
      case BP -> "mm[Hg] or kPa";
      case GLUCOSE -> "mg/dL or mmol/L";
      case TEMP -> "Cel or [degF]";
      default -> metric.canonicalUnit();
    };
  }

  /** FHIR data-absent-reason for a missing value, from the sensor status (docs/wire-format.md). */
  static String absentReason(List<String> statuses) {
    for (String s : statuses) {
      switch (s) {
        case "nan":
          return "not-a-number";
        case "pos_inf":
          return "positive-infinity";
        case "neg_inf":
          return "negative-infinity";
        default:
          break;
      }
    }
    return "error";
  }

  private static List<String> statuses(JsonNode r) {
    JsonNode st = r.get("st");
    if (st == null || st.isNull()) {
      return List.of("valid");
    }
    if (!st.isArray() || st.size() > 8) {
      throw schema("'st' must be an array of at most 8 status words");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : st) {
      if (!s.isTextual() || !STATUSES.contains(s.asText())) {
        throw schema("'st' word " + s + " is unknown; known: " + new java.util.TreeSet<>(STATUSES));
      }
      out.add(s.asText());
    }
    return List.copyOf(out);
  }

  private static TimeQuality timeQuality(JsonNode r) {
    if (!r.hasNonNull("tsq")) {
      return TimeQuality.NTP;
    }
    return switch (r.get("tsq").asText()) {
      case "ntp" -> TimeQuality.NTP;
      case "rtc" -> TimeQuality.RTC;
      case "gw" -> TimeQuality.GW;
      case "none" -> TimeQuality.NONE;
      default -> throw schema("'tsq' must be ntp, rtc, gw or none; was " + r.get("tsq"));
    };
  }

  private static BigDecimal decimal(JsonNode r, String field, BigDecimal dflt) {
    JsonNode n = r.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isNumber()) {
      throw schema("'" + field + "' must be a number, was " + n);
    }
    return n.decimalValue();
  }

  private static String requireText(JsonNode r, String field) {
    JsonNode n = r.get(field);
    if (n == null || !n.isTextual() || n.asText().isEmpty()) {
      throw schema("missing or non-string field '" + field + "'");
    }
    return n.asText();
  }

  private static long requireUint32(JsonNode r, String field) {
    JsonNode n = r.get(field);
    if (n == null || !n.isIntegralNumber() || n.asLong() < 0 || n.asLong() > UINT32_MAX) {
      throw schema("field '" + field + "' must be an integer 0..4294967295, was " + n);
    }
    return n.asLong();
  }

  private static ReadingRejectedException schema(String detail) {
    return new ReadingRejectedException(SCHEMA_VIOLATION, detail);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
