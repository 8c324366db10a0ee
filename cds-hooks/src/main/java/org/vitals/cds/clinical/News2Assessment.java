package org.vitals.cds.clinical;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vitals.inference.news2.ConsciousnessLevel;
import org.vitals.inference.news2.News2;
import org.vitals.inference.news2.News2Input;
import org.vitals.inference.news2.News2Parameter;
import org.vitals.inference.news2.News2Result;
import org.vitals.inference.news2.SpO2Scale;

/**
 * NEWS2 (RCP 2017) over the values a patient has, with what was missing made explicit.
 *
 * <p>The RCP defines no score for an incomplete set. Rather than say nothing, a missing parameter
 * is scored as normal (0) and listed in {@link #missing()}: the aggregate is then a lower bound,
 * which is safe for alerting (more data can only raise it) and is said on every card and
 * RiskAssessment. Consciousness has no device source: without a recorded ACVPU the patient is taken
 * as Alert, and said so. SpO2 Scale 2 is used when the clinical context gives a reason (COPD with
 * hypercapnic respiratory failure); otherwise Scale 1.
 *
 * @param result the score, sub-scores and response band
 * @param values the reading behind each scored parameter
 * @param missing human-readable list of what was missing or assumed
 * @param scale the SpO2 scale used
 * @param onOxygen whether supplemental oxygen was recorded
 */
public record News2Assessment(
    News2Result result,
    Map<VitalKind, Reading> values,
    List<String> missing,
    SpO2Scale scale,
    boolean onOxygen) {

  /** Continuous parameters older than this are not used. */
  public static final long CONTINUOUS_MAX_AGE_SECONDS = 3600;

  /** Intermittent parameters (cuff BP, temperature, ACVPU, oxygen) older than this are not used. */
  public static final long INTERMITTENT_MAX_AGE_SECONDS = 12 * 3600;

  /** The five device parameters NEWS2 needs, in chart order. */
  public static final List<VitalKind> SCORED =
      List.of(
          VitalKind.RESPIRATORY_RATE,
          VitalKind.SPO2,
          VitalKind.SYSTOLIC_BP,
          VitalKind.HEART_RATE,
          VitalKind.TEMPERATURE);

  /** True when every parameter was measured (consciousness and oxygen recorded too). */
  public boolean complete() {
    return missing.isEmpty();
  }

  /** True when at least one of the five measured parameters is present. */
  public boolean hasAnyMeasurement() {
    return SCORED.stream().anyMatch(values::containsKey);
  }

  /** NEWS2 from the newest value of each parameter within its freshness window. */
  public static News2Assessment latest(PatientData data) {
    Map<VitalKind, Reading> v = new EnumMap<>(VitalKind.class);
    for (VitalKind k : VitalKind.values()) {
      long age =
          switch (k) {
            case HEART_RATE, SPO2, RESPIRATORY_RATE -> CONTINUOUS_MAX_AGE_SECONDS;
            default -> INTERMITTENT_MAX_AGE_SECONDS;
          };
      data.latest(k, age).ifPresent(r -> v.put(k, r));
    }
    return of(v, data.context());
  }

  /** NEWS2 from the given values (any of them may be absent). */
  public static News2Assessment of(Map<VitalKind, Reading> values, ClinicalContext context) {
    Map<VitalKind, Reading> v = new EnumMap<>(VitalKind.class);
    v.putAll(values);
    List<String> missing = new ArrayList<>();
    for (VitalKind k : SCORED) {
      if (!v.containsKey(k)) {
        missing.add(k.label() + " not measured recently (scored 0)");
      }
    }
    ConsciousnessLevel consciousness =
        Optional.ofNullable(v.get(VitalKind.CONSCIOUSNESS))
            .map(r -> ConsciousnessLevel.values()[(int) Math.max(0, Math.min(4, r.value()))])
            .orElse(ConsciousnessLevel.ALERT);
    if (!v.containsKey(VitalKind.CONSCIOUSNESS)) {
      missing.add("ACVPU not recorded (assumed Alert)");
    }
    boolean onOxygen = onOxygen(v);
    if (!v.containsKey(VitalKind.OXYGEN_FLOW) && !v.containsKey(VitalKind.OXYGEN_CONCENTRATION)) {
      missing.add("oxygen therapy not recorded (assumed air)");
    }
    SpO2Scale scale = context.spo2Scale2() ? SpO2Scale.SCALE_2 : SpO2Scale.SCALE_1;
    News2Input in =
        new News2Input(
            value(v, VitalKind.RESPIRATORY_RATE, 16),
            value(v, VitalKind.SPO2, 98),
            scale,
            onOxygen,
            value(v, VitalKind.SYSTOLIC_BP, 120),
            value(v, VitalKind.HEART_RATE, 70),
            consciousness,
            value(v, VitalKind.TEMPERATURE, 37));
    return new News2Assessment(News2.score(in), v, List.copyOf(missing), scale, onOxygen);
  }

  /** The sub-score of the chart parameter a measured kind belongs to. */
  public int subScore(VitalKind kind) {
    return switch (kind) {
      case RESPIRATORY_RATE -> result.subScore(News2Parameter.RESPIRATION_RATE);
      case SPO2 -> result.subScore(News2Parameter.SPO2);
      case SYSTOLIC_BP -> result.subScore(News2Parameter.SYSTOLIC_BP);
      case HEART_RATE -> result.subScore(News2Parameter.PULSE);
      case TEMPERATURE -> result.subScore(News2Parameter.TEMPERATURE);
      case CONSCIOUSNESS -> result.subScore(News2Parameter.CONSCIOUSNESS);
      case OXYGEN_FLOW, OXYGEN_CONCENTRATION -> result.subScore(News2Parameter.AIR_OR_OXYGEN);
      default -> 0;
    };
  }

  private static boolean onOxygen(Map<VitalKind, Reading> v) {
    Reading flow = v.get(VitalKind.OXYGEN_FLOW);
    Reading fio2 = v.get(VitalKind.OXYGEN_CONCENTRATION);
    return (flow != null && flow.value() > 0) || (fio2 != null && fio2.value() > 21.5);
  }

  /** The measured value clamped into News2Input's plausible range, or a normal value if absent. */
  private static double value(Map<VitalKind, Reading> v, VitalKind k, double normal) {
    Reading r = v.get(k);
    if (r == null) {
      return normal;
    }
    double x = r.value();
    return switch (k) {
      case RESPIRATORY_RATE -> clamp(x, 0, 80);
      case SPO2 -> clamp(x, 50, 100);
      case SYSTOLIC_BP -> clamp(x, 30, 300);
      case HEART_RATE -> clamp(x, 0, 300);
      case TEMPERATURE -> clamp(x, 25, 45);
      default -> x;
    };
  }

  private static double clamp(double x, double lo, double hi) {
    return Math.max(lo, Math.min(hi, x));
  }
}
