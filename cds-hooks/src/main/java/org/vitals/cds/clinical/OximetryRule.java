package org.vitals.cds.clinical;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.vitals.cds.clinical.Finding.Indicator;
import org.vitals.cds.clinical.Finding.SuggestedOrder;
import org.vitals.inference.spo2.DesaturationEvent;
import org.vitals.inference.spo2.InsufficientDataException;
import org.vitals.inference.spo2.OximetryAnalysis;
import org.vitals.inference.spo2.OximetryReport;
import org.vitals.inference.spo2.SpO2Series;

/**
 * The desaturation card over the last hour of SpO2: ≥ 4 % desaturation events (ODI4, AASM 2012 rule
 * 1B), time below 90 % (T90) and sustained hypoxaemia (below 90 % for 60 s or more; BTS 2017).
 * Readings are placed on a regular grid with a sample held for at most two reading intervals, so a
 * silent probe leaves gaps rather than invented values.
 */
public final class OximetryRule {

  /** How far back readings are used. */
  public static final Duration WINDOW = Duration.ofHours(1);

  private OximetryRule() {}

  /** The SpO2 readings of the window on a regular grid (NaN in gaps). */
  public static Optional<SpO2Series> series(PatientData data) {
    Instant from = data.now().minus(WINDOW);
    List<Reading> r = data.of(VitalKind.SPO2).stream().filter(x -> x.time().isAfter(from)).toList();
    if (r.size() < 2) {
      return Optional.empty();
    }
    double[] gaps = new double[r.size() - 1];
    for (int i = 1; i < r.size(); i++) {
      gaps[i - 1] = Duration.between(r.get(i - 1).time(), r.get(i).time()).toMillis() / 1000.0;
    }
    double[] sorted = gaps.clone();
    Arrays.sort(sorted);
    double interval = Math.max(1, Math.round(sorted[sorted.length / 2]));
    Instant start = r.get(0).time();
    double span = Duration.between(start, r.get(r.size() - 1).time()).toMillis() / 1000.0;
    int n = (int) Math.floor(span / interval) + 1;
    double[] values = new double[n];
    Arrays.fill(values, Double.NaN);
    int j = 0;
    for (int i = 0; i < n; i++) {
      double t = i * interval;
      while (j + 1 < r.size() && secondsFrom(start, r.get(j + 1).time()) <= t + 1e-6) {
        j++;
      }
      double age = t - secondsFrom(start, r.get(j).time());
      if (age <= 2 * interval) {
        values[i] = r.get(j).value();
      }
    }
    return Optional.of(new SpO2Series(interval, values, null));
  }

  private static double secondsFrom(Instant start, Instant t) {
    return Duration.between(start, t).toMillis() / 1000.0;
  }

  /** The desaturation finding, empty without enough data or without events. */
  public static Optional<Finding> assess(PatientData data) {
    Optional<SpO2Series> series = series(data);
    if (series.isEmpty()) {
      return Optional.empty();
    }
    OximetryReport rep;
    try {
      rep = new OximetryAnalysis().analyse(series.get());
    } catch (InsufficientDataException e) {
      return Optional.empty();
    }
    boolean sustained = rep.hasSustainedHypoxaemia();
    if (rep.events4().isEmpty() && !sustained && rep.t90Percent() <= 0) {
      return Optional.empty();
    }
    boolean scale2 = data.context().spo2Scale2();
    Indicator indicator;
    if (sustained) {
      indicator =
          rep.minimumPercent() < (scale2 ? 85 : 88) ? Indicator.CRITICAL : Indicator.WARNING;
      if (scale2 && rep.minimumPercent() >= 88) {
        indicator = Indicator.INFO;
      }
    } else {
      indicator = rep.odi4() >= 15 ? Indicator.WARNING : Indicator.INFO;
    }
    String summary =
        sustained
            ? "Sustained hypoxaemia: SpO2 below 90 % for "
                + Markdown.num(
                    rep.sustainedHypoxaemia().stream()
                        .mapToDouble(e -> e.durationSeconds())
                        .max()
                        .orElse(0))
                + " s, nadir "
                + Markdown.num(rep.minimumPercent())
                + " %"
            : rep.events4().size()
                + " desaturation(s) of ≥ 4 % in the last hour (ODI4 "
                + Markdown.num(rep.odi4())
                + "/h), nadir "
                + Markdown.num(rep.minimumPercent())
                + " %";
    StringBuilder d = new StringBuilder();
    d.append("Last hour of SpO2 (")
        .append(Markdown.num(rep.validSeconds() / 60.0))
        .append(" min of valid data of ")
        .append(Markdown.num(rep.recordedSeconds() / 60.0))
        .append(" min):\n\n| Measure | Value |\n|---|---|\n");
    d.append("| Mean SpO2 | ").append(Markdown.num(rep.meanPercent())).append(" % |\n");
    d.append("| Nadir | ").append(Markdown.num(rep.minimumPercent())).append(" % |\n");
    d.append("| ODI4 (≥ 4 % drops) | ").append(Markdown.num(rep.odi4())).append(" /h |\n");
    d.append("| ODI3 (≥ 3 % drops) | ").append(Markdown.num(rep.odi3())).append(" /h |\n");
    d.append("| T90 (time below 90 %) | ").append(Markdown.num(rep.t90Percent())).append(" % |\n");
    d.append("| Steepest decline | ")
        .append(Markdown.num(rep.maxDeclineRatePercentPerMinute()))
        .append(" %/min |\n\n");
    if (!rep.events4().isEmpty()) {
      d.append("Events (≥ 4 %): ");
      List<DesaturationEvent> ev = rep.events4();
      for (int i = Math.max(0, ev.size() - 5); i < ev.size(); i++) {
        DesaturationEvent e = ev.get(i);
        d.append(Markdown.num(e.baselinePercent()))
            .append("→")
            .append(Markdown.num(e.nadirPercent()))
            .append(" % for ")
            .append(Markdown.num(e.durationSeconds()))
            .append(" s");
        d.append(i < ev.size() - 1 ? "; " : ".\n\n");
      }
    }
    if (scale2) {
      d.append("SpO2 target 88–92 % (")
          .append(data.context().spo2Scale2Reason())
          .append("): time just below 90 % is within target.\n");
    } else {
      d.append("Target 94–98 % for most acutely ill patients (BTS 2017).\n");
    }
    List<SuggestedOrder> orders =
        indicator == Indicator.INFO
            ? List.of()
            : List.of(
                new SuggestedOrder(
                    "Arterial blood gas",
                    Codes.LOINC,
                    "24336-0",
                    "Gas panel - Arterial blood",
                    "Sustained or repeated desaturation: assess oxygenation and ventilation",
                    indicator == Indicator.CRITICAL));
    return Optional.of(
        new Finding("spo2", indicator, summary, d.toString(), Guideline.OXYGEN, orders));
  }
}
