package org.vitals.gateway.measurement;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The metrics of wire format v1, each with its canonical UCUM unit, MDC codes and plausible range.
 *
 * <p>Plausible ranges are physical limits (design choice, docs/wire-format.md), not clinical alarm
 * limits: they catch broken sensors and encoding errors (SpO2 140 %, negative rates).
 */
public enum Metric {
  HR("hr", "/min", 147842, Set.of(147842, 149530, 149546), "0", "350"),
  PR("pr", "/min", 149530, Set.of(149530, 149546, 147842), "0", "350"),
  SPO2("spo2", "%", 150456, Set.of(150456), "0", "100"),
  RR("rr", "/min", 151562, Set.of(151562), "0", "150"),
  TEMP("temp", "Cel", 150364, Set.of(150364), "10", "50"),
  BP("bp", "mm[Hg]", 150020, Set.of(150020), "0", "400"),
  GLUCOSE("glucose", "mg/dL", 160184, Set.of(160184, 160188, 160192, 160196, 160368), "0", "2000"),
  ECG("ecg", "mV", 131328, Set.of(131328), null, null);

  private final String wireName;
  private final String canonicalUnit;
  private final int defaultMdc;
  private final Set<Integer> allowedMdc;
  private final BigDecimal min;
  private final BigDecimal max;

  Metric(
      String wireName,
      String canonicalUnit,
      int defaultMdc,
      Set<Integer> allowedMdc,
      String min,
      String max) {
    this.wireName = wireName;
    this.canonicalUnit = canonicalUnit;
    this.defaultMdc = defaultMdc;
    this.allowedMdc = allowedMdc;
    this.min = min == null ? null : new BigDecimal(min);
    this.max = max == null ? null : new BigDecimal(max);
  }

  public String wireName() {
    return wireName;
  }

  public String canonicalUnit() {
    return canonicalUnit;
  }

  public int defaultMdc() {
    return defaultMdc;
  }

  public Set<Integer> allowedMdc() {
    return allowedMdc;
  }

  public boolean isPlausible(BigDecimal canonicalValue) {
    return min == null
        || (canonicalValue.compareTo(min) >= 0 && canonicalValue.compareTo(max) <= 0);
  }

  public String rangeText() {
    return min + " to " + max + " " + canonicalUnit;
  }

  public static Optional<Metric> fromWire(String name) {
    return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
  }
}
