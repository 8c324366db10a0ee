package org.vitals.inference.ecg.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.OnnxBeatClassifier;
import org.vitals.inference.ecg.eval.EcgEvaluation;

/** The {@code train-ecg} pipeline: features, cross-validation, final model, ONNX, model card. */
public final class EcgTraining {

  /** Base name of the shipped model files in {@code models/}. */
  public static final String MODEL_BASE = "ecg-beat-classifier";

  /**
   * What a training run wrote.
   *
   * @param onnx the ONNX file
   * @param card the model card
   * @param model the trained Java model
   * @param crossValidation leave-one-record-out scores, null when skipped
   */
  public record Result(
      Path onnx, Path card, TrainedBeatClassifier model, EcgEvaluation crossValidation) {}

  private EcgTraining() {}

  public static Result run(
      Path dataDir,
      List<String> records,
      BeatClassifierTrainer.Settings settings,
      boolean crossValidate,
      Path outDir,
      PrintStream progress)
      throws IOException {
    List<TrainingSet.RecordBeats> data = TrainingSet.load(dataDir, records, progress);
    Fitted fitted = fit(data, settings, crossValidate, progress);
    TrainedBeatClassifier model = fitted.model();
    EcgEvaluation cv =
        fitted.crossValidation() == null ? null : fitted.crossValidation().evaluation();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("training_records", records);
    meta.put("intended_use", "decision support, not diagnosis");
    if (cv != null) {
      meta.put("cross_validation", cv.toJson());
    }
    Path onnx = model.export(outDir, MODEL_BASE, meta);
    String sha = OnnxBeatClassifier.sha256(Files.readAllBytes(onnx));
    Path card = outDir.resolve(MODEL_BASE + ".md");
    int beats = data.stream().mapToInt(r -> r.labels().length).sum();
    if (cv != null) {
      Files.writeString(
          card,
          EcgModelCard.render(
              records, beats, settings, cv, sha, model.classBias(), model.outputOrder()),
          StandardCharsets.UTF_8);
    } else {
      progress.println("[train-ecg] --no-cv: model card left as it was");
    }
    return new Result(onnx, card, model, cv);
  }

  /**
   * A final model and the cross-validation behind it.
   *
   * @param model the model trained on every record, with the class offsets chosen on the
   *     out-of-fold probabilities of all records (boosted trees with cross-validation only)
   * @param crossValidation the cross-validation run, null when skipped
   */
  public record Fitted(TrainedBeatClassifier model, CrossValidation.Result crossValidation) {}

  /** Cross-validation (unless skipped), then the final model with tuned class offsets. */
  public static Fitted fit(
      List<TrainingSet.RecordBeats> data,
      BeatClassifierTrainer.Settings settings,
      boolean crossValidate,
      PrintStream progress) {
    TrainedBeatClassifier model = trainAll(data, settings);
    if (!crossValidate) {
      return new Fitted(model, null);
    }
    CrossValidation.Result r = CrossValidation.run(data, settings, progress);
    if (progress != null) {
      progress.println("[cross-validation] " + r.evaluation().summary());
    }
    if (r.tuned()) {
      double[] bias = ClassBias.choose(data, r.outOfFold(), r.order());
      if (progress != null) {
        progress.println(
            "[class offsets] chosen on all out-of-fold probabilities: "
                + java.util.Arrays.toString(bias)
                + " for "
                + r.order());
      }
      model = model.withClassBias(bias);
    }
    return new Fitted(model, r);
  }

  /** The final model, trained on every record (no class offsets). */
  public static TrainedBeatClassifier trainAll(
      List<TrainingSet.RecordBeats> data, BeatClassifierTrainer.Settings settings) {
    List<double[]> rows = new ArrayList<>();
    List<AamiClass> labels = new ArrayList<>();
    for (TrainingSet.RecordBeats r : data) {
      rows.addAll(List.of(r.features()));
      labels.addAll(List.of(r.labels()));
    }
    return BeatClassifierTrainer.train(
        rows.toArray(new double[0][]), labels.toArray(new AamiClass[0]), settings);
  }
}
