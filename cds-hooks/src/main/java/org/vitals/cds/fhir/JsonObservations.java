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
    CodeableConcept code = concept(o.path("code"));
    if (ObservationMapper.isPanel(code)) {
      for (JsonNode c : o.path("component")) {
        Optional<VitalKind> ck = ObservationMapper.kind(concept(c.path("code")));
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
    if (!usable(o) || !ObservationMapper.has(concept(o.path("code")), Codes.MDC, "131328")) {
      return Optional.empty();
    }
    JsonNode sd = o.get("valueSampledData");
    for (JsonNode c : o.path("component")) {
      if (c.has("valueSampledData")
          && (sd == null || ObservationMapper.has(concept(c.path("code")), Codes.MDC, "131330"))) {
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
    String data = sd.get("data").asText().trim();
    String[] tokens = data.split("\\s+");
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
