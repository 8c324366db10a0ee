package org.vitals.cds.clinical;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vitals.cds.clinical.Finding.SuggestedOrder;

/**
 * The admission baseline for {@code encounter-start}: the median of each vital sign over the last
 * 24 h (robust to single artefacts) and the NEWS2 of those medians, so later scores and trends have
 * a reference. RCP 2017 asks for a full set of observations and a NEWS2 at admission.
 */
public final class AdmissionBaselineRule {

  /** Readings behind the baseline. */
  public static final Duration WINDOW = Duration.ofHours(24);

  private AdmissionBaselineRule() {}

  /** The baseline finding; when no vitals exist it asks for a first full set. */
  public static Finding assess(PatientData data) {
    Instant from = data.now().minus(WINDOW);
    Map<VitalKind, Reading> medians = new EnumMap<>(VitalKind.class);
    Map<VitalKind, Integer> counts = new EnumMap<>(VitalKind.class);
    for (VitalKind k : VitalKind.values()) {
      List<Reading> r = data.of(k).stream().filter(x -> x.time().isAfter(from)).toList();
      if (r.isEmpty()) {
        continue;
      }
      double[] v = r.stream().mapToDouble(Reading::value).sorted().toArray();
      double median =
          v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
      if (k == VitalKind.CONSCIOUSNESS
          || k == VitalKind.OXYGEN_FLOW
          || k == VitalKind.OXYGEN_CONCENTRATION) {
        median = r.get(r.size() - 1).value(); // the latest state, not a median of states
      }
      Reading last = r.get(r.size() - 1);
      medians.put(k, new Reading(k, last.time(), median, last.device(), last.observation()));
      counts.put(k, r.size());
    }
    News2Assessment news2 = News2Assessment.of(medians, data.context());
    if (!news2.hasAnyMeasurement()) {
      return new Finding(
          "baseline",
          Finding.Indicator.WARNING,
          "No vital signs in the last 24 h: record a full set of observations and a NEWS2 at admission",
          "Admission baseline could not be set: no heart rate, SpO2, respiratory rate, temperature"
              + " or blood pressure in the last 24 hours. RCP 2017 asks for NEWS2 at admission.\n",
          Guideline.NEWS2,
          List.of(fullSet("No admission observations")));
    }
    String score =
        news2.complete() ? Integer.toString(news2.result().total()) : "≥ " + news2.result().total();
    String summary =
        "Admission baseline: NEWS2 "
            + score
            + " ("
            + news2.result().band().clinicalRisk()
            + " risk) from 24-h medians"
            + (news2.complete() ? "" : ", incomplete set");
    StringBuilder d = new StringBuilder("Medians of the last 24 h:\n\n");
    d.append("| Parameter | Baseline | Readings | NEWS2 sub-score |\n|---|---|---|---|\n");
    for (VitalKind k :
        Arrays.asList(
            VitalKind.RESPIRATORY_RATE,
            VitalKind.SPO2,
            VitalKind.SYSTOLIC_BP,
            VitalKind.DIASTOLIC_BP,
            VitalKind.HEART_RATE,
            VitalKind.TEMPERATURE,
            VitalKind.GLUCOSE)) {
      Reading r = medians.get(k);
      d.append("| ").append(k.label()).append(" | ");
      if (r == null) {
        d.append("– | 0 | – |\n");
      } else {
        d.append(Markdown.num(r.value())).append(' ').append(k.unit()).append(" | ");
        d.append(counts.get(k)).append(" | ");
        d.append(News2Assessment.SCORED.contains(k) ? Integer.toString(news2.subScore(k)) : "–");
        d.append(" |\n");
      }
    }
    d.append("\nResponse for this band (RCP chart 2): ")
        .append(news2.result().band().clinicalResponse())
        .append("; monitoring ")
        .append(news2.result().band().monitoringFrequency())
        .append(".\n\n");
    News2Rule.contextNotes(d, news2, data.context());
    if (!news2.missing().isEmpty()) {
      d.append("Missing: ").append(String.join("; ", news2.missing())).append(".\n");
    }
    Optional<SuggestedOrder> order =
        news2.complete()
            ? Optional.empty()
            : Optional.of(fullSet(String.join("; ", news2.missing())));
    return new Finding(
        "baseline",
        News2Rule.indicator(news2.result().band()),
        summary,
        d.toString(),
        Guideline.NEWS2,
        order.map(List::of).orElse(List.of()));
  }

  private static SuggestedOrder fullSet(String reason) {
    return new SuggestedOrder(
        "Record a full set of observations",
        Codes.LOINC,
        "85353-1",
        "Vital signs, weight, height, head circumference, oxygen saturation and BMI panel",
        reason,
        true);
  }
}
