package org.vitals.inference.glucose;

import java.time.Instant;
import java.util.Optional;

/**
 * The result of {@link GlucoseForecaster#forecast}: either a prediction or, when the history cannot
 * be forecast (too short, a gap, too old), {@link Status#INSUFFICIENT_DATA} with the reason and no
 * numbers.
 */
public record GlucoseForecast(Status status, String reason, Prediction prediction) {

  /** Whether a forecast was made. */
  public enum Status {
    OK,
    INSUFFICIENT_DATA
  }

  /**
   * Forecast glucose at 30 and 60 min after the last reading, and the alerts derived from it.
   * Hypoglycaemia levels follow the International Consensus on Time in Range (Battelino T et al.,
   * Diabetes Care 2019;42:1593): level 1 below 70 mg/dL, level 2 below 54 mg/dL; hyperglycaemia
   * above 180 mg/dL (level 2 above 250 mg/dL). "Within the horizon" means at either forecast point
   * (the forecast is piecewise linear between now, 30 and 60 min, so its minimum and maximum lie on
   * those points).
   */
  public record Prediction(
      Instant lastReadingTime,
      double lastMgdl,
      double mgdl30,
      double mgdl60,
      boolean hypoBelow70Within30,
      boolean hypoBelow70Within60,
      boolean hypoBelow54Within60,
      boolean hyperAbove180Within60,
      boolean hyperAbove250Within60) {

    static Prediction of(Instant at, double last, double p30, double p60) {
      double min = Math.min(p30, p60);
      double max = Math.max(p30, p60);
      return new Prediction(at, last, p30, p60, p30 < 70, min < 70, min < 54, max > 180, max > 250);
    }
  }

  static GlucoseForecast ok(Prediction p) {
    return new GlucoseForecast(Status.OK, null, p);
  }

  static GlucoseForecast insufficient(String reason) {
    return new GlucoseForecast(Status.INSUFFICIENT_DATA, reason, null);
  }

  /** The prediction, empty when there was insufficient data. */
  public Optional<Prediction> predicted() {
    return Optional.ofNullable(prediction);
  }
}
