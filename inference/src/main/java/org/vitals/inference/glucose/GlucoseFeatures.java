package org.vitals.inference.glucose;

/**
 * Turns a {@link ForecastInput} into the model's input, and its output back into mg/dL.
 *
 * <p>Features, in ONNX input order: the last value / 100; each of the 11 earlier readings of the
 * last 55 min minus the last, / 10 (an auto-regressive model in differences, so it extrapolates
 * trends around any level); the 24-h profile (mean minus last / 10, SD / 10, coverage 0–1); and the
 * products of the differences and of the mean gap with the profile SD, and of the mean gap with
 * coverage, so the extrapolation and the pull towards the person's mean can differ between steady
 * and labile people. The model predicts the change over 30 and 60 min / 10; forecasts are clipped
 * to the CGM range 40–400 mg/dL like the GlucoBench baselines.
 */
public final class GlucoseFeatures {

  private static final int DIFFS = ForecastWindows.HISTORY - 1;

  /** Number of model inputs. */
  public static final int COUNT = 1 + DIFFS + 3 + DIFFS + 2;

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
    int i = 0;
    n[i] = String.format("f%02d_last", i);
    i++;
    for (int k = 0; k < DIFFS; k++, i++) {
      n[i] = String.format("f%02d_d%02dmin", i, (DIFFS - k) * 5);
    }
    n[i] = String.format("f%02d_mean24_gap", i);
    i++;
    n[i] = String.format("f%02d_sd24", i);
    i++;
    n[i] = String.format("f%02d_cover24", i);
    i++;
    for (int k = 0; k < DIFFS; k++, i++) {
      n[i] = String.format("f%02d_d%02dmin_x_sd24", i, (DIFFS - k) * 5);
    }
    n[i] = String.format("f%02d_gap_x_sd24", i);
    i++;
    n[i] = String.format("f%02d_gap_x_cover24", i);
    return n;
  }

  /** Features of one input. */
  public static double[] of(ForecastInput in) {
    double[] h = in.history();
    if (h.length != ForecastWindows.HISTORY) {
      throw new IllegalArgumentException(
          "history must hold " + ForecastWindows.HISTORY + " readings, got " + h.length);
    }
    double last = h[h.length - 1];
    double[] f = new double[COUNT];
    int i = 0;
    f[i++] = last / LEVEL_SCALE;
    for (int k = 0; k < DIFFS; k++) {
      f[i++] = (h[k] - last) / DELTA_SCALE;
    }
    double gap = (in.profileMean() - last) / DELTA_SCALE;
    double sd = in.profileSd() / DELTA_SCALE;
    double cover = Math.min(1.0, (double) in.profileCount() / ForecastInput.FULL_PROFILE);
    f[i++] = gap;
    f[i++] = sd;
    f[i++] = cover;
    for (int k = 0; k < DIFFS; k++) {
      f[i++] = (h[k] - last) / DELTA_SCALE * sd;
    }
    f[i++] = gap * sd;
    f[i++] = gap * cover;
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
