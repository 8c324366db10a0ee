package org.vitals.cds.clinical;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vitals.cds.clinical.Finding.Indicator;
import org.vitals.cds.clinical.Finding.SuggestedOrder;
import org.vitals.inference.news2.News2ResponseBand;
import org.vitals.inference.news2.SpO2Scale;

/**
 * The NEWS2 card: aggregate, band and the RCP response (RCP 2017, chart 2), the value behind each
 * sub-score, the SpO2 scale and why, and what conditions and medications change.
 */
public final class News2Rule {

  private News2Rule() {}

  /** Indicator by response band: none/low info, low-medium/medium warning, high critical. */
  public static Indicator indicator(News2ResponseBand band) {
    return switch (band) {
      case NONE, LOW -> Indicator.INFO;
      case LOW_MEDIUM, MEDIUM -> Indicator.WARNING;
      case HIGH -> Indicator.CRITICAL;
    };
  }

  /** The NEWS2 finding, empty when none of the five measured parameters is present. */
  public static Optional<Finding> assess(PatientData data) {
    News2Assessment a = News2Assessment.latest(data);
    if (!a.hasAnyMeasurement()) {
      return Optional.empty();
    }
    return Optional.of(finding(a, data));
  }

  static Finding finding(News2Assessment a, PatientData data) {
    News2ResponseBand band = a.result().band();
    int total = a.result().total();
    String score = a.complete() ? Integer.toString(total) : "≥ " + total;
    String summary =
        "NEWS2 "
            + score
            + " ("
            + band.clinicalRisk()
            + " risk"
            + (a.complete() ? "" : ", incomplete set")
            + "): "
            + shortResponse(band);
    StringBuilder d = new StringBuilder();
    d.append("**NEWS2 ")
        .append(score)
        .append("**, clinical risk **")
        .append(band.clinicalRisk())
        .append("**")
        .append(a.result().singleParameterScoresThree() ? " (a single parameter scores 3)" : "")
        .append(".\n\n");
    d.append("Response (RCP chart 2): ").append(band.clinicalResponse()).append("; monitoring ");
    d.append(band.monitoringFrequency()).append(".\n\n");
    d.append("| Parameter | Value | Measured | Score |\n|---|---|---|---|\n");
    for (VitalKind k : News2Assessment.SCORED) {
      Reading r = a.values().get(k);
      d.append("| ").append(k.label()).append(" | ");
      if (r == null) {
        d.append("not measured | – | 0 (assumed) |\n");
      } else {
        d.append(Markdown.num(r.value())).append(' ').append(k.unit()).append(" | ");
        d.append(Markdown.ago(data.now(), r.time())).append(" ago | ");
        d.append(a.subScore(k)).append(" |\n");
      }
    }
    d.append("| Air or oxygen | ")
        .append(a.onOxygen() ? "oxygen" : "air")
        .append(" | | ")
        .append(a.onOxygen() ? 2 : 0)
        .append(" |\n");
    Reading acvpu = a.values().get(VitalKind.CONSCIOUSNESS);
    d.append("| Consciousness | ")
        .append(acvpu == null ? "Alert (assumed)" : acvpuName(acvpu.value()))
        .append(" | | ")
        .append(a.subScore(VitalKind.CONSCIOUSNESS))
        .append(" |\n\n");
    d.append("SpO2 scored on **")
        .append(a.scale() == SpO2Scale.SCALE_2 ? "Scale 2" : "Scale 1")
        .append("**");
    if (a.scale() == SpO2Scale.SCALE_2) {
      d.append(" because of ")
          .append(data.context().spo2Scale2Reason())
          .append(" (target 88–92 %; confirm the prescribed target)");
    }
    d.append(".\n\n");
    contextNotes(d, a, data.context());
    if (!a.missing().isEmpty()) {
      d.append("Incomplete set, so the score is a lower bound: ")
          .append(String.join("; ", a.missing()))
          .append(".\n");
    }
    List<SuggestedOrder> orders = new ArrayList<>();
    if (band == News2ResponseBand.MEDIUM
        || band == News2ResponseBand.HIGH
        || band == News2ResponseBand.LOW_MEDIUM) {
      orders.add(
          new SuggestedOrder(
              "Request urgent clinical review (NEWS2 " + score + ")",
              Codes.VITALS_ACTIONS,
              band == News2ResponseBand.HIGH ? "emergency-review" : "urgent-review",
              band == News2ResponseBand.HIGH
                  ? "Emergency assessment by a team with critical-care competencies"
                  : "Urgent assessment by a clinician competent in acute illness",
              band.clinicalResponse(),
              true));
    }
    if (!a.complete() && band != News2ResponseBand.NONE) {
      orders.add(
          new SuggestedOrder(
              "Record a full set of observations",
              Codes.LOINC,
              "85353-1",
              "Vital signs, weight, height, head circumference, oxygen saturation and BMI panel",
              "NEWS2 is incomplete: " + String.join("; ", a.missing()),
              false));
    }
    return new Finding("news2", indicator(band), summary, d.toString(), Guideline.NEWS2, orders);
  }

  static void contextNotes(StringBuilder d, News2Assessment a, ClinicalContext c) {
    if (c.onBetaBlocker()) {
      Reading hr = a.values().get(VitalKind.HEART_RATE);
      d.append("Takes a beta-blocker (")
          .append(c.betaBlocker())
          .append("): it blunts the heart-rate response, so a normal pulse may hide deterioration");
      if (hr != null && hr.value() <= 50) {
        d.append(", and the low pulse of ")
            .append(Markdown.num(hr.value()))
            .append("/min may be a drug effect");
      }
      d.append(". NEWS2 scores the pulse unchanged (RCP).\n\n");
    }
    if (!c.conditionsRead() || !c.medicationsRead()) {
      d.append("Not available: ")
          .append(!c.conditionsRead() ? "conditions " : "")
          .append(!c.medicationsRead() ? "medications " : "")
          .append("(the rules assumed none).\n\n");
    }
    for (String note : c.notes()) {
      d.append(note).append("\n\n");
    }
  }

  static String acvpuName(double v) {
    return switch ((int) v) {
      case 0 -> "Alert";
      case 1 -> "New confusion";
      case 2 -> "Voice";
      case 3 -> "Pain";
      default -> "Unresponsive";
    };
  }

  private static String shortResponse(News2ResponseBand band) {
    return switch (band) {
      case NONE -> "routine monitoring";
      case LOW -> "nurse to assess, observations 4–6-hourly";
      case LOW_MEDIUM -> "urgent ward-based review, observations hourly";
      case MEDIUM -> "urgent clinical review, observations hourly";
      case HIGH -> "emergency response, continuous monitoring";
    };
  }
}
