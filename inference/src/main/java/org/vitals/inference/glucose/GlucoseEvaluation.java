package org.vitals.inference.glucose;

import java.util.List;

/**
 * Scores the forecaster and the two baselines on the same gap-free windows of some traces.
 *
 * @param model the ONNX forecaster's errors
 * @param lastValue persistence baseline's errors
 * @param linear linear-extrapolation baseline's errors
 * @param windows windows forecast
 * @param skippedForGap windows not forecast because of a gap
 * @param traces traces read
 */
public record GlucoseEvaluation(
    ErrorMetrics model,
    ErrorMetrics lastValue,
    ErrorMetrics linear,
    long windows,
    long skippedForGap,
    int traces) {

  private static final int BATCH = 4096;

  /** Evaluates the forecaster on every window of the traces. */
  public static GlucoseEvaluation run(List<CgmTrace> traces, GlucoseForecaster forecaster) {
    return run(WindowSet.of(traces), forecaster);
  }

  /** Evaluates the forecaster on the windows. */
  public static GlucoseEvaluation run(WindowSet set, GlucoseForecaster forecaster) {
    if (set.size() == 0) {
      throw new IllegalArgumentException(
          "insufficient data: no gap-free 115-min window (12 readings of history and 12 ahead,"
              + " 5 min apart) in "
              + set.traces()
              + " trace(s); "
              + set.skippedForGap()
              + " window(s) skipped for gaps");
    }
    ErrorMetrics model = new ErrorMetrics();
    ErrorMetrics last = new ErrorMetrics();
    ErrorMetrics linear = new ErrorMetrics();
    for (int start = 0; start < set.size(); start += BATCH) {
      int n = Math.min(BATCH, set.size() - start);
      ForecastInput[] in = new ForecastInput[n];
      for (int i = 0; i < n; i++) {
        in[i] = set.input(start + i);
      }
      double[][] p = forecaster.predict(in);
      for (int i = 0; i < n; i++) {
        double a30 = set.actual30(start + i);
        double a60 = set.actual60(start + i);
        model.add(p[i][0], a30, p[i][1], a60);
        double[] h = in[i].history();
        double lv = Baselines.lastValue(h);
        last.add(lv, a30, lv, a60);
        linear.add(Baselines.linear(h, 30), a30, Baselines.linear(h, 60), a60);
      }
    }
    return new GlucoseEvaluation(
        model, last, linear, set.size(), set.skippedForGap(), set.traces());
  }
}
