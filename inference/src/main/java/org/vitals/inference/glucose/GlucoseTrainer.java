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

/**
 * Trains the glucose forecaster with Tribuo: a two-output linear regression (change at 30 and 60
 * min) fitted by SGD with AdaGrad on squared loss, fixed seed, and exports it to ONNX
 * (docs/decisions/0320).
 */
public final class GlucoseTrainer {

  /** ONNX domain written into the exported model. */
  public static final String ONNX_DOMAIN = "org.vitals.inference.glucose";

  private static final RegressionFactory FACTORY = new RegressionFactory();

  private final int epochs;
  private final long seed;

  /** A trainer; same windows, epochs and seed give the same weights. */
  public GlucoseTrainer(int epochs, long seed) {
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

  /** Trains on every window of the set. */
  public LinearSGDModel train(WindowSet windows, String description) {
    MutableDataset<Regressor> data =
        new MutableDataset<>(new SimpleDataSourceProvenance(description, FACTORY), FACTORY);
    for (int i = 0; i < windows.size(); i++) {
      data.add(example(windows.input(i), windows.actual30(i), windows.actual60(i)));
    }
    LinearSGDTrainer trainer =
        new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.05, 1e-6), epochs, -1, 16, seed);
    LinearSGDModel model = trainer.train(data);
    checkOrder(model);
    return model;
  }

  /** ONNX bytes of a trained model. */
  public static byte[] toOnnx(LinearSGDModel model) {
    return model.exportONNXModel(ONNX_DOMAIN, 1).toByteArray();
  }

  /**
   * The trained model's scaled outputs for feature rows, in {@link GlucoseFeatures#OUTPUTS} order.
   */
  public static double[][] predictScaled(LinearSGDModel model, List<double[]> features) {
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
