package org.vitals.inference.glucose;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
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
   * Forecasts from the history (any order, duplicates ignored). The last {@value
   * ForecastWindows#HISTORY} readings are the model's history and must be 5 min apart; all readings
   * of the last {@value ForecastInput#PROFILE_HOURS} h before the last one form the person's
   * profile (pass a day of history for the best forecast; one hour is enough to get one). Returns
   * {@link GlucoseForecast.Status#INSUFFICIENT_DATA} with the reason when there are fewer than
   * {@value ForecastWindows#HISTORY} readings or a gap among the last ones.
   */
  public GlucoseForecast forecast(List<CgmReading> history) {
    int size = history == null ? 0 : history.size();
    if (size < ForecastWindows.HISTORY) {
      return GlucoseForecast.insufficient(
          "need " + ForecastWindows.HISTORY + " readings 5 min apart (55 min), got " + size);
    }
    List<CgmReading> r = new CgmTrace("", history).readings();
    int origin = r.size() - 1;
    int[] run = ForecastWindows.regularRuns(r);
    if (r.size() < ForecastWindows.HISTORY || run[origin] < ForecastWindows.HISTORY - 1) {
      int gapAt = origin;
      while (gapAt > 0 && ForecastWindows.regularStep(r, gapAt)) {
        gapAt--;
      }
      long s =
          gapAt > 0
              ? Duration.between(r.get(gapAt - 1).time(), r.get(gapAt).time()).getSeconds()
              : 0;
      return GlucoseForecast.insufficient(
          gapAt > 0
              ? "gap of "
                  + s
                  + " s before the reading at "
                  + r.get(gapAt).time()
                  + " in the last hour; forecasts need 12 readings every 5 min"
              : "need " + ForecastWindows.HISTORY + " distinct readings, got " + r.size());
    }
    double[][] prefix = ForecastInput.prefixSums(r);
    ForecastInput in = ForecastInput.at(r, origin, prefix[0], prefix[1]);
    double[] p = predict(new ForecastInput[] {in})[0];
    Instant at = r.get(origin).time();
    return GlucoseForecast.ok(GlucoseForecast.Prediction.of(at, in.last(), p[0], p[1]));
  }

  /** Batch forecast: rows of {30-min, 60-min} forecasts in mg/dL. */
  public double[][] predict(ForecastInput[] inputs) {
    float[][] x = new float[inputs.length][];
    for (int i = 0; i < inputs.length; i++) {
      double[] f = GlucoseFeatures.of(inputs[i]);
      x[i] = new float[f.length];
      for (int k = 0; k < f.length; k++) {
        x[i][k] = (float) f[k];
      }
    }
    float[][] y = model.predict(x);
    double[][] out = new double[inputs.length][2];
    for (int i = 0; i < inputs.length; i++) {
      double last = inputs[i].last();
      out[i][0] = GlucoseFeatures.toMgdl(last, y[i][0]);
      out[i][1] = GlucoseFeatures.toMgdl(last, y[i][1]);
    }
    return out;
  }
}
