package org.vitals.inference.glucose;

import java.util.ArrayList;
import java.util.List;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDModel;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import org.vitals.inference.ml.GradientBoostedTrees;
import org.vitals.inference.ml.TreeEnsembleOnnx;

/**
 * Trains the glucose forecaster: by default a small network ({@link DenseNetwork}, two outputs:
 * change at 30 and 60 min, exported as ONNX Gemm/Relu nodes, decision 0324); or gradient-boosted
 * regression trees ({@link GradientBoostedTrees}, exported as an ONNX tree ensemble, decision
 * 0307); or with Tribuo a two-output linear regression fitted by SGD with AdaGrad (decision 0320).
 * Fixed seeds: the same windows give the same model.
 */
public final class GlucoseTrainer {

  /** ONNX domain written into the exported model. */
  public static final String ONNX_DOMAIN = "org.vitals.inference.glucose";

  /** Boosted trees (decision 0307). */
  public static final String BOOSTED = "gbt";

  /** Tribuo linear regression (decision 0320). */
  public static final String LINEAR = "linear";

  /** Small neural network: the default model (decision 0324). */
  public static final String MLP = "mlp";

  /** Network settings of the forecaster: two hidden layers of 64, Adam, 8 epochs. */
  public static final DenseNetwork.Settings NETWORK =
      new DenseNetwork.Settings(new int[] {64, 64}, 8, 256, 1e-3, 0.7, 20260601L);

  /** Every how many-th window the trees train on (neighbouring windows overlap by 55 min). */
  public static final int TREE_WINDOW_STRIDE = 3;

  /** Boosting settings of the forecaster. */
  public static final GradientBoostedTrees.Settings TREES =
      new GradientBoostedTrees.Settings(200, 0.1, 5, 50, 1, 0.5, 0.8, 64, 20260601L);

  private static final RegressionFactory FACTORY = new RegressionFactory();

  /** A trained model: its outputs in Java and its ONNX graph. */
  public interface Trained {
    /** Scaled outputs ({@link GlucoseFeatures#OUTPUTS} order) for feature rows. */
    double[][] predictScaled(List<double[]> features);

    /** The ONNX graph. */
    byte[] toOnnx();

    /** One line for the metadata: what was trained and how. */
    String description();
  }

  private final String model;
  private final int epochs;
  private final long seed;

  /** A trainer of the default model (the network); same windows and seed give the same model. */
  public GlucoseTrainer(long seed) {
    this(MLP, 0, seed);
  }

  /**
   * A trainer of the given model kind.
   *
   * @param model {@link #MLP}, {@link #BOOSTED} or {@link #LINEAR}
   * @param epochs passes over the data (linear only)
   * @param seed random seed
   */
  public GlucoseTrainer(String model, int epochs, long seed) {
    if (!model.equals(MLP) && !model.equals(BOOSTED) && !model.equals(LINEAR)) {
      throw new IllegalArgumentException(
          "model must be 'mlp', 'gbt' or 'linear', got '" + model + "'");
    }
    this.model = model;
    this.epochs = epochs;
    this.seed = seed;
  }

  /** Tribuo example of one window (outputs are the scaled changes the model learns). */
  static Example<Regressor> example(ForecastInput in, double actual30, double actual60) {
    double last = in.last();
    Regressor target =
        new Regressor(
            GlucoseFeatures.OUTPUTS,
            new double[] {
              GlucoseFeatures.target(last, actual30), GlucoseFeatures.target(last, actual60)
            });
    return new ArrayExample<>(target, GlucoseFeatures.NAMES, GlucoseFeatures.of(in));
  }

  /** Tribuo example for prediction only. */
  static Example<Regressor> unlabelled(double[] features) {
    return new ArrayExample<>(FACTORY.getUnknownOutput(), GlucoseFeatures.NAMES, features);
  }

  /** Trains on the windows of the set (every {@link #TREE_WINDOW_STRIDE}-th for trees). */
  public Trained train(WindowSet windows, String description) {
    return switch (model) {
      case MLP -> trainNetwork(windows);
      case BOOSTED -> trainTrees(windows);
      default -> trainLinear(windows, description);
    };
  }

  private Trained trainNetwork(WindowSet windows) {
    double[][] x = new double[windows.size()][];
    double[][] y = new double[windows.size()][];
    for (int i = 0; i < x.length; i++) {
      ForecastInput in = windows.input(i);
      x[i] = GlucoseFeatures.of(in);
      y[i] =
          new double[] {
            GlucoseFeatures.target(in.last(), windows.actual30(i)),
            GlucoseFeatures.target(in.last(), windows.actual60(i))
          };
    }
    DenseNetwork.Settings s =
        new DenseNetwork.Settings(
            NETWORK.hidden(),
            NETWORK.epochs(),
            NETWORK.batch(),
            NETWORK.learningRate(),
            NETWORK.decay(),
            seed);
    DenseNetwork net = DenseNetwork.train(x, y, s);
    return new Trained() {
      @Override
      public double[][] predictScaled(List<double[]> features) {
        double[][] out = new double[features.size()][];
        for (int i = 0; i < out.length; i++) {
          out[i] = net.predict(features.get(i));
        }
        return out;
      }

      @Override
      public byte[] toOnnx() {
        return net.toOnnx(ONNX_DOMAIN);
      }

      @Override
      public String description() {
        return "dense network (org.vitals.inference.glucose.DenseNetwork): hidden "
            + java.util.Arrays.toString(s.hidden())
            + " ReLU, Adam "
            + s.learningRate()
            + " x "
            + s.decay()
            + " per epoch, batch "
            + s.batch()
            + ", "
            + s.epochs()
            + " epochs, seed "
            + s.seed();
      }
    };
  }

  private Trained trainTrees(WindowSet windows) {
    int n = (windows.size() + TREE_WINDOW_STRIDE - 1) / TREE_WINDOW_STRIDE;
    float[][] x = new float[n][];
    double[][] y = new double[n][2];
    double[] w = new double[n];
    for (int j = 0; j < n; j++) {
      int i = j * TREE_WINDOW_STRIDE;
      ForecastInput in = windows.input(i);
      x[j] = toFloat(GlucoseFeatures.of(in));
      y[j][0] = GlucoseFeatures.target(in.last(), windows.actual30(i));
      y[j][1] = GlucoseFeatures.target(in.last(), windows.actual60(i));
      w[j] = 1;
    }
    GradientBoostedTrees.Settings s =
        new GradientBoostedTrees.Settings(
            TREES.rounds(),
            TREES.learningRate(),
            TREES.maxDepth(),
            TREES.minChildHessian(),
            TREES.lambda(),
            TREES.rowSample(),
            TREES.colSample(),
            TREES.bins(),
            seed);
    GradientBoostedTrees trees = GradientBoostedTrees.trainRegressor(x, y, w, s, null);
    return new Trained() {
      @Override
      public double[][] predictScaled(List<double[]> features) {
        double[][] out = new double[features.size()][];
        for (int i = 0; i < out.length; i++) {
          out[i] = trees.predict(toFloat(features.get(i)));
        }
        return out;
      }

      @Override
      public byte[] toOnnx() {
        return TreeEnsembleOnnx.export(trees, ONNX_DOMAIN, java.util.Map.of());
      }

      @Override
      public String description() {
        return "gradient-boosted regression trees (org.vitals.inference.ml), " + s;
      }
    };
  }

  static float[] toFloat(double[] f) {
    float[] out = new float[f.length];
    for (int j = 0; j < f.length; j++) {
      out[j] = (float) f[j];
    }
    return out;
  }

  private Trained trainLinear(WindowSet windows, String description) {
    MutableDataset<Regressor> data =
        new MutableDataset<>(new SimpleDataSourceProvenance(description, FACTORY), FACTORY);
    for (int i = 0; i < windows.size(); i++) {
      data.add(example(windows.input(i), windows.actual30(i), windows.actual60(i)));
    }
    LinearSGDTrainer trainer =
        new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.05, 1e-6), epochs, -1, 16, seed);
    LinearSGDModel linear = trainer.train(data);
    checkOrder(linear);
    return new Trained() {
      @Override
      public double[][] predictScaled(List<double[]> features) {
        return GlucoseTrainer.predictScaled(linear, features);
      }

      @Override
      public byte[] toOnnx() {
        return linear.exportONNXModel(ONNX_DOMAIN, 1).toByteArray();
      }

      @Override
      public String description() {
        return "Tribuo 4.3.2 LinearSGDTrainer, SquaredLoss, AdaGrad(0.05), minibatch 16, "
            + epochs
            + " epochs";
      }
    };
  }

  /**
   * A Tribuo linear model's scaled outputs for feature rows, in {@link GlucoseFeatures#OUTPUTS}
   * order.
   */
  static double[][] predictScaled(LinearSGDModel model, List<double[]> features) {
    List<Example<Regressor>> examples = new ArrayList<>();
    for (double[] f : features) {
      examples.add(unlabelled(f));
    }
    List<Prediction<Regressor>> predictions = model.predict(examples);
    double[][] out = new double[features.size()][];
    for (int i = 0; i < out.length; i++) {
      Regressor r = predictions.get(i).getOutput();
      out[i] =
          new double[] {
            r.getDimension(GlucoseFeatures.OUTPUTS[0]).orElseThrow().getValue(),
            r.getDimension(GlucoseFeatures.OUTPUTS[1]).orElseThrow().getValue()
          };
    }
    return out;
  }

  /**
   * The ONNX graph reads inputs by Tribuo's feature index and writes outputs by its output index;
   * both must equal the order the serving code uses.
   */
  private static void checkOrder(LinearSGDModel model) {
    var features = model.getFeatureIDMap();
    for (int k = 0; k < GlucoseFeatures.NAMES.length; k++) {
      var info = features.get(GlucoseFeatures.NAMES[k]);
      if (info == null || info.getID() != k) {
        throw new IllegalStateException(
            "feature " + GlucoseFeatures.NAMES[k] + " is not at ONNX input index " + k);
      }
    }
    var outputs = model.getOutputIDInfo();
    for (int k = 0; k < GlucoseFeatures.OUTPUTS.length; k++) {
      Regressor dim = new Regressor(GlucoseFeatures.OUTPUTS[k], Double.NaN);
      if (outputs.getID(dim) != k) {
        throw new IllegalStateException(
            "output " + GlucoseFeatures.OUTPUTS[k] + " is not at ONNX output index " + k);
      }
    }
  }
}
