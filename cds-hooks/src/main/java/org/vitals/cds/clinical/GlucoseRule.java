package org.vitals.cds.clinical;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vitals.cds.clinical.Finding.Indicator;
import org.vitals.cds.clinical.Finding.SuggestedOrder;
import org.vitals.inference.glucose.CgmReading;
import org.vitals.inference.glucose.GlucoseForecast;
import org.vitals.inference.glucose.GlucoseForecaster;
import org.vitals.inference.glucose.TimeInRange;

/**
 * The glucose card: the 30- and 60-minute forecast of the shipped model (models/glucose-forecaster)
 * with its hypo/hyper flags, and time in range over the last 24 h (Battelino 2019). Levels:
 * observed or forecast below 54 mg/dL is critical, below 70 mg/dL or above 250 mg/dL a warning.
 */
public final class GlucoseRule {

  /** How far back readings are used. */
  public static final Duration WINDOW = Duration.ofHours(24);

  private GlucoseRule() {}

  /** CGM readings of the window (implausible values left out), oldest first. */
  public static List<CgmReading> readings(PatientData data) {
    Instant from = data.now().minus(WINDOW);
    List<CgmReading> out = new ArrayList<>();
    for (Reading r : data.of(VitalKind.GLUCOSE)) {
      if (r.time().isAfter(from)
          && r.value() >= CgmReading.MIN_MGDL
          && r.value() <= CgmReading.MAX_MGDL) {
        out.add(new CgmReading(r.time(), r.value()));
      }
    }
    return out;
  }

  /** The glucose finding, empty without readings in the window. */
  public static Optional<Finding> assess(PatientData data, GlucoseForecaster forecaster) {
    List<CgmReading> readings = readings(data);
    if (readings.isEmpty()) {
      return Optional.empty();
    }
    CgmReading last = readings.get(readings.size() - 1);
    GlucoseForecast forecast = forecaster.forecast(readings);
    Optional<GlucoseForecast.Prediction> p = forecast.predicted();
    Optional<TimeInRange> tir =
        readings.size() >= 2 ? Optional.of(TimeInRange.of(readings)) : Optional.empty();
    double lowest = Math.min(last.mgdl(), p.map(x -> Math.min(x.mgdl30(), x.mgdl60())).orElse(1e9));
    double highest = Math.max(last.mgdl(), p.map(x -> Math.max(x.mgdl30(), x.mgdl60())).orElse(0d));
    Indicator indicator;
    String risk;
    if (lowest < 54) {
      indicator = Indicator.CRITICAL;
      risk = last.mgdl() < 54 ? "level 2 hypoglycaemia now" : "level 2 hypoglycaemia forecast";
    } else if (lowest < 70) {
      indicator = Indicator.WARNING;
      risk = last.mgdl() < 70 ? "hypoglycaemia now" : "hypoglycaemia forecast";
    } else if (highest > 250) {
      indicator = Indicator.WARNING;
      risk = "level 2 hyperglycaemia";
    } else if (highest > 180) {
      indicator = Indicator.INFO;
      risk = "above range";
    } else {
      indicator = Indicator.INFO;
      risk = "in range";
    }
    String summary =
        "Glucose "
            + Markdown.num(last.mgdl())
            + " mg/dL"
            + p.map(x -> ", forecast " + Markdown.num(x.mgdl30()) + " in 30 min").orElse("")
            + ": "
            + risk
            + tir.map(t -> ", TIR " + Markdown.num(t.inRangePercent()) + " %").orElse("");
    StringBuilder d = new StringBuilder();
    d.append("Latest ")
        .append(Markdown.num(last.mgdl()))
        .append(" mg/dL (")
        .append(Markdown.ago(data.now(), last.time()))
        .append(" ago).\n\n");
    if (p.isPresent()) {
      GlucoseForecast.Prediction x = p.get();
      d.append("| Horizon | Forecast |\n|---|---|\n| 30 min | ")
          .append(Markdown.num(x.mgdl30()))
          .append(" mg/dL |\n| 60 min | ")
          .append(Markdown.num(x.mgdl60()))
          .append(" mg/dL |\n\n");
      d.append("Flags: below 70 within 30 min: ")
          .append(yes(x.hypoBelow70Within30()))
          .append("; below 70 within 60 min: ")
          .append(yes(x.hypoBelow70Within60()))
          .append("; below 54 within 60 min: ")
          .append(yes(x.hypoBelow54Within60()))
          .append("; above 250 within 60 min: ")
          .append(yes(x.hyperAbove250Within60()))
          .append(".\n\n");
    } else {
      d.append("No forecast: ").append(forecast.reason()).append(".\n\n");
    }
    tir.ifPresent(
        t ->
            d.append("Last 24 h (")
                .append(t.readings())
                .append(" readings): in range 70–180 **")
                .append(Markdown.num(t.inRangePercent()))
                .append(" %** (target > 70 %), below 70 ")
                .append(Markdown.num(t.belowRangePercent()))
                .append(" % (target < 4 %), below 54 ")
                .append(Markdown.num(t.veryLowPercent()))
                .append(" %, above 180 ")
                .append(Markdown.num(t.aboveRangePercent()))
                .append(" %, mean ")
                .append(Markdown.num(t.meanMgdl()))
                .append(" mg/dL, CV ")
                .append(Markdown.num(t.cvPercent()))
                .append(" %.\n"));
    List<SuggestedOrder> orders =
        lowest < 70
            ? List.of(
                new SuggestedOrder(
                    "Check capillary blood glucose now",
                    Codes.LOINC,
                    "2339-0",
                    "Glucose [Mass/volume] in Blood",
                    "Confirm the CGM value before treating hypoglycaemia",
                    true))
            : List.of();
    return Optional.of(
        new Finding("glucose", indicator, summary, d.toString(), Guideline.GLUCOSE_MODEL, orders));
  }

  private static String yes(boolean b) {
    return b ? "**yes**" : "no";
  }
}
