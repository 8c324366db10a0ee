package org.vitals.inference.glucose;

import ai.onnx.proto.OnnxMl;
import java.util.Random;
import org.vitals.inference.ml.TreeEnsembleOnnx;

/**
 * A small fully connected network (ReLU hidden layers, linear outputs) trained with mini-batch Adam
 * on squared error (Kingma &amp; Ba, ICLR 2015), and its ONNX export as {@code Gemm}/{@code Relu}
 * nodes. Inputs are standardised with the training set's mean and SD; the export folds that into
 * the first layer, so the graph takes the raw features. A seeded {@link Random} shuffles and
 * initialises: the same data and settings give the same weights bit for bit (decision 0324). Each
 * batch runs the forward and backward passes row by row, then sums each unit's gradient over the
 * rows, skipping inactive ReLU units (decision 0325).
 *
 * <p>Tribuo 4.3 has no MLP trainer of its own (only TensorFlow interop, which needs native
 * TensorFlow) and its ONNX export covers no network, hence this class of ~350 lines.
 */
public final class DenseNetwork {

  /**
   * Training settings.
   *
   * @param hidden units per hidden layer
   * @param epochs passes over the data
   * @param batch windows per Adam step
   * @param learningRate Adam step size of the first epoch
   * @param decay factor on the step size after each epoch
   * @param seed initialisation and shuffling seed
   */
  public record Settings(
      int[] hidden, int epochs, int batch, double learningRate, double decay, long seed) {}

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;

  private final double[] mean;
  private final double[] sd;
  // w[l][o][i]: layer l, output unit o, input i; b[l][o].
  private final double[][][] w;
  private final double[][] b;

  private DenseNetwork(double[] mean, double[] sd, double[][][] w, double[][] b) {
    this.mean = mean;
    this.sd = sd;
    this.w = w;
    this.b = b;
  }

  /** Trains on rows {@code x} (features) and {@code y} (targets). */
  public static DenseNetwork train(double[][] x, double[][] y, Settings s) {
    int n = x.length;
    if (n == 0 || y.length != n) {
      throw new IllegalArgumentException("need as many target rows as feature rows, and some");
    }
    int in = x[0].length;
    int out = y[0].length;
    double[] mean = new double[in];
    double[] sd = new double[in];
    for (double[] row : x) {
      for (int k = 0; k < in; k++) {
        mean[k] += row[k] / n;
      }
    }
    for (double[] row : x) {
      for (int k = 0; k < in; k++) {
        sd[k] += (row[k] - mean[k]) * (row[k] - mean[k]) / n;
      }
    }
    for (int k = 0; k < in; k++) {
      sd[k] = Math.sqrt(sd[k]) + 1e-6;
    }
    int[] sizes = new int[s.hidden().length + 2];
    sizes[0] = in;
    System.arraycopy(s.hidden(), 0, sizes, 1, s.hidden().length);
    sizes[sizes.length - 1] = out;
    int layers = sizes.length - 1;
    Random random = new Random(s.seed());
    double[][][] w = new double[layers][][];
    double[][] b = new double[layers][];
    for (int l = 0; l < layers; l++) {
      w[l] = new double[sizes[l + 1]][sizes[l]];
      b[l] = new double[sizes[l + 1]];
      double scale = Math.sqrt(2.0 / sizes[l]); // He initialisation for ReLU
      for (double[] row : w[l]) {
        for (int i = 0; i < row.length; i++) {
          row[i] = random.nextGaussian() * scale;
        }
      }
    }
    DenseNetwork net = new DenseNetwork(mean, sd, w, b);
    net.fit(x, y, s, random);
    return net;
  }

  private void fit(double[][] x, double[][] y, Settings s, Random random) {
    int layers = w.length;
    double[][][] mw = zerosLike(w);
    double[][][] vw = zerosLike(w);
    double[][] mb = zerosLike(b);
    double[][] vb = zerosLike(b);
    double[][][] gw = zerosLike(w);
    double[][] gb = zerosLike(b);
    int[] order = new int[x.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Per row of a batch: the activations and deltas of every layer.
    double[][][] act = new double[s.batch()][layers + 1][];
    double[][][] delta = new double[s.batch()][layers + 1][];
    for (int r = 0; r < s.batch(); r++) {
      for (int l = 0; l < layers; l++) {
        act[r][l] = new double[w[l][0].length];
        delta[r][l] = new double[w[l][0].length];
      }
      act[r][layers] = new double[w[layers - 1].length];
      delta[r][layers] = new double[w[layers - 1].length];
    }
    // w transposed ([layer][input][unit]): the forward pass then adds one input to every unit at a
    // time, which the JIT vectorises, in the same order per unit as the plain dot product.
    double[][][] wt = new double[layers][][];
    for (int l = 0; l < layers; l++) {
      wt[l] = new double[w[l][0].length][w[l].length];
      for (int u = 0; u < w[l].length; u++) {
        for (int i = 0; i < w[l][u].length; i++) {
          wt[l][i][u] = w[l][u][i];
        }
      }
    }
    double rate = s.learningRate();
    long step = 0;
    for (int epoch = 0; epoch < s.epochs(); epoch++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int start = 0; start < order.length; start += s.batch()) {
        int n = Math.min(order.length, start + s.batch()) - start;
        // Forward pass and deltas of each row of the batch (reads w only).
        for (int r = 0; r < n; r++) {
          int row = order[start + r];
          forwardTransposed(x[row], act[r], wt);
          backward(y[row], act[r], delta[r], n);
        }
        step++;
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        // Each unit sums its gradient over the rows in row order, then takes its Adam step.
        for (int l = 0; l < layers; l++) {
          for (int u = 0; u < w[l].length; u++) {
            double[] g = gw[l][u];
            java.util.Arrays.fill(g, 0);
            gb[l][u] = 0;
            for (int r = 0; r < n; r++) {
              double du = delta[r][l + 1][u];
              if (du == 0) {
                continue; // inactive ReLU unit: adding 0 changes no sum
              }
              gb[l][u] += du;
              double[] a = act[r][l];
              for (int i = 0; i < a.length; i++) {
                g[i] += du * a[i];
              }
            }
            double[] wu = w[l][u];
            for (int i = 0; i < wu.length; i++) {
              wu[i] -= adam(g[i], mw[l][u], vw[l][u], i, rate, c1, c2);
              wt[l][i][u] = wu[i];
            }
            b[l][u] -= adam(gb[l][u], mb[l], vb[l], u, rate, c1, c2);
          }
        }
      }
      rate *= s.decay();
    }
  }

  /** Deltas of one row, from the output (squared error, scaled by the batch size) down. */
  private void backward(double[] target, double[][] act, double[][] delta, int batchRows) {
    int layers = w.length;
    double[] o = act[layers];
    for (int k = 0; k < o.length; k++) {
      delta[layers][k] = 2 * (o[k] - target[k]) / batchRows;
    }
    for (int l = layers - 1; l > 0; l--) {
      double[] d = delta[l + 1];
      double[] back = delta[l];
      java.util.Arrays.fill(back, 0);
      for (int u = 0; u < d.length; u++) {
        double du = d[u];
        if (du == 0) {
          continue;
        }
        double[] wu = w[l][u];
        for (int i = 0; i < back.length; i++) {
          back[i] += du * wu[i];
        }
      }
      double[] a = act[l];
      for (int i = 0; i < back.length; i++) {
        if (a[i] <= 0) {
          back[i] = 0; // ReLU gradient
        }
      }
    }
  }

  private static double adam(
      double g, double[] m, double[] v, int i, double rate, double c1, double c2) {
    m[i] = BETA1 * m[i] + (1 - BETA1) * g;
    v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
    return rate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPS);
  }

  /**
   * {@link #forward} for training, with the transposed weights: each unit's sum starts at its bias
   * and adds the inputs in index order as there, so the values are the same bit for bit; inputs
   * that are 0 (behind a ReLU, about half) add nothing and are skipped.
   */
  private void forwardTransposed(double[] x, double[][] act, double[][][] wt) {
    standardise(x, act[0]);
    for (int l = 0; l < wt.length; l++) {
      double[] a = act[l];
      double[] o = act[l + 1];
      System.arraycopy(b[l], 0, o, 0, o.length);
      double[][] wl = wt[l];
      for (int i = 0; i < a.length; i++) {
        double ai = a[i];
        if (ai == 0) {
          continue;
        }
        double[] wi = wl[i];
        for (int u = 0; u < o.length; u++) {
          o[u] += wi[u] * ai;
        }
      }
      if (l < wt.length - 1) {
        for (int u = 0; u < o.length; u++) {
          o[u] = Math.max(0, o[u]);
        }
      }
    }
  }

  private void standardise(double[] x, double[] a0) {
    for (int k = 0; k < a0.length; k++) {
      a0[k] = (x[k] - mean[k]) / sd[k];
    }
  }

  /** Fills act[0] with the standardised input and act[l + 1] with layer l's output. */
  private void forward(double[] x, double[][] act) {
    standardise(x, act[0]);
    for (int l = 0; l < w.length; l++) {
      double[] a = act[l];
      double[] o = act[l + 1];
      boolean hidden = l < w.length - 1;
      for (int u = 0; u < o.length; u++) {
        double z = b[l][u];
        double[] wu = w[l][u];
        for (int i = 0; i < a.length; i++) {
          z += wu[i] * a[i];
        }
        o[u] = hidden ? Math.max(0, z) : z;
      }
    }
  }

  /** Outputs for one row of raw features. */
  public double[] predict(double[] x) {
    double[][] act = new double[w.length + 1][];
    act[0] = new double[mean.length];
    for (int l = 0; l < w.length; l++) {
      act[l + 1] = new double[w[l].length];
    }
    forward(x, act);
    return act[w.length].clone();
  }

  /** Number of outputs. */
  public int outputs() {
    return b[b.length - 1].length;
  }

  /**
   * The network as an ONNX graph: float input {@code [batch, features]}, one {@code Gemm} per layer
   * (weights {@code [out, in]}, {@code transB = 1}) with {@code Relu} between, float output {@code
   * [batch, outputs]}; the input standardisation is folded into the first layer.
   */
  public byte[] toOnnx(String domain) {
    OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName(domain);
    graph.addInput(TreeEnsembleOnnx.tensor("input", mean.length));
    graph.addOutput(TreeEnsembleOnnx.tensor("output", outputs()));
    String current = "input";
    for (int l = 0; l < w.length; l++) {
      double[][] wl = w[l];
      double[] bl = b[l].clone();
      float[] weights = new float[wl.length * wl[0].length];
      for (int u = 0; u < wl.length; u++) {
        for (int i = 0; i < wl[u].length; i++) {
          double wi = wl[u][i];
          if (l == 0) {
            // (x - mean) / sd · w = x · (w / sd) - mean · w / sd
            bl[u] -= mean[i] * wi / sd[i];
            wi /= sd[i];
          }
          weights[u * wl[u].length + i] = (float) wi;
        }
      }
      float[] bias = new float[bl.length];
      for (int u = 0; u < bl.length; u++) {
        bias[u] = (float) bl[u];
      }
      graph.addInitializer(initializer("w" + l, new long[] {wl.length, wl[0].length}, weights));
      graph.addInitializer(initializer("b" + l, new long[] {bl.length}, bias));
      boolean last = l == w.length - 1;
      String gemmOut = last ? "output" : "z" + l;
      graph.addNode(
          OnnxMl.NodeProto.newBuilder()
              .setOpType("Gemm")
              .setName("dense" + l)
              .addInput(current)
              .addInput("w" + l)
              .addInput("b" + l)
              .addOutput(gemmOut)
              .addAttribute(
                  OnnxMl.AttributeProto.newBuilder()
                      .setName("transB")
                      .setType(OnnxMl.AttributeProto.AttributeType.INT)
                      .setI(1)));
      if (!last) {
        graph.addNode(
            OnnxMl.NodeProto.newBuilder()
                .setOpType("Relu")
                .setName("relu" + l)
                .addInput(gemmOut)
                .addOutput("h" + l));
        current = "h" + l;
      }
    }
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("org.vitals.inference")
        .setDomain(domain)
        .setModelVersion(1)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(graph)
        .build()
        .toByteArray();
  }

  private static OnnxMl.TensorProto initializer(String name, long[] dims, float[] values) {
    OnnxMl.TensorProto.Builder t =
        OnnxMl.TensorProto.newBuilder()
            .setName(name)
            .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    for (float v : values) {
      t.addFloatData(v);
    }
    return t.build();
  }

  private static double[][][] zerosLike(double[][][] a) {
    double[][][] z = new double[a.length][][];
    for (int l = 0; l < a.length; l++) {
      z[l] = zerosLike(a[l]);
    }
    return z;
  }

  private static double[][] zerosLike(double[][] a) {
    double[][] z = new double[a.length][];
    for (int l = 0; l < a.length; l++) {
      z[l] = new double[a[l].length];
    }
    return z;
  }
}
