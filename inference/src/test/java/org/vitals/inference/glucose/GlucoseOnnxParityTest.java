package org.vitals.inference.glucose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ONNX Runtime gives the same outputs as the model that was trained in Java (|Δ| < 1e-4). */
class GlucoseOnnxParityTest {

  private static final double TOLERANCE = 1e-4;

  @Test
  void shippedOnnxMatchesTheTrainedModelOnItsParityExamples() throws Exception {
    Path meta = Path.of("..", "models", ModelFiles.METADATA);
    assertThat(meta).as("model metadata beside the ONNX file").exists();
    JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(meta));
    List<String> names = new ArrayList<>();
    root.get("input_features").forEach(n -> names.add(n.asText()));
    assertThat(names).containsExactly(GlucoseFeatures.NAMES);
    JsonNode parity = root.get("parity");
    assertThat(parity.size()).isGreaterThanOrEqualTo(30);
    float[][] x = new float[parity.size()][GlucoseFeatures.COUNT];
    double[][] expected = new double[parity.size()][2];
    for (int i = 0; i < parity.size(); i++) {
      for (int k = 0; k < GlucoseFeatures.COUNT; k++) {
        x[i][k] = (float) parity.get(i).get("features").get(k).asDouble();
      }
      expected[i][0] = parity.get(i).get("trained_output").get(0).asDouble();
      expected[i][1] = parity.get(i).get("trained_output").get(1).asDouble();
    }
    try (GlucoseModel model = GlucoseModel.load(Path.of("..", "models", GlucoseModel.FILE_NAME))) {
      float[][] y = model.predict(x);
      for (int i = 0; i < x.length; i++) {
        assertThat((double) y[i][0])
            .isCloseTo(expected[i][0], org.assertj.core.api.Assertions.within(TOLERANCE));
        assertThat((double) y[i][1])
            .isCloseTo(expected[i][1], org.assertj.core.api.Assertions.within(TOLERANCE));
      }
    }
  }

  @Test
  void freshlyTrainedModelsAndTheirOnnxExportsAgree() throws Exception {
    WindowSet windows = WindowSet.of(CgmCsv.read(GlucoseFixtures.colasSample()).traces());
    assertThat(windows.size()).isGreaterThan(1000);
    List<double[]> features = new ArrayList<>();
    for (int i = 0; i < windows.size(); i += 7) {
      features.add(GlucoseFeatures.of(windows.input(i)));
    }
    float[][] x = new float[features.size()][];
    for (int i = 0; i < x.length; i++) {
      x[i] = GlucoseTrainer.toFloat(features.get(i));
    }
    for (GlucoseTrainer trainer :
        List.of(
            new GlucoseTrainer(7),
            new GlucoseTrainer(GlucoseTrainer.BOOSTED, 0, 7),
            new GlucoseTrainer(GlucoseTrainer.LINEAR, 2, 7))) {
      GlucoseTrainer.Trained trained = trainer.train(windows, "parity test");
      double[][] java = trained.predictScaled(features);
      try (GlucoseModel onnx = GlucoseModel.fromBytes(trained.toOnnx())) {
        float[][] y = onnx.predict(x);
        double maxDiff = 0;
        for (int i = 0; i < x.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(y[i][0] - java[i][0]));
          maxDiff = Math.max(maxDiff, Math.abs(y[i][1] - java[i][1]));
        }
        assertThat(maxDiff).as(trained.description()).isLessThan(TOLERANCE);
        // Not trivially equal: the model does produce varied outputs.
        assertThat(java[0][0]).isNotEqualTo(java[java.length / 2][0]);
      }
    }
  }
}
