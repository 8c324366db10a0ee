package org.vitals.inference.glucose;

/**
 * The two reference forecasts every glucose model must beat (reference:
 * clinical-rules-and-models.md §6.2): last value (persistence) and a least-squares line over the
 * last 30 minutes (7 readings) extrapolated, clipped to 40–400 mg/dL.
 */
public final class Baselines {

  private Baselines() {}

  /** Persistence: the forecast is the last reading. */
  public static double lastValue(double[] history) {
    return history[history.length - 1];
  }

  /** Linear extrapolation {@code minutesAhead} past the last reading. */
  public static double linear(double[] history, double minutesAhead) {
    int n = 7;
    int first = history.length - n;
    double mt = 0;
    double my = 0;
    for (int k = 0; k < n; k++) {
      mt += k * 5.0;
      my += history[first + k];
    }
    mt /= n;
    my /= n;
    double num = 0;
    double den = 0;
    for (int k = 0; k < n; k++) {
      double t = k * 5.0 - mt;
      num += t * (history[first + k] - my);
      den += t * t;
    }
    double slope = num / den;
    double tLast = (n - 1) * 5.0;
    return GlucoseFeatures.clip(my + slope * (tLast + minutesAhead - mt));
  }
}
