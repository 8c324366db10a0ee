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

/**
 * A beat classifier fresh from Tribuo training: predicts in Java and exports itself to ONNX with
 * the sidecar (feature order, scaling, label order) that {@link OnnxBeatClassifier} serves.
 */
public final class TrainedBeatClassifier {
  private final Model<Label> model;
  private final FeatureScaler scaler;
  private final BeatClassifierTrainer.Settings settings;

  TrainedBeatClassifier(
      Model<Label> model, FeatureScaler scaler, BeatClassifierTrainer.Settings settings) {
    this.model = model;
    this.scaler = scaler;
    this.settings = settings;
  }

  public Model<Label> model() {
    return model;
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
    List<AamiClass> order = new ArrayList<>();
    for (int id = 0; id < model.getOutputIDInfo().size(); id++) {
      order.add(AamiClass.fromLetter(model.getOutputIDInfo().getOutput(id).getLabel()));
    }
    return order;
  }

  /** Class probabilities {@code [beat][output id]} as Tribuo computes them. */
  public double[][] probabilities(double[][] rows) {
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
    Files.createDirectories(dir);
    Path onnx = dir.resolve(base + ".onnx");
    byte[] bytes = exportable.exportONNXModel("org.vitals.inference", 1).toByteArray();
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
    sidecar.putAll(extraMetadata);
    OnnxBeatClassifier.JSON
        .writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve(base + ".json").toFile(), sidecar);
    return onnx;
  }
}
