package org.vitals.inference.ecg.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.BeatFeatures;
import org.vitals.inference.ecg.FeatureScaler;
import org.vitals.inference.ecg.OnnxBeatClassifier;
import org.vitals.inference.ml.GradientBoostedTrees;
import org.vitals.inference.ml.TreeEnsembleOnnx;

/**
 * A beat classifier fresh from training (Tribuo linear or FM model, or our boosted trees): predicts
 * in Java and exports itself to ONNX with the sidecar (feature order, scaling, label order) that
 * {@link OnnxBeatClassifier} serves.
 */
public final class TrainedBeatClassifier {
  private final Model<Label> model;
  private final GradientBoostedTrees trees;
  private final FeatureScaler scaler;
  private final BeatClassifierTrainer.Settings settings;

  TrainedBeatClassifier(
      Model<Label> model, FeatureScaler scaler, BeatClassifierTrainer.Settings settings) {
    this.model = model;
    this.trees = null;
    this.scaler = scaler;
    this.settings = settings;
  }

  TrainedBeatClassifier(
      GradientBoostedTrees trees, FeatureScaler scaler, BeatClassifierTrainer.Settings settings) {
    this.model = null;
    this.trees = trees;
    this.scaler = scaler;
    this.settings = settings;
  }

  /** The Tribuo model; null for boosted trees. */
  public Model<Label> model() {
    return model;
  }

  /**
   * This model with class offsets added to its log-probabilities (tuned decision thresholds, {@link
   * ClassBias}); only boosted trees take them, in their base values, so the ONNX graph has them.
   */
  public TrainedBeatClassifier withClassBias(double[] bias) {
    boolean none = java.util.Arrays.stream(bias).allMatch(b -> b == 0);
    if (none) {
      return this;
    }
    if (trees == null) {
      throw new IllegalStateException("class offsets are only supported for boosted trees");
    }
    TrainedBeatClassifier m =
        new TrainedBeatClassifier(trees.withBaseShift(bias), scaler, settings);
    m.classBias = bias.clone();
    return m;
  }

  private double[] classBias = new double[BeatClassifierTrainer.CLASSES.size()];

  /** The class offsets baked into the model, in output order (zeros when none). */
  public double[] classBias() {
    return classBias.clone();
  }

  /** The boosted trees; null for a Tribuo model. */
  public GradientBoostedTrees trees() {
    return trees;
  }

  public FeatureScaler scaler() {
    return scaler;
  }

  public BeatClassifierTrainer.Settings settings() {
    return settings;
  }

  /**
   * The standardised features rounded to float32 and back: the exact values the ONNX model sees, so
   * Java and ONNX predictions can be compared to 1e-4.
   */
  static double[] asFloatValues(FeatureScaler scaler, double[] row) {
    double[] s = scaler.apply(row);
    for (int j = 0; j < s.length; j++) {
      s[j] = (float) s[j];
    }
    return s;
  }

  /** Class labels in the ONNX output order (Tribuo's output id order). */
  public List<AamiClass> outputOrder() {
    if (trees != null) {
      return BeatClassifierTrainer.CLASSES;
    }
    List<AamiClass> order = new ArrayList<>();
    for (int id = 0; id < model.getOutputIDInfo().size(); id++) {
      order.add(AamiClass.fromLetter(model.getOutputIDInfo().getOutput(id).getLabel()));
    }
    return order;
  }

  /** Class probabilities {@code [beat][output id]} as Tribuo computes them. */
  public double[][] probabilities(double[][] rows) {
    if (trees != null) {
      double[][] out = new double[rows.length][];
      for (int i = 0; i < rows.length; i++) {
        double[] s = asFloatValues(scaler, rows[i]);
        float[] f = new float[s.length];
        for (int j = 0; j < s.length; j++) {
          f[j] = (float) s[j];
        }
        out[i] = trees.predict(f);
      }
      return out;
    }
    String[] names = BeatFeatures.NAMES.toArray(new String[0]);
    List<AamiClass> order = outputOrder();
    double[][] out = new double[rows.length][order.size()];
    for (int i = 0; i < rows.length; i++) {
      ArrayExample<Label> ex =
          new ArrayExample<>(LABEL_UNKNOWN, names, asFloatValues(scaler, rows[i]));
      Prediction<Label> p = model.predict(ex);
      Map<String, Label> scores = p.getOutputScores();
      for (int k = 0; k < order.size(); k++) {
        Label l = scores.get(order.get(k).letter());
        out[i][k] = l == null ? 0 : l.getScore();
      }
    }
    return out;
  }

  private static final Label LABEL_UNKNOWN = new Label("N");

  /** Predicted classes (argmax of the probabilities). */
  public AamiClass[] predict(double[][] rows) {
    double[][] p = probabilities(rows);
    List<AamiClass> order = outputOrder();
    AamiClass[] out = new AamiClass[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = order.get(OnnxBeatClassifier.argMax(p[i]));
    }
    return out;
  }

  /**
   * Writes {@code <base>.onnx} and {@code <base>.json} (sidecar) into {@code dir}.
   *
   * @return the ONNX file
   */
  public Path export(Path dir, String base, Map<String, Object> extraMetadata) throws IOException {
    byte[] bytes;
    if (trees != null) {
      bytes = TreeEnsembleOnnx.export(trees, "org.vitals.inference", Map.of("model", base));
    } else {
      if (!(model instanceof ONNXExportable exportable)) {
        throw new IllegalStateException(model.getClass().getSimpleName() + " cannot export ONNX");
      }
      // Tribuo orders features by name: our index-prefixed names keep vector order.
      List<String> featureOrder = new ArrayList<>();
      for (int id = 0; id < model.getFeatureIDMap().size(); id++) {
        featureOrder.add(model.getFeatureIDMap().get(id).getName());
      }
      if (!featureOrder.equals(BeatFeatures.NAMES)) {
        throw new IllegalStateException("Tribuo's feature order differs from BeatFeatures.NAMES");
      }
      bytes = exportable.exportONNXModel("org.vitals.inference", 1).toByteArray();
    }
    Files.createDirectories(dir);
    Path onnx = dir.resolve(base + ".onnx");
    Files.write(onnx, bytes);
    Map<String, Object> sidecar = new LinkedHashMap<>();
    sidecar.put("model", base);
    sidecar.put("onnx_sha256", OnnxBeatClassifier.sha256(bytes));
    sidecar.put("sampling_rate_hz", 360);
    sidecar.put("features", BeatFeatures.NAMES);
    sidecar.put("mean", scaler.mean());
    sidecar.put("std", scaler.std());
    sidecar.put("labels", outputOrder().stream().map(AamiClass::letter).toList());
    sidecar.put("trainer", settings);
    sidecar.put("class_bias", classBias);
    sidecar.putAll(extraMetadata);
    OnnxBeatClassifier.JSON
        .writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve(base + ".json").toFile(), sidecar);
    return onnx;
  }
}
