package org.vitals.inference.glucose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The small network learns a non-linear function, reproducibly, and its ONNX graph agrees. */
class DenseNetworkTest {

  private static final DenseNetwork.Settings SETTINGS =
      new DenseNetwork.Settings(new int[] {16, 16}, 30, 32, 3e-3, 0.9, 42);

  /** Rows of 3 inputs on different scales; targets |x0| and x1 * x2 / 100 + 5. */
  private static double[][][] data(int n, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][];
    double[][] y = new double[n][];
    for (int i = 0; i < n; i++) {
      x[i] = new double[] {r.nextGaussian(), 10 * r.nextGaussian(), 50 + 10 * r.nextGaussian()};
      y[i] = new double[] {Math.abs(x[i][0]), x[i][1] * x[i][2] / 100 + 5};
    }
    return new double[][][] {x, y};
  }

  @Test
  void learnsANonLinearFunctionThatNoLineFits() {
    double[][][] train = data(4000, 1);
    double[][][] test = data(500, 2);
    DenseNetwork net = DenseNetwork.train(train[0], train[1], SETTINGS);
    double err = 0;
    double var = 0;
    double mean = 0;
    for (double[] y : test[1]) {
      mean += y[0] / test[1].length;
    }
    for (int i = 0; i < test[0].length; i++) {
      double p = net.predict(test[0][i])[0];
      err += (p - test[1][i][0]) * (p - test[1][i][0]);
      var += (test[1][i][0] - mean) * (test[1][i][0] - mean);
    }
    // |x| has no linear part: a line explains nothing of it, the network most of it.
    assertThat(err / var).isLessThan(0.05);
  }

  @Test
  void sameDataAndSeedGiveTheSameNetwork() {
    double[][][] train = data(500, 3);
    DenseNetwork a = DenseNetwork.train(train[0], train[1], SETTINGS);
    DenseNetwork b = DenseNetwork.train(train[0], train[1], SETTINGS);
    DenseNetwork other =
        DenseNetwork.train(
            train[0],
            train[1],
            new DenseNetwork.Settings(new int[] {16, 16}, 30, 32, 3e-3, 0.9, 43));
    double[] x = {0.3, -4, 55};
    assertThat(a.predict(x)).containsExactly(b.predict(x));
    assertThat(other.predict(x)[0]).isNotEqualTo(a.predict(x)[0]);
  }

  @Test
  void onnxGraphGivesTheJavaOutputsOnRawInputs() throws Exception {
    double[][][] train = data(2000, 4);
    DenseNetwork net = DenseNetwork.train(train[0], train[1], SETTINGS);
    double[][][] test = data(200, 5);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    FloatBuffer buf = FloatBuffer.allocate(test[0].length * 3);
    for (double[] row : test[0]) {
      for (double v : row) {
        buf.put((float) v);
      }
    }
    buf.flip();
    try (OrtSession session =
            env.createSession(net.toOnnx("test"), new OrtSession.SessionOptions());
        OnnxTensor input = OnnxTensor.createTensor(env, buf, new long[] {test[0].length, 3});
        OrtSession.Result result = session.run(Map.of("input", input))) {
      float[][] y = (float[][]) result.get(0).getValue();
      for (int i = 0; i < y.length; i++) {
        double[] java = net.predict(toFloatPrecision(test[0][i]));
        assertThat((double) y[i][0]).isCloseTo(java[0], within(1e-4));
        assertThat((double) y[i][1]).isCloseTo(java[1], within(1e-4));
      }
    }
  }

  @Test
  void refusesMismatchedRows() {
    assertThatThrownBy(() -> DenseNetwork.train(new double[2][3], new double[1][2], SETTINGS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("as many target rows");
  }

  private static double[] toFloatPrecision(double[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) x[i];
    }
    return out;
  }
}
