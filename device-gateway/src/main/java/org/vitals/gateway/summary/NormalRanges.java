package org.vitals.gateway.summary;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import org.vitals.gateway.measurement.Metric;

/**
 * Normal ranges of the numerics, per metric, in the metric's canonical unit. A reading outside its
 * range is abnormal: in minute-summary mode it is stored as its own Observation at once.
 *
 * <p>Defaults are the NEWS2 0-point bands (Royal College of Physicians, National Early Warning
 * Score (NEWS) 2, 2017, chart 1): respiration rate 12-20 /min, SpO2 (scale 1) 96 % and above, pulse
 * 51-90 /min (also used for heart rate), temperature 36.1-38.0 Cel. Glucose has no NEWS2 band; its
 * default is the consensus time-in-range target 70-180 mg/dL (Battelino et al., Diabetes Care
 * 2019;42:1593). A reading on a band's edge value is normal.
 */
public final class NormalRanges {
  /** One range; a null side is open. */
  public record Range(BigDecimal low, BigDecimal high) {
    public boolean contains(BigDecimal v) {
      return (low == null || v.compareTo(low) >= 0) && (high == null || v.compareTo(high) <= 0);
    }

    static Range parse(String metric, String text) {
      int dots = text.indexOf("..");
      if (dots < 0) {
        throw new IllegalArgumentException(
            "normal range of '" + metric + "' must be low..high, not '" + text + "'");
      }
      String lo = text.substring(0, dots).trim();
      String hi = text.substring(dots + 2).trim();
      return new Range(
          lo.isEmpty() ? null : new BigDecimal(lo), hi.isEmpty() ? null : new BigDecimal(hi));
    }
  }

  public static final Map<String, String> NEWS2_DEFAULTS =
      Map.of(
          "hr", "51..90",
          "pr", "51..90",
          "spo2", "96..",
          "rr", "12..20",
          "temp", "36.1..38.0",
          "glucose", "70..180");

  private final Map<Metric, Range> ranges = new EnumMap<>(Metric.class);

  /** The defaults, overridden per metric wire name by {@code configured}. */
  public NormalRanges(Map<String, String> configured) {
    Map<String, String> all = new java.util.HashMap<>(NEWS2_DEFAULTS);
    all.putAll(configured);
    all.forEach(
        (name, text) -> {
          Metric m =
              Metric.fromWire(name)
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "normal range for unknown metric '" + name + "'"));
          if (text != null && !text.isBlank()) {
            ranges.put(m, Range.parse(name, text));
          }
        });
  }

  /** Whether the value is outside the metric's normal range (no range: never abnormal). */
  public boolean abnormal(Metric metric, BigDecimal value) {
    Range r = ranges.get(metric);
    return r != null && !r.contains(value);
  }
}
