package org.vitals.inference.glucose;

/**
 * Turns 12 CGM readings (oldest first, 5 min apart) into the model's input, and its output back
 * into mg/dL. Features: the last value / 100 and each earlier reading's difference from it / 10 (an
 * auto-regressive model in differences, so it extrapolates trends around any level). The model
 * predicts the change over 30 and 60 min / 10; the forecast is clipped to the CGM range 40–400
 * mg/dL like the GlucoBench baselines.
 */
public final class GlucoseFeatures {

  /** Number of model inputs. */
  public static final int COUNT = ForecastWindows.HISTORY;

  /** Feature names in model input order (zero-padded: Tribuo sorts names as strings). */
  public static final String[] NAMES = names();

  /** Output (regression dimension) names in model output order. */
  public static final String[] OUTPUTS = {"delta030", "delta060"};

  static final double LEVEL_SCALE = 100.0;
  static final double DELTA_SCALE = 10.0;
  static final double MIN_FORECAST = 40.0;
  static final double MAX_FORECAST = 400.0;

  private GlucoseFeatures() {}

  private static String[] names() {
    String[] n = new String[COUNT];
    n[0] = "f00_last";
    for (int k = 1; k < COUNT; k++) {
      // f01 = reading 55 min ago minus last ... f11 = reading 5 min ago minus last.
      n[k] = String.format("f%02d_d%02dmin", k, (COUNT - k) * 5);
    }
    return n;
  }

  /** Features of one history (length {@link #COUNT}, oldest first, mg/dL). */
  public static double[] of(double[] history) {
    if (history.length != COUNT) {
      throw new IllegalArgumentException(
          "history must hold " + COUNT + " readings, got " + history.length);
    }
    double last = history[COUNT - 1];
    double[] f = new double[COUNT];
    f[0] = last / LEVEL_SCALE;
    for (int k = 0; k < COUNT - 1; k++) {
      f[k + 1] = (history[k] - last) / DELTA_SCALE;
    }
    return f;
  }

  /** Model output (scaled change) to a forecast in mg/dL. */
  public static double toMgdl(double last, double scaledDelta) {
    return clip(last + scaledDelta * DELTA_SCALE);
  }

  /** Target of the model for a future value. */
  static double target(double last, double future) {
    return (future - last) / DELTA_SCALE;
  }

  static double clip(double mgdl) {
    return Math.max(MIN_FORECAST, Math.min(MAX_FORECAST, mgdl));
  }
}
