package org.vitals.inference.ecg.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.EcgAnalysis;
import org.vitals.inference.ecg.EcgAnalyzer;
import org.vitals.inference.ecg.OnnxBeatClassifier;
import org.vitals.inference.ecg.eval.EcgEvaluation;

/**
 * Leave-one-record-out cross-validation of the whole pipeline: each record (one patient in MIT-BIH,
 * except 201/202 which are not both in DS1) is analysed by a model trained on all the other
 * records, so no patient's beats are in both training and test (the inter-patient paradigm of de
 * Chazal et al. 2004), and scored like {@code evaluate-ecg}.
 */
public final class CrossValidation {

  private CrossValidation() {}

  public static EcgEvaluation leaveOneRecordOut(
      List<TrainingSet.RecordBeats> records,
      BeatClassifierTrainer.Settings settings,
      PrintStream progress) {
    EcgEvaluation eval = new EcgEvaluation();
    int fold = 0;
    for (TrainingSet.RecordBeats held : records) {
      List<double[]> rows = new ArrayList<>();
      List<AamiClass> labels = new ArrayList<>();
      for (TrainingSet.RecordBeats r : records) {
        if (r != held) {
          rows.addAll(List.of(r.features()));
          labels.addAll(List.of(r.labels()));
        }
      }
      TrainedBeatClassifier model =
          BeatClassifierTrainer.train(
              rows.toArray(new double[0][]), labels.toArray(new AamiClass[0]), settings);
      eval.add(held.name(), analyse(model, held), held.record().reference(), held.record().fs());
      fold++;
      if (progress != null) {
        progress.printf(
            "\r[cross-validation] %s fold %d/%d (held out %s)   ",
            Progress.bar(fold, records.size()), fold, records.size(), held.name());
        if (fold == records.size()) {
          progress.println();
        }
      }
    }
    return eval;
  }

  /** The analysis {@link EcgAnalyzer} would give, with the Java (Tribuo) model. */
  static EcgAnalysis analyse(TrainedBeatClassifier model, TrainingSet.RecordBeats rec) {
    double[][] p = model.probabilities(rec.allFeatures());
    List<AamiClass> order = model.outputOrder();
    AamiClass[] classes = new AamiClass[p.length];
    float[] conf = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      int k = OnnxBeatClassifier.argMax(p[i]);
      classes[i] = order.get(k);
      conf[i] = (float) p[i][k];
    }
    double fs = rec.record().fs();
    return EcgAnalyzer.assemble(rec.peaks(), classes, conf, fs, fs, rec.record().length());
  }
}
