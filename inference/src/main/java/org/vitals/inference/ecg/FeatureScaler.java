package org.vitals.inference.ecg;

/**
 * Standardises feature vectors with the means and standard deviations of the training set (shipped
 * beside the ONNX model, so serving scales exactly as training did).
 */
public record FeatureScaler(double[] mean, double[] std) {

  /** Fits means and standard deviations (a zero spread becomes 1). */
  public static FeatureScaler fit(double[][] rows) {
    int d = rows.length == 0 ? 0 : rows[0].length;
    double[] mean = new double[d];
    double[] std = new double[d];
    for (double[] r : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += r[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= Math.max(1, rows.length);
    }
    for (double[] r : rows) {
      for (int j = 0; j < d; j++) {
        std[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
      }
    }
    for (int j = 0; j < d; j++) {
      std[j] = Math.sqrt(std[j] / Math.max(1, rows.length));
      if (std[j] < 1e-9) {
        std[j] = 1;
      }
    }
    return new FeatureScaler(mean, std);
  }

  /** The standardised vector, clipped to ±8 standard deviations against outliers. */
  public double[] apply(double[] row) {
    double[] out = new double[row.length];
    for (int j = 0; j < row.length; j++) {
      out[j] = Math.max(-8, Math.min(8, (row[j] - mean[j]) / std[j]));
    }
    return out;
  }

  /** Standardised rows as float32, the ONNX model's input type. */
  public float[][] applyFloat(double[][] rows) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      double[] s = apply(rows[i]);
      out[i] = new float[s.length];
      for (int j = 0; j < s.length; j++) {
        out[i][j] = (float) s[j];
      }
    }
    return out;
  }
}
