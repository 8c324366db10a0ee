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

  /**
   * Upper edges of the NEWS2 bands (RCP 2017, chart 1) per metric, ascending; a value belongs to
   * the first band whose edge it does not exceed (decimals between two integer bands go up to the
   * next band: 90.5 /min is in 91-110). The band index tells a change of band within the abnormal
   * range (e.g. 95 to 135 /min), which is stored at once like the step out of the normal range.
   */
  private static final Map<Metric, BigDecimal[]> NEWS2_BAND_EDGES = news2Edges();

  private static Map<Metric, BigDecimal[]> news2Edges() {
    Map<Metric, BigDecimal[]> m = new EnumMap<>(Metric.class);
    BigDecimal[] pulse = edges("40", "50", "90", "110", "130");
    m.put(Metric.HR, pulse);
    m.put(Metric.PR, pulse);
    m.put(Metric.RR, edges("8", "11", "20", "24"));
    m.put(Metric.SPO2, edges("91", "93", "95"));
    m.put(Metric.TEMP, edges("35.0", "36.0", "38.0", "39.0"));
    return m;
  }

  private static BigDecimal[] edges(String... e) {
    return java.util.Arrays.stream(e).map(BigDecimal::new).toArray(BigDecimal[]::new);
  }

  /** The value's NEWS2 band (0 = lowest); 0 for metrics without NEWS2 bands. */
  public static int band(Metric metric, BigDecimal value) {
    BigDecimal[] e = NEWS2_BAND_EDGES.get(metric);
    if (e == null) {
      return 0;
    }
    int i = 0;
    while (i < e.length && value.compareTo(e[i]) > 0) {
      i++;
    }
    return i;
  }

  /** Whether the value is outside the metric's normal range (no range: never abnormal). */
  public boolean abnormal(Metric metric, BigDecimal value) {
    Range r = ranges.get(metric);
    return r != null && !r.contains(value);
  }
}
