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
 * @param modelHypoAlert the model's "below 70 mg/dL within 60 min" alert against what happened, for
 *     alert thresholds {@link #ALERT_THRESHOLDS} on the forecast (70 = the flag the API sets)
 * @param lastValueHypoAlert the same for persistence (last reading below the threshold)
 */
public record GlucoseEvaluation(
    ErrorMetrics model,
    ErrorMetrics lastValue,
    ErrorMetrics linear,
    long windows,
    long skippedForGap,
    int traces,
    AlertCounts[] modelHypoAlert,
    AlertCounts[] lastValueHypoAlert) {

  /** Forecast thresholds (mg/dL) at which the hypo alert is scored: 70 and earlier warnings. */
  public static final double[] ALERT_THRESHOLDS = {70, 80, 90};

  /**
   * Confusion counts of an alert: an event is a reading below 70 mg/dL at 30 or 60 min after the
   * forecast origin; the alert is a forecast below 70 at either horizon.
   */
  public static final class AlertCounts {
    private long tp;
    private long fn;
    private long fp;
    private long tn;

    void add(boolean alert, boolean event) {
      if (alert && event) {
        tp++;
      } else if (event) {
        fn++;
      } else if (alert) {
        fp++;
      } else {
        tn++;
      }
    }

    /** Events (windows with a reading below 70 at +30 or +60 min). */
    public long events() {
      return tp + fn;
    }

    /** Sensitivity, percent. */
    public double sensitivity() {
      return 100.0 * tp / Math.max(1, tp + fn);
    }

    /** Positive predictivity, percent. */
    public double positivePredictivity() {
      return 100.0 * tp / Math.max(1, tp + fp);
    }

    /** Alerts per 100 windows without an event (false-alarm burden). */
    public double falseAlarmPercent() {
      return 100.0 * fp / Math.max(1, fp + tn);
    }
  }

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
    AlertCounts[] modelAlert = new AlertCounts[ALERT_THRESHOLDS.length];
    AlertCounts[] lastAlert = new AlertCounts[ALERT_THRESHOLDS.length];
    for (int k = 0; k < ALERT_THRESHOLDS.length; k++) {
      modelAlert[k] = new AlertCounts();
      lastAlert[k] = new AlertCounts();
    }
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
        boolean event = Math.min(a30, a60) < 70;
        for (int k = 0; k < ALERT_THRESHOLDS.length; k++) {
          modelAlert[k].add(Math.min(p[i][0], p[i][1]) < ALERT_THRESHOLDS[k], event);
          lastAlert[k].add(lv < ALERT_THRESHOLDS[k], event);
        }
      }
    }
    return new GlucoseEvaluation(
        model, last, linear, set.size(), set.skippedForGap(), set.traces(), modelAlert, lastAlert);
  }
}
