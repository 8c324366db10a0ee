package org.vitals.inference.glucose;

/** Running RMSE and MAE of forecasts at 30 and 60 minutes, in mg/dL. */
public final class ErrorMetrics {

  private double se30;
  private double ae30;
  private double se60;
  private double ae60;
  private long n;

  /** Adds one window's errors. */
  public void add(double predicted30, double actual30, double predicted60, double actual60) {
    double e30 = predicted30 - actual30;
    double e60 = predicted60 - actual60;
    se30 += e30 * e30;
    ae30 += Math.abs(e30);
    se60 += e60 * e60;
    ae60 += Math.abs(e60);
    n++;
  }

  /** Windows added. */
  public long count() {
    return n;
  }

  public double rmse30() {
    return Math.sqrt(se30 / n);
  }

  public double mae30() {
    return ae30 / n;
  }

  public double rmse60() {
    return Math.sqrt(se60 / n);
  }

  public double mae60() {
    return ae60 / n;
  }
}
