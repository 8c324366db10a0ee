package org.vitals.inference.ecg.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.BeatFeatures;
import org.vitals.inference.ecg.ClassDecision;
import org.vitals.inference.ecg.EcgAnalysis;
import org.vitals.inference.ecg.EcgAnalyzer;
import org.vitals.inference.ecg.MorphologyNeighbours;
import org.vitals.inference.ecg.SignalQuality;
import org.vitals.inference.ecg.eval.EcgEvaluation;

/**
 * Leave-one-record-out cross-validation of the whole pipeline: each record (one patient in MIT-BIH,
 * except 201/202 which are not both in DS1) is analysed by a model trained on all the other
 * records, so no patient's beats are in both training and test (the inter-patient paradigm of de
 * Chazal et al. 2004), and scored like {@code evaluate-ecg}.
 */
public final class CrossValidation {

  /**
   * What a cross-validation run gives.
   *
   * @param evaluation EC57 scores of the whole pipeline on every held-out record; with tuned class
   *     offsets ({@link ClassBias}) when {@code tuned}, each record's offsets chosen on the other
   *     records' out-of-fold probabilities only (nested, so the tuning is held out too)
   * @param outOfFold each record's beat probabilities from the model that did not see it
   * @param order the models' output order
   * @param tuned whether class offsets were tuned
   */
  public record Result(
      EcgEvaluation evaluation,
      Map<String, double[][]> outOfFold,
      List<AamiClass> order,
      boolean tuned) {}

  private CrossValidation() {}

  /** The EC57 scores of {@link #run}. */
  public static EcgEvaluation leaveOneRecordOut(
      List<TrainingSet.RecordBeats> records,
      BeatClassifierTrainer.Settings settings,
      PrintStream progress) {
    return run(records, settings, progress).evaluation();
  }

  /**
   * Leave-one-record-out out-of-fold probabilities, then the pipeline's scores; class offsets are
   * tuned (nested) for boosted trees, whose probabilities the shipped model shifts the same way.
   */
  public static Result run(
      List<TrainingSet.RecordBeats> records,
      BeatClassifierTrainer.Settings settings,
      PrintStream progress) {
    Map<String, double[][]> oof = new LinkedHashMap<>();
    List<AamiClass> order = null;
    int fold = 0;
    for (TrainingSet.RecordBeats held : records) {
      TrainedBeatClassifier model = trainWithout(records, held, settings);
      order = model.outputOrder();
      oof.put(held.name(), model.probabilities(held.allFeatures()));
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
    boolean tuned = settings.model().equals("gbt");
    EcgEvaluation eval = new EcgEvaluation();
    ClassBias.Prepared prepared = tuned ? ClassBias.prepare(records, oof, order) : null;
    for (TrainingSet.RecordBeats held : records) {
      double[] bias = tuned ? ClassBias.choose(prepared, held.name()) : new double[order.size()];
      eval.add(
          held.name(),
          analyse(oof.get(held.name()), bias, order, held),
          held.record().reference(),
          held.record().fs());
    }
    return new Result(eval, oof, order, tuned);
  }

  /** A model trained on every record but {@code held}. */
  static TrainedBeatClassifier trainWithout(
      List<TrainingSet.RecordBeats> records,
      TrainingSet.RecordBeats held,
      BeatClassifierTrainer.Settings settings) {
    List<double[]> rows = new ArrayList<>();
    List<AamiClass> labels = new ArrayList<>();
    for (TrainingSet.RecordBeats r : records) {
      if (r != held) {
        rows.addAll(List.of(r.features()));
        labels.addAll(List.of(r.labels()));
      }
    }
    return BeatClassifierTrainer.train(
        rows.toArray(new double[0][]), labels.toArray(new AamiClass[0]), settings);
  }

  /**
   * The analysis {@link EcgAnalyzer} would give from these beat probabilities (the model's own,
   * before class offsets): V smoothed over shape neighbours, offsets, then the pipeline's rules.
   */
  static EcgAnalysis analyse(
      double[][] p, double[] bias, List<AamiClass> order, TrainingSet.RecordBeats rec) {
    double[][] smoothed = smoothed(p, order, rec);
    AamiClass[] classes = new AamiClass[p.length];
    AamiClass[] classesInAf = new AamiClass[p.length];
    float[] conf = new float[p.length];
    float[] rhythmConf = new float[p.length];
    int s = order.indexOf(AamiClass.S);
    for (int i = 0; i < p.length; i++) {
      double[] q = EcgAnalyzer.shifted(smoothed[i], bias, 1);
      int k = ClassDecision.decide(smoothed[i], bias, s, order.indexOf(AamiClass.V));
      classes[i] = order.get(k);
      classesInAf[i] =
          order.get(ClassDecision.decideInAf(smoothed[i], bias, order.indexOf(AamiClass.N), s));
      conf[i] = (float) q[k];
      // AF reads the model's own probability, unsmoothed and before offsets (decision 0308)
      rhythmConf[i] = (float) p[i][k];
    }
    double fs = rec.record().fs();
    double[] pWave = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      pWave[i] = rec.allFeatures()[i][BeatFeatures.P_CORR];
    }
    return EcgAnalyzer.assemble(
        rec.peaks(),
        classes,
        classesInAf,
        conf,
        rhythmConf,
        pWave,
        SignalQuality.unusable(rec.record().leadsMv()[0], rec.peaks(), fs),
        fs,
        fs,
        rec.record().length());
  }

  /** V probabilities smoothed over each beat's shape neighbours in its record (decision 0309). */
  static double[][] smoothed(double[][] p, List<AamiClass> order, TrainingSet.RecordBeats rec) {
    return MorphologyNeighbours.smoothVentricular(p, rec.allFeatures(), order.indexOf(AamiClass.V));
  }
}
