package org.vitals.inference.ecg.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitals.inference.ecg.EcgTestData;
import org.vitals.inference.ecg.OnnxBeatClassifier;
import org.vitals.inference.ecg.eval.EcgEvaluation;
import org.vitals.inference.wfdb.WfdbReader;

/**
 * The shipped {@code models/ecg-beat-classifier.onnx} is what {@code train-ecg} produces from DS1
 * (reproducible training), and serving it with ONNX Runtime gives the trained model's probabilities
 * to 1e-4; leave-one-record-out figures stay above fixed floors.
 */
class ShippedEcgModelIT {

  @Test
  void retrainingOnDs1ReproducesTheShippedOnnxModelTo1e4() throws Exception {
    Path dir = EcgTestData.sharedMitdb();
    List<String> records = WfdbReader.listRecords(dir).names();
    List<TrainingSet.RecordBeats> data = TrainingSet.load(dir, records, null);
    TrainedBeatClassifier model =
        EcgTraining.trainAll(data, BeatClassifierTrainer.Settings.defaults());
    List<double[]> all = new ArrayList<>();
    data.forEach(r -> all.addAll(List.of(r.allFeatures())));
    double[][] rows = all.toArray(new double[0][]);
    double[][] java = model.probabilities(rows);
    try (OnnxBeatClassifier shipped = OnnxBeatClassifier.loadDefault()) {
      assertThat(shipped.labels()).isEqualTo(model.outputOrder());
      float[][] ort = shipped.probabilities(rows);
      double maxDiff = 0;
      for (int i = 0; i < rows.length; i++) {
        for (int k = 0; k < java[i].length; k++) {
          maxDiff = Math.max(maxDiff, Math.abs(java[i][k] - ort[i][k]));
        }
      }
      assertThat(maxDiff).as("max |retrained Tribuo - shipped ONNX|").isLessThan(1e-4);
    }
  }

  @Test
  void leaveOneRecordOutCrossValidationStaysAboveItsFloors() throws Exception {
    Path dir = EcgTestData.sharedMitdb();
    List<TrainingSet.RecordBeats> data =
        TrainingSet.load(dir, WfdbReader.listRecords(dir).names(), null);
    EcgEvaluation cv =
        CrossValidation.leaveOneRecordOut(data, BeatClassifierTrainer.Settings.defaults(), null);
    // floors a little under the figures in models/ecg-beat-classifier.md: a regression guard
    assertThat(cv.qrsSe()).isGreaterThanOrEqualTo(99.5);
    assertThat(cv.qrsPpv()).isGreaterThanOrEqualTo(99.5);
    assertThat(cv.classes().accuracy()).isGreaterThanOrEqualTo(92);
    assertThat(cv.classes().se(org.vitals.inference.ecg.AamiClass.V)).isGreaterThanOrEqualTo(85);
    assertThat(cv.classes().ppv(org.vitals.inference.ecg.AamiClass.V)).isGreaterThanOrEqualTo(60);
    assertThat(cv.classes().se(org.vitals.inference.ecg.AamiClass.S)).isGreaterThanOrEqualTo(40);
    assertThat(cv.af().durationSe()).isGreaterThanOrEqualTo(85);
    assertThat(cv.af().episode30Se()).isGreaterThanOrEqualTo(90);
  }
}
