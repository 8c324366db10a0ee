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
    EcgEvaluation cv = null;
    if (crossValidate) {
      cv = CrossValidation.leaveOneRecordOut(data, settings, progress);
      progress.println("[cross-validation] " + cv.summary());
    }
    TrainedBeatClassifier model = trainAll(data, settings);
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
          card, EcgModelCard.render(records, beats, settings, cv, sha), StandardCharsets.UTF_8);
    } else {
      progress.println("[train-ecg] --no-cv: model card left as it was");
    }
    return new Result(onnx, card, model, cv);
  }

  /** The final model, trained on every record. */
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
