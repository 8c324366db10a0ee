package org.vitals.inference.news2;

import java.util.Objects;

/**
 * One complete set of observations for NEWS2. Every parameter is required: the RCP defines no score
 * for an incomplete set, so a missing value is an error, not a zero.
 *
 * @param respirationRate breaths per minute
 * @param spo2Percent peripheral oxygen saturation, percent (0–100, not a fraction)
 * @param spo2Scale which SpO2 scale applies to this patient
 * @param onSupplementalOxygen true if the patient receives any supplemental oxygen (by mask or
 *     nasal cannulae); false on room air
 * @param systolicBp systolic blood pressure, mmHg
 * @param pulse pulse rate, beats per minute
 * @param consciousness ACVPU level
 * @param temperatureCelsius body temperature, degrees Celsius
 */
public record News2Input(
    double respirationRate,
    double spo2Percent,
    SpO2Scale spo2Scale,
    boolean onSupplementalOxygen,
    double systolicBp,
    double pulse,
    ConsciousnessLevel consciousness,
    double temperatureCelsius) {

  public News2Input {
    Objects.requireNonNull(spo2Scale, "spo2Scale is required (SCALE_1 unless prescribed 88-92 %)");
    Objects.requireNonNull(consciousness, "consciousness (ACVPU) is required");
    check("respirationRate", respirationRate, 0, 80, "breaths/min");
    check("spo2Percent", spo2Percent, 50, 100, "% (a fraction such as 0.97 is wrong units)");
    check("systolicBp", systolicBp, 30, 300, "mmHg (kPa is wrong units)");
    check("pulse", pulse, 0, 300, "beats/min");
    check("temperatureCelsius", temperatureCelsius, 25, 45, "degrees Celsius (not Fahrenheit)");
  }

  private static void check(String name, double value, double min, double max, String unit) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " is missing (" + value + "); NEWS2 needs all");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " = " + value + " is outside " + min + "–" + max + " " + unit);
    }
  }

  /** A patient on room air, scored on SpO2 Scale 1: the common case. */
  public static News2Input onAir(
      double respirationRate,
      double spo2Percent,
      double systolicBp,
      double pulse,
      ConsciousnessLevel consciousness,
      double temperatureCelsius) {
    return new News2Input(
        respirationRate,
        spo2Percent,
        SpO2Scale.SCALE_1,
        false,
        systolicBp,
        pulse,
        consciousness,
        temperatureCelsius);
  }
}
