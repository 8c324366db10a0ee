package org.vitals.inference.ml;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The boosted trees learn non-linear rules, and their ONNX graph gives the same outputs. */
class GradientBoostedTreesTest {

  private static final GradientBoostedTrees.Settings SETTINGS =
      new GradientBoostedTrees.Settings(40, 0.2, 3, 1, 1, 0.8, 1.0, 32, 11L);

  /** Three classes: inside a ring, left of it, right of it (no linear model separates them). */
  private static int ringClass(float a, float b) {
    double r = Math.hypot(a, b);
    return r < 1 ? 0 : (a < 0 ? 1 : 2);
  }

  private static float[][] points(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[][] x = new float[n][3];
    for (int i = 0; i < n; i++) {
      x[i][0] = (float) (rnd.nextDouble() * 4 - 2);
      x[i][1] = (float) (rnd.nextDouble() * 4 - 2);
      x[i][2] = (float) rnd.nextGaussian(); // noise feature
    }
    return x;
  }

  @Test
  void classifierLearnsARingAndOnnxRuntimeAgreesTo1e4() throws Exception {
    float[][] x = points(3000, 1);
    int[] y = new int[x.length];
    double[] w = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = ringClass(x[i][0], x[i][1]);
      w[i] = 1;
    }
    GradientBoostedTrees m = GradientBoostedTrees.trainClassifier(x, y, w, 3, SETTINGS, null);
    float[][] test = points(1000, 2);
    int right = 0;
    for (float[] t : test) {
      double[] p = m.predict(t);
      int best = p[0] >= p[1] && p[0] >= p[2] ? 0 : (p[1] >= p[2] ? 1 : 2);
      right += best == ringClass(t[0], t[1]) ? 1 : 0;
    }
    assertThat(right).as("held-out points right").isGreaterThan(900);
    double[][] ort = runOnnx(TreeEnsembleOnnx.export(m, "test", Map.of()), test, 3);
    assertThat(maxDiff(m, test, ort)).isLessThan(1e-4);
    // same data, same settings: the same model
    GradientBoostedTrees again = GradientBoostedTrees.trainClassifier(x, y, w, 3, SETTINGS, null);
    assertThat(again.raw(test[0])).containsExactly(m.raw(test[0]));
  }

  @Test
  void regressorFitsTwoOutputsAndOnnxRuntimeAgreesTo1e4() throws Exception {
    float[][] x = points(3000, 3);
    double[][] y = new double[x.length][2];
    double[] w = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i][0] = Math.abs(x[i][0]) * 10;
      y[i][1] = x[i][0] > 0 && x[i][1] > 0 ? 5 : -5;
      w[i] = 1;
    }
    GradientBoostedTrees m = GradientBoostedTrees.trainRegressor(x, y, w, SETTINGS, null);
    float[][] test = points(500, 4);
    double se = 0;
    for (float[] t : test) {
      double e = m.predict(t)[0] - Math.abs(t[0]) * 10;
      se += e * e;
    }
    assertThat(Math.sqrt(se / test.length)).as("RMSE of |x| * 10").isLessThan(1.5);
    double[][] ort = runOnnx(TreeEnsembleOnnx.export(m, "test", Map.of()), test, 2);
    assertThat(maxDiff(m, test, ort)).isLessThan(1e-4);
  }

  private static double maxDiff(GradientBoostedTrees m, float[][] rows, double[][] ort) {
    double max = 0;
    for (int i = 0; i < rows.length; i++) {
      double[] p = m.predict(rows[i]);
      for (int k = 0; k < p.length; k++) {
        max = Math.max(max, Math.abs(p[k] - ort[i][k]));
      }
    }
    return max;
  }

  static double[][] runOnnx(byte[] onnx, float[][] rows, int outputs) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(env, rows);
        OrtSession.Result r = s.run(Map.of(TreeEnsembleOnnx.INPUT, in))) {
      float[][] out = (float[][]) r.get(0).getValue();
      double[][] d = new double[out.length][outputs];
      for (int i = 0; i < out.length; i++) {
        for (int k = 0; k < outputs; k++) {
          d[i][k] = out[i][k];
        }
      }
      return d;
    }
  }
}
