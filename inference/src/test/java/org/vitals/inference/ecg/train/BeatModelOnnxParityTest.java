package org.vitals.inference.ecg.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.EcgTestData;
import org.vitals.inference.ecg.OnnxBeatClassifier;

/**
 * A model trained in Java (our boosted trees, Tribuo's linear and FM models) and the same model
 * exported to ONNX agree to 1e-4.
 */
class BeatModelOnnxParityTest {

  @Test
  void treeLinearAndFactorizationMachineModelsGiveTheSameProbabilitiesInOnnxRuntime(
      @TempDir Path dir) throws Exception {
    List<TrainingSet.RecordBeats> data =
        TrainingSet.load(EcgTestData.fixture(), List.of("208a", "201a"), null);
    List<double[]> all = new ArrayList<>();
    data.forEach(r -> all.addAll(List.of(r.allFeatures())));
    double[][] rows = all.toArray(new double[0][]);
    for (String kind : List.of("gbt", "linear", "fm")) {
      BeatClassifierTrainer.Settings s =
          kind.equals("gbt")
              ? new BeatClassifierTrainer.Settings("gbt", 0, 0.2, 0.6, 0, 7L, 20, 3, 0.5)
              : new BeatClassifierTrainer.Settings(kind, 3, 0.05, 0.6, 4, 7L);
      TrainedBeatClassifier model = EcgTraining.trainAll(data, s);
      Path out = dir.resolve(kind);
      model.export(out, "ecg-beat-classifier", java.util.Map.of());
      double[][] java = model.probabilities(rows);
      try (OnnxBeatClassifier onnx = OnnxBeatClassifier.load(out, "ecg-beat-classifier")) {
        assertThat(onnx.labels()).isEqualTo(model.outputOrder());
        float[][] ort = onnx.probabilities(rows);
        assertThat(ort.length).isEqualTo(rows.length);
        double maxDiff = 0;
        for (int i = 0; i < rows.length; i++) {
          for (int k = 0; k < java[i].length; k++) {
            maxDiff = Math.max(maxDiff, Math.abs(java[i][k] - ort[i][k]));
          }
        }
        assertThat(maxDiff).as(kind + " max |Tribuo - ONNX|").isLessThan(1e-4);
        // the model learned something: most V beats of 208a come out V
        TrainingSet.RecordBeats r208 = data.get(0);
        AamiClass[] pred = onnx.classify(r208.features());
        int v = 0;
        int vRight = 0;
        for (int i = 0; i < pred.length; i++) {
          if (r208.labels()[i] == AamiClass.V) {
            v++;
            vRight += pred[i] == AamiClass.V ? 1 : 0;
          }
        }
        assertThat(vRight).as(kind + " V beats recognised").isGreaterThan(v / 2);
      }
    }
  }
}
