package org.vitals.cds.fhir;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.SampledData;
import org.vitals.cds.clinical.Codes;
import org.vitals.cds.clinical.EcgStrip;
import org.vitals.cds.clinical.Reading;
import org.vitals.cds.clinical.VitalKind;

/**
 * Turns FHIR Observations (the shapes of docs/wire-format.md: LOINC + MDC codes, UCUM units, BP
 * panels, SampledData ECG strips) into readings in the units the rules use. Observations that are
 * cancelled, entered in error, without a time or without a value (dataAbsentReason) are skipped.
 */
public final class ObservationMapper {

  static final Set<String> USABLE_STATUS = Set.of("final", "amended", "corrected", "preliminary");

  private ObservationMapper() {}

  /** The readings in one Observation (two for a BP panel), possibly none. */
  public static List<Reading> readings(Observation o) {
    List<Reading> out = new ArrayList<>();
    if (!usable(o)) {
      return out;
    }
    Instant time = time(o).orElse(null);
    if (time == null) {
      return out;
    }
    String device = o.hasDevice() ? o.getDevice().getReference() : null;
    String ref =
        o.getIdElement().hasIdPart() ? "Observation/" + o.getIdElement().getIdPart() : null;
    if (isPanel(o.getCode())) {
      for (ObservationComponentComponent c : o.getComponent()) {
        Optional<VitalKind> ck = kind(c.getCode());
        if (ck.isPresent() && c.hasValueQuantity()) {
          value(ck.get(), c.getValueQuantity())
              .ifPresent(v -> out.add(new Reading(ck.get(), time, v, device, ref)));
        }
      }
      return out;
    }
    Optional<VitalKind> kind = kind(o.getCode());
    if (kind.isEmpty()) {
      return out;
    }
    VitalKind k = kind.get();
    if (k == VitalKind.CONSCIOUSNESS && o.hasValueCodeableConcept()) {
      acvpu(o.getValueCodeableConcept())
          .ifPresent(v -> out.add(new Reading(k, time, v, device, ref)));
    } else if (o.hasValueQuantity()) {
      value(k, o.getValueQuantity()).ifPresent(v -> out.add(new Reading(k, time, v, device, ref)));
    }
    return out;
  }

  /** The ECG strip in an Observation of MDC 131328 (lead II preferred), if it is one. */
  public static Optional<EcgStrip> ecgStrip(Observation o) {
    if (!usable(o) || !has(o.getCode(), Codes.MDC, "131328")) {
      return Optional.empty();
    }
    SampledData sd = null;
    if (o.hasValueSampledData()) {
      sd = o.getValueSampledData();
    }
    for (ObservationComponentComponent c : o.getComponent()) {
      if (c.hasValueSampledData() && (sd == null || has(c.getCode(), Codes.MDC, "131330"))) {
        sd = c.getValueSampledData();
      }
    }
    Instant start =
        o.hasEffectivePeriod() && o.getEffectivePeriod().hasStart()
            ? o.getEffectivePeriod().getStart().toInstant()
            : time(o).orElse(null);
    if (sd == null || !sd.hasData() || !sd.hasPeriod() || start == null) {
      return Optional.empty();
    }
    double origin =
        sd.hasOrigin() && sd.getOrigin().hasValue() ? sd.getOrigin().getValue().doubleValue() : 0;
    double factor = sd.hasFactor() ? sd.getFactor().doubleValue() : 1;
    int dims = sd.hasDimensions() ? sd.getDimensions() : 1;
    String[] tokens = sd.getData().trim().split("\\s+");
    double[] mv = new double[tokens.length / dims];
    double previous = 0;
    for (int i = 0; i < mv.length; i++) {
      String t = tokens[i * dims];
      double v;
      try {
        v = origin + factor * Double.parseDouble(t);
      } catch (NumberFormatException e) {
        v = previous; // E, L, U: no value; hold the previous one so filters see no step
      }
      mv[i] = v;
      previous = v;
    }
    String unit = sd.getOrigin().getCode();
    if ("uV".equals(unit)) {
      for (int i = 0; i < mv.length; i++) {
        mv[i] /= 1000;
      }
    }
    String ref =
        o.getIdElement().hasIdPart() ? "Observation/" + o.getIdElement().getIdPart() : null;
    return Optional.of(new EcgStrip(start, sd.getPeriod().doubleValue(), mv, ref));
  }

  static boolean usable(Observation o) {
    if (o.getMeta().getTag(Codes.AGGREGATION, Codes.MINUTE_SUMMARY) != null) {
      return false; // a minute summary, not a reading (Codes.AGGREGATION)
    }
    return !o.hasStatus() || USABLE_STATUS.contains(o.getStatus().toCode());
  }

  static Optional<Instant> time(Observation o) {
    if (o.hasEffectiveDateTimeType() && o.getEffectiveDateTimeType().getValue() != null) {
      return Optional.of(o.getEffectiveDateTimeType().getValue().toInstant());
    }
    if (o.hasEffectiveInstantType() && o.getEffectiveInstantType().getValue() != null) {
      return Optional.of(o.getEffectiveInstantType().getValue().toInstant());
    }
    if (o.hasEffectivePeriod()) {
      if (o.getEffectivePeriod().hasEnd()) {
        return Optional.of(o.getEffectivePeriod().getEnd().toInstant());
      }
      if (o.getEffectivePeriod().hasStart()) {
        return Optional.of(o.getEffectivePeriod().getStart().toInstant());
      }
    }
    return Optional.empty();
  }

  static boolean isPanel(CodeableConcept code) {
    return has(code, Codes.LOINC, "85354-9") || has(code, Codes.MDC, "150020");
  }

  /** The kind a code stands for (LOINC first, then the MDC equivalents the gateway sends). */
  public static Optional<VitalKind> kind(CodeableConcept code) {
    for (Coding c : code.getCoding()) {
      String s = c.getSystem();
      String v = c.getCode();
      if (Codes.LOINC.equals(s)) {
        switch (v) {
          case "8867-4":
            return Optional.of(VitalKind.HEART_RATE);
          case "2708-6", "59408-5", "59417-6":
            return Optional.of(VitalKind.SPO2);
          case "9279-1":
            return Optional.of(VitalKind.RESPIRATORY_RATE);
          case "8310-5", "8331-1", "8332-9", "8333-7":
            return Optional.of(VitalKind.TEMPERATURE);
          case "8480-6":
            return Optional.of(VitalKind.SYSTOLIC_BP);
          case "8462-4":
            return Optional.of(VitalKind.DIASTOLIC_BP);
          case "2339-0", "41653-7", "99504-3", "2345-7", "15074-8", "14743-9":
            return Optional.of(VitalKind.GLUCOSE);
          case "3151-8":
            return Optional.of(VitalKind.OXYGEN_FLOW);
          case "3150-0":
            return Optional.of(VitalKind.OXYGEN_CONCENTRATION);
          case "67775-7":
            return Optional.of(VitalKind.CONSCIOUSNESS);
          case "85354-9":
            return Optional.of(VitalKind.SYSTOLIC_BP);
          default:
            break;
        }
      }
    }
    for (Coding c : code.getCoding()) {
      if (Codes.MDC.equals(c.getSystem())) {
        switch (c.getCode()) {
          case "149546", "147842", "149530":
            return Optional.of(VitalKind.HEART_RATE);
          case "150456":
            return Optional.of(VitalKind.SPO2);
          case "151562", "151554":
            return Optional.of(VitalKind.RESPIRATORY_RATE);
          case "150364", "188496":
            return Optional.of(VitalKind.TEMPERATURE);
          case "150021":
            return Optional.of(VitalKind.SYSTOLIC_BP);
          case "150022":
            return Optional.of(VitalKind.DIASTOLIC_BP);
          case "150020":
            return Optional.of(VitalKind.SYSTOLIC_BP);
          default:
            break;
        }
      }
    }
    return Optional.empty();
  }

  /** The value in the kind's unit, converting the UCUM units vital signs arrive in. */
  static Optional<Double> value(VitalKind k, Quantity q) {
    if (!q.hasValue()) {
      return Optional.empty();
    }
    double v = q.getValue().doubleValue();
    String unit = q.hasCode() ? q.getCode() : q.getUnit();
    unit = unit == null ? "" : unit;
    switch (k) {
      case TEMPERATURE:
        if ("[degF]".equals(unit) || "degF".equalsIgnoreCase(unit) || "°F".equals(unit)) {
          v = (v - 32) * 5 / 9;
        }
        break;
      case GLUCOSE:
        if ("mmol/L".equalsIgnoreCase(unit)) {
          v = v * 18.016;
        }
        break;
      case SPO2:
      case OXYGEN_CONCENTRATION:
        if ("1".equals(unit) && v <= 1) {
          v = v * 100;
        }
        break;
      case SYSTOLIC_BP:
      case DIASTOLIC_BP:
        if ("kPa".equals(unit)) {
          v = v * 7.50062;
        }
        break;
      default:
        break;
    }
    return Double.isFinite(v) ? Optional.of(v) : Optional.empty();
  }

  /** ACVPU from a coded answer: 0 Alert, 1 new confusion, 2 Voice, 3 Pain, 4 Unresponsive. */
  static Optional<Double> acvpu(CodeableConcept cc) {
    List<String> words = new ArrayList<>();
    if (cc.hasText()) {
      words.add(cc.getText());
    }
    for (Coding c : cc.getCoding()) {
      if (Codes.SNOMED.equals(c.getSystem())) {
        switch (c.getCode()) {
          case "248234008":
            return Optional.of(0.0);
          case "130987000":
            return Optional.of(1.0);
          case "300202002":
            return Optional.of(2.0);
          case "450847001":
            return Optional.of(3.0);
          case "422768004":
            return Optional.of(4.0);
          default:
            break;
        }
      }
      if (c.hasDisplay()) {
        words.add(c.getDisplay());
      }
      if (c.hasCode()) {
        words.add(c.getCode());
      }
    }
    for (String w : words) {
      String s = w.trim().toLowerCase(Locale.ROOT);
      if (s.startsWith("alert") || s.equals("a")) {
        return Optional.of(0.0);
      }
      if (s.contains("confus") || s.equals("c")) {
        return Optional.of(1.0);
      }
      if (s.contains("voice") || s.equals("v")) {
        return Optional.of(2.0);
      }
      if (s.contains("pain") || s.equals("p")) {
        return Optional.of(3.0);
      }
      if (s.contains("unrespons") || s.equals("u")) {
        return Optional.of(4.0);
      }
    }
    return Optional.empty();
  }

  static boolean has(CodeableConcept cc, String system, String code) {
    for (Coding c : cc.getCoding()) {
      if (system.equals(c.getSystem()) && code.equals(c.getCode())) {
        return true;
      }
    }
    return false;
  }
}
