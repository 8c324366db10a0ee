package org.vitals.cds.clinical;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vitals.cds.clinical.Finding.Indicator;
import org.vitals.cds.clinical.Finding.SuggestedOrder;
import org.vitals.inference.bp.BloodPressureAnalysis;
import org.vitals.inference.bp.BloodPressureReading;
import org.vitals.inference.bp.BloodPressureSummary;
import org.vitals.inference.bp.BpCategory;
import org.vitals.inference.bp.RobustTrend;

/**
 * The blood-pressure card: ACC/AHA 2017 category of the period's mean, the highest single reading,
 * hypertensive crisis, and the robust trend (Theil–Sen with Mann–Kendall) over the last 30 days.
 * Normal pressure without a rising trend gives no card.
 */
public final class BloodPressureRule {

  /** How far back readings are used. */
  public static final Duration WINDOW = Duration.ofDays(30);

  private BloodPressureRule() {}

  /** Systolic/diastolic pairs of the same Observation (a BP panel), oldest first. */
  public static List<BloodPressureReading> readings(PatientData data) {
    Map<String, Double> diastolic = new HashMap<>();
    for (Reading r : data.of(VitalKind.DIASTOLIC_BP)) {
      diastolic.put(key(r), r.value());
    }
    List<BloodPressureReading> out = new ArrayList<>();
    for (Reading s : data.of(VitalKind.SYSTOLIC_BP)) {
      Double d = diastolic.get(key(s));
      if (d != null && !s.time().isBefore(data.now().minus(WINDOW))) {
        try {
          out.add(new BloodPressureReading(s.time(), s.value(), d));
        } catch (IllegalArgumentException implausible) {
          // A cuff value no cuff reports (kPa, swapped fields): left out, as the library rules.
        }
      }
    }
    return out;
  }

  private static String key(Reading r) {
    return (r.observation() == null ? "" : r.observation()) + "@" + r.time();
  }

  /** The BP finding, empty without readings or when pressure is normal and not rising. */
  public static Optional<Finding> assess(PatientData data) {
    List<BloodPressureReading> readings = readings(data);
    if (readings.isEmpty()) {
      return Optional.empty();
    }
    BloodPressureSummary s = BloodPressureAnalysis.analyse(readings);
    BloodPressureReading last = readings.get(readings.size() - 1);
    boolean rising = s.systolicRising();
    if (s.periodCategory() == BpCategory.NORMAL && !s.crisis() && !rising) {
      return Optional.empty();
    }
    Indicator indicator =
        s.crisis()
            ? Indicator.CRITICAL
            : s.periodCategory() == BpCategory.STAGE_2_HYPERTENSION
                ? Indicator.WARNING
                : Indicator.INFO;
    String summary;
    if (s.crisis()) {
      BloodPressureReading worst =
          readings.stream()
              .filter(r -> BpCategory.of(r) == BpCategory.HYPERTENSIVE_CRISIS)
              .reduce((a, b) -> b)
              .orElse(last);
      summary =
          "Hypertensive crisis reading "
              + Markdown.num(worst.systolic())
              + "/"
              + Markdown.num(worst.diastolic())
              + " mmHg: assess for target-organ damage";
    } else {
      summary =
          s.periodCategory().label()
              + ": mean BP "
              + Markdown.num(s.meanSystolic())
              + "/"
              + Markdown.num(s.meanDiastolic())
              + " mmHg over "
              + s.readings()
              + (s.readings() == 1 ? " reading" : " readings")
              + (rising ? ", systolic rising" : "");
    }
    StringBuilder d = new StringBuilder();
    d.append("ACC/AHA 2017 category of the mean of ")
        .append(s.readings())
        .append(" readings (")
        .append(Markdown.time(s.from()))
        .append(" to ")
        .append(Markdown.time(s.to()))
        .append("): **")
        .append(s.periodCategory().label())
        .append("**, mean ")
        .append(Markdown.num(s.meanSystolic()))
        .append("/")
        .append(Markdown.num(s.meanDiastolic()))
        .append(" mmHg.\n\n");
    d.append("Latest reading ")
        .append(Markdown.num(last.systolic()))
        .append("/")
        .append(Markdown.num(last.diastolic()))
        .append(" mmHg (")
        .append(Markdown.ago(data.now(), last.time()))
        .append(" ago); highest single-reading category: ")
        .append(s.highestCategory().label())
        .append(".\n\n| Category | Readings |\n|---|---|\n");
    for (BpCategory c : BpCategory.values()) {
      d.append("| ").append(c.label()).append(" | ");
      d.append(s.categoryCounts().getOrDefault(c, 0)).append(" |\n");
    }
    d.append('\n');
    if (s.systolicTrend().isPresent()) {
      RobustTrend t = s.systolicTrend().get();
      d.append("Systolic trend (Theil–Sen): ")
          .append(Markdown.num(t.slopePerDay(), 2))
          .append(" mmHg/day, Mann–Kendall p = ")
          .append(Markdown.num(t.pValue(), 3))
          .append(rising ? " (rising)" : " (no significant rise)")
          .append(", n = ")
          .append(t.n())
          .append(".\n");
    } else {
      d.append("Trend: insufficient data (fewer than ")
          .append(RobustTrend.MIN_POINTS)
          .append(" readings).\n");
    }
    List<SuggestedOrder> orders = new ArrayList<>();
    if (indicator != Indicator.INFO || readings.size() < 3) {
      orders.add(
          new SuggestedOrder(
              "Repeat blood pressure measurement",
              Codes.SNOMED,
              "46973005",
              "Blood pressure taking",
              "Confirm the category on repeated readings (ACC/AHA 2017 classifies on an average)",
              s.crisis()));
    }
    return Optional.of(new Finding("bp", indicator, summary, d.toString(), Guideline.BP, orders));
  }
}
