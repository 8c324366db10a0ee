package org.vitals.cds.clinical;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vitals.cds.clinical.Finding.Indicator;

/**
 * Stale or missing data: a device that has gone silent (no reading for three times its usual
 * interval, the median gap of its readings, and at least 10 minutes; a device with a single spot
 * reading has no usual interval and is not judged) or no vital signs at all in the last 24 hours. A
 * silent monitor looks like a stable patient on a dashboard, so it gets its own card.
 */
public final class DataFreshnessRule {

  /** Devices seen within this window are checked. */
  public static final Duration LOOKBACK = Duration.ofHours(24);

  /** The shortest silence reported. */
  public static final Duration MIN_SILENCE = Duration.ofMinutes(10);

  private DataFreshnessRule() {}

  /** A device's readings and how long it has been silent. */
  record DeviceSilence(String device, Instant last, double usualGapSeconds, Duration silent) {}

  /** The freshness finding, empty when every device reports on time. */
  public static Optional<Finding> assess(PatientData data) {
    Instant now = data.now();
    List<Reading> recent =
        data.readings().stream()
            .filter(r -> r.kind() != VitalKind.CONSCIOUSNESS)
            .filter(r -> r.time().isAfter(now.minus(LOOKBACK)))
            .toList();
    if (recent.isEmpty()) {
      return Optional.of(
          new Finding(
              "data",
              Indicator.WARNING,
              "No vital signs recorded in the last 24 h: NEWS2 and trends cannot be assessed",
              "No Observation of heart rate, SpO2, respiratory rate, temperature, blood pressure"
                  + " or glucose in the last 24 hours"
                  + data.readings().stream()
                      .reduce((a, b) -> b)
                      .map(r -> "; the last one was " + Markdown.ago(now, r.time()) + " ago")
                      .orElse("")
                  + ".\n",
              Guideline.DATA_QUALITY,
              List.of()));
    }
    Map<String, List<Instant>> byDevice = new LinkedHashMap<>();
    for (Reading r : recent) {
      if (r.device() != null) {
        byDevice.computeIfAbsent(r.device(), d -> new ArrayList<>()).add(r.time());
      }
    }
    List<DeviceSilence> silent = new ArrayList<>();
    for (Map.Entry<String, List<Instant>> e : byDevice.entrySet()) {
      List<Instant> times = e.getValue().stream().distinct().sorted().toList();
      Instant last = times.get(times.size() - 1);
      double usual = usualGapSeconds(times);
      Duration since = Duration.between(last, now);
      if (Double.isNaN(usual)) {
        continue; // one spot reading (a thermometer, a cuff): no rhythm to miss
      }
      Duration limit = Duration.ofSeconds((long) Math.max(MIN_SILENCE.toSeconds(), 3 * usual));
      if (since.compareTo(limit) > 0) {
        silent.add(new DeviceSilence(e.getKey(), last, usual, since));
      }
    }
    if (silent.isEmpty()) {
      return Optional.empty();
    }
    DeviceSilence longest =
        silent.stream().max((a, b) -> a.silent().compareTo(b.silent())).orElseThrow();
    String summary =
        (silent.size() == 1 ? "Device " + longest.device() : silent.size() + " devices")
            + " silent for "
            + Markdown.ago(now, longest.last())
            + ": readings may be missing";
    StringBuilder d =
        new StringBuilder("| Device | Last reading | Usual interval | Silent for |\n");
    d.append("|---|---|---|---|\n");
    for (DeviceSilence s : silent) {
      d.append("| ")
          .append(s.device())
          .append(" | ")
          .append(Markdown.time(s.last()))
          .append(" | ")
          .append(
              Double.isNaN(s.usualGapSeconds()) ? "–" : Markdown.num(s.usualGapSeconds()) + " s")
          .append(" | ")
          .append(Markdown.ago(now, s.last()))
          .append(" |\n");
    }
    d.append("\nA device counts as silent after three usual intervals and at least ")
        .append(MIN_SILENCE.toMinutes())
        .append(" minutes. Check the sensor, its battery and its gateway.\n");
    return Optional.of(
        new Finding(
            "data", Indicator.WARNING, summary, d.toString(), Guideline.DATA_QUALITY, List.of()));
  }

  private static double usualGapSeconds(List<Instant> times) {
    if (times.size() < 2) {
      return Double.NaN;
    }
    double[] gaps = new double[times.size() - 1];
    for (int i = 1; i < times.size(); i++) {
      gaps[i - 1] = Duration.between(times.get(i - 1), times.get(i)).toMillis() / 1000.0;
    }
    Arrays.sort(gaps);
    return gaps[gaps.length / 2];
  }
}
