package org.vitals.inference.glucose;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Forecasts glucose 30 and 60 minutes ahead from the last hour of CGM readings with the shipped
 * ONNX model (docs: models/glucose-forecaster.md). Pure apart from the model: the same history
 * gives the same forecast.
 */
public final class GlucoseForecaster {

  private final GlucoseModel model;

  /** A forecaster over the given model. */
  public GlucoseForecaster(GlucoseModel model) {
    this.model = model;
  }

  /** A forecaster over the shipped model (see {@link GlucoseModel#loadDefault()}). */
  public static GlucoseForecaster loadDefault() throws IOException {
    return new GlucoseForecaster(GlucoseModel.loadDefault());
  }

  /**
   * Forecasts from the history (any order; the last {@value ForecastWindows#HISTORY} readings are
   * used). Returns {@link GlucoseForecast.Status#INSUFFICIENT_DATA} when there are fewer than
   * {@value ForecastWindows#HISTORY} readings or any step between them is not a regular 5-min CGM
   * interval.
   */
  public GlucoseForecast forecast(List<CgmReading> history) {
    if (history == null || history.size() < ForecastWindows.HISTORY) {
      return GlucoseForecast.insufficient(
          "need "
              + ForecastWindows.HISTORY
              + " readings 5 min apart (55 min), got "
              + (history == null ? 0 : history.size()));
    }
    List<CgmReading> sorted = new ArrayList<>(history);
    sorted.sort(Comparator.comparing(CgmReading::time));
    List<CgmReading> last = sorted.subList(sorted.size() - ForecastWindows.HISTORY, sorted.size());
    for (int i = 1; i < last.size(); i++) {
      if (!ForecastWindows.regularStep(last, i)) {
        long s = Duration.between(last.get(i - 1).time(), last.get(i).time()).getSeconds();
        return GlucoseForecast.insufficient(
            "gap of "
                + s
                + " s before the reading at "
                + last.get(i).time()
                + " in the last hour; forecasts need readings every 5 min");
      }
    }
    double[] h = new double[ForecastWindows.HISTORY];
    for (int k = 0; k < h.length; k++) {
      h[k] = last.get(k).mgdl();
    }
    double[] p = predict(new double[][] {h})[0];
    Instant at = last.get(last.size() - 1).time();
    return GlucoseForecast.ok(GlucoseForecast.Prediction.of(at, h[h.length - 1], p[0], p[1]));
  }

  /** Batch forecast of gap-free histories: rows of {30-min, 60-min} forecasts in mg/dL. */
  public double[][] predict(double[][] histories) {
    float[][] x = new float[histories.length][];
    for (int i = 0; i < histories.length; i++) {
      double[] f = GlucoseFeatures.of(histories[i]);
      x[i] = new float[f.length];
      for (int k = 0; k < f.length; k++) {
        x[i][k] = (float) f[k];
      }
    }
    float[][] y = model.predict(x);
    double[][] out = new double[histories.length][2];
    for (int i = 0; i < histories.length; i++) {
      double last = histories[i][ForecastWindows.HISTORY - 1];
      out[i][0] = GlucoseFeatures.toMgdl(last, y[i][0]);
      out[i][1] = GlucoseFeatures.toMgdl(last, y[i][1]);
    }
    return out;
  }
}
