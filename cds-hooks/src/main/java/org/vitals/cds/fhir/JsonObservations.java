package org.vitals.cds.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Quantity;
import org.vitals.cds.clinical.Codes;
import org.vitals.cds.clinical.EcgStrip;
import org.vitals.cds.clinical.Reading;
import org.vitals.cds.clinical.VitalKind;

/**
 * The fast path of {@link ObservationMapper} for prefetched Observations: reads the few elements
 * the rules need straight from the request's JSON tree instead of building full HAPI resources,
 * which cost ten times more than the rules on a large prefetch (a 1-MB prefetch of 13 keys). The
 * code and unit tables are {@link ObservationMapper}'s, so both paths map alike (tested).
 */
public final class JsonObservations {

  private JsonObservations() {}

  /** True for an Observation the rules can use (status, not a data-absent value). */
  static boolean usable(JsonNode o) {
    if (!"Observation".equals(o.path("resourceType").asText())) {
      return false;
    }
    for (JsonNode tag : o.path("meta").path("tag")) {
      if (Codes.AGGREGATION.equals(tag.path("system").asText())
          && Codes.MINUTE_SUMMARY.equals(tag.path("code").asText())) {
        return false; // a minute summary, not a reading (Codes.AGGREGATION)
      }
    }
    return !o.has("status") || ObservationMapper.USABLE_STATUS.contains(o.get("status").asText());
  }

  /** The readings of one Observation JSON (two for a BP panel), possibly none. */
  public static void readings(JsonNode o, List<Reading> out) {
    if (!usable(o)) {
      return;
    }
    Instant time = time(o);
    if (time == null) {
      return;
    }
    String device = o.path("device").path("reference").asText(null);
    String ref = o.hasNonNull("id") ? "Observation/" + o.get("id").asText() : null;
    CodeableConcept code = codeConcept(o.path("code"));
    if (ObservationMapper.isPanel(code)) {
      for (JsonNode c : o.path("component")) {
        Optional<VitalKind> ck = ObservationMapper.kind(codeConcept(c.path("code")));
        if (ck.isPresent() && c.has("valueQuantity")) {
          quantity(c.get("valueQuantity"))
              .flatMap(q -> ObservationMapper.value(ck.get(), q))
              .ifPresent(v -> out.add(new Reading(ck.get(), time, v, device, ref)));
        }
      }
      return;
    }
    Optional<VitalKind> kind = ObservationMapper.kind(code);
    if (kind.isEmpty()) {
      return;
    }
    VitalKind k = kind.get();
    if (k == VitalKind.CONSCIOUSNESS && o.has("valueCodeableConcept")) {
      ObservationMapper.acvpu(concept(o.get("valueCodeableConcept")))
          .ifPresent(v -> out.add(new Reading(k, time, v, device, ref)));
    } else if (o.has("valueQuantity")) {
      quantity(o.get("valueQuantity"))
          .flatMap(q -> ObservationMapper.value(k, q))
          .ifPresent(v -> out.add(new Reading(k, time, v, device, ref)));
    }
  }

  /** The ECG strip of an Observation JSON of MDC 131328 (lead II preferred), if it is one. */
  public static Optional<EcgStrip> ecgStrip(JsonNode o) {
    if (!usable(o) || !ObservationMapper.has(codeConcept(o.path("code")), Codes.MDC, "131328")) {
      return Optional.empty();
    }
    JsonNode sd = o.get("valueSampledData");
    for (JsonNode c : o.path("component")) {
      if (c.has("valueSampledData")
          && (sd == null
              || ObservationMapper.has(codeConcept(c.path("code")), Codes.MDC, "131330"))) {
        sd = c.get("valueSampledData");
      }
    }
    Instant start =
        o.path("effectivePeriod").has("start")
            ? parseTime(o.get("effectivePeriod").get("start").asText())
            : time(o);
    if (sd == null || !sd.hasNonNull("data") || !sd.hasNonNull("period") || start == null) {
      return Optional.empty();
    }
    double origin = sd.path("origin").path("value").asDouble(0);
    double factor = sd.has("factor") ? sd.get("factor").asDouble() : 1;
    int dims = sd.path("dimensions").asInt(1);
    String[] tokens = tokens(sd.get("data").asText());
    double[] mv = new double[tokens.length / Math.max(1, dims)];
    double previous = 0;
    boolean micro = "uV".equals(sd.path("origin").path("code").asText());
    for (int i = 0; i < mv.length; i++) {
      double v;
      try {
        v = origin + factor * Double.parseDouble(tokens[i * dims]);
        if (micro) {
          v /= 1000;
        }
      } catch (NumberFormatException e) {
        v = previous; // E, L, U: hold the previous value, as ObservationMapper does
      }
      mv[i] = v;
      previous = v;
    }
    String ref = o.hasNonNull("id") ? "Observation/" + o.get("id").asText() : null;
    return Optional.of(new EcgStrip(start, sd.get("period").asDouble(), mv, ref));
  }

  static Instant time(JsonNode o) {
    if (o.hasNonNull("effectiveDateTime")) {
      return parseTime(o.get("effectiveDateTime").asText());
    }
    if (o.hasNonNull("effectiveInstant")) {
      return parseTime(o.get("effectiveInstant").asText());
    }
    JsonNode p = o.path("effectivePeriod");
    if (p.hasNonNull("end")) {
      return parseTime(p.get("end").asText());
    }
    if (p.hasNonNull("start")) {
      return parseTime(p.get("start").asText());
    }
    return null;
  }

  static Instant parseTime(String s) {
    Instant fast = fastTime(s);
    if (fast != null) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        DateTimeType d = new DateTimeType(s); // partial dates and other FHIR forms
        return d.getValue() == null ? null : d.getValue().toInstant();
      } catch (RuntimeException bad) {
        return null;
      }
    }
  }

  /**
   * The common FHIR instant form {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±hh:mm)} without a
   * formatter (a prefetch holds a thousand of them); null for anything else, which {@link
   * #parseTime} then parses the general way.
   */
  static Instant fastTime(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) {
      return null;
    }
    if (minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      int len = i - start;
      if (len == 0 || len > 9) {
        return null;
      }
      nanos = digits(s, start, len);
      for (int k = len; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offset;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offset = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if (oh < 0 || oh > 18 || om < 0 || om > 59) {
        return null;
      }
      offset = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
    } else {
      return null;
    }
    long epochDay;
    try {
      epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    } catch (java.time.DateTimeException e) {
      return null;
    }
    return Instant.ofEpochSecond(
        epochDay * 86_400L + hour * 3600L + minute * 60L + second - offset, nanos);
  }

  /** The non-negative decimal number in s[from, from + len), or -1. */
  private static int digits(String s, int from, int len) {
    int v = 0;
    for (int i = from; i < from + len; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** The whitespace-separated tokens of SampledData.data. */
  static String[] tokens(String data) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>(data.length() / 4 + 1);
    int n = data.length();
    int i = 0;
    while (i < n) {
      while (i < n && Character.isWhitespace(data.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(data.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(data.substring(start, i));
      }
    }
    return out.toArray(new String[0]);
  }

  /** Concepts of {@code code} elements by their codings (system and code only), shared. */
  private static final java.util.concurrent.ConcurrentHashMap<String, CodeableConcept> CODES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The concept of an Observation's or component's {@code code}, for the code look-ups only (no
   * display or text): the few codes a prefetch repeats a thousand times are built once.
   */
  static CodeableConcept codeConcept(JsonNode cc) {
    StringBuilder key = new StringBuilder(48);
    for (JsonNode coding : cc.path("coding")) {
      key.append(coding.path("system").asText("")).append('|');
      key.append(coding.path("code").asText("")).append(' ');
    }
    String k = key.toString();
    CodeableConcept c = CODES.get(k);
    if (c != null) {
      return c;
    }
    c = new CodeableConcept();
    for (JsonNode coding : cc.path("coding")) {
      c.addCoding()
          .setSystem(coding.path("system").asText(null))
          .setCode(coding.path("code").asText(null));
    }
    c.getCoding(); // never null, so the shared concept is only read
    if (CODES.size() < 1000) {
      CODES.putIfAbsent(k, c);
    }
    return c;
  }

  static CodeableConcept concept(JsonNode cc) {
    CodeableConcept c = new CodeableConcept();
    for (JsonNode coding : cc.path("coding")) {
      c.addCoding()
          .setSystem(coding.path("system").asText(null))
          .setCode(coding.path("code").asText(null))
          .setDisplay(coding.path("display").asText(null));
    }
    if (cc.hasNonNull("text")) {
      c.setText(cc.get("text").asText());
    }
    return c;
  }

  static Optional<Quantity> quantity(JsonNode q) {
    if (!q.has("value") || !q.get("value").isNumber()) {
      return Optional.empty();
    }
    Quantity out = new Quantity();
    out.setValue(q.get("value").decimalValue());
    out.setCode(q.path("code").asText(null));
    out.setUnit(q.path("unit").asText(null));
    return Optional.of(out);
  }
}
