package org.vitals.gateway.measurement;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Converts accepted UCUM units to each metric's canonical unit.
 *
 * <p>Factors: 1 kPa = 7.50062 mm[Hg] (1 mmHg = 133.322 Pa, BIPM SI brochure / ISO 80000-4); glucose
 * 1 mmol/L = 18.016 mg/dL (molar mass of glucose 180.16 g/mol); degF to Cel by (F - 32) × 5/9.
 */
public final class UnitConversion {
  private static final BigDecimal MMHG_PER_KPA = new BigDecimal("7.50062");
  private static final BigDecimal MGDL_PER_MMOLL_GLUCOSE = new BigDecimal("18.016");
  private static final MathContext MC = MathContext.DECIMAL64;

  private UnitConversion() {}

  /** The value in the metric's canonical unit, or empty when the unit is not accepted. */
  public static Optional<BigDecimal> toCanonical(Metric metric, BigDecimal value, String unit) {
    if (metric.canonicalUnit().equals(unit)) {
      return Optional.of(value);
    }
    return switch (metric) {
      case BP ->
          "kPa".equals(unit)
              ? Optional.of(round(value.multiply(MMHG_PER_KPA, MC), 1))
              : Optional.empty();
      case GLUCOSE ->
          "mmol/L".equals(unit)
              ? Optional.of(round(value.multiply(MGDL_PER_MMOLL_GLUCOSE, MC), 1))
              : Optional.empty();
      case TEMP ->
          "[degF]".equals(unit)
              ? Optional.of(
                  round(
                      value
                          .subtract(BigDecimal.valueOf(32))
                          .multiply(BigDecimal.valueOf(5))
                          .divide(BigDecimal.valueOf(9), MC),
                      2))
              : Optional.empty();
      default -> Optional.empty();
    };
  }

  private static BigDecimal round(BigDecimal value, int scale) {
    return value.setScale(scale, RoundingMode.HALF_UP).stripTrailingZeros();
  }
}
