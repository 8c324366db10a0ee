package org.vitals.inference.ecg.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.vitals.inference.cli.CliCommand;
import org.vitals.inference.ecg.train.BeatClassifierTrainer;
import org.vitals.inference.ecg.train.EcgTraining;

/**
 * {@code train-ecg}: reproducible training of the AAMI beat classifier on the MIT-BIH DS1 records
 * (leave-one-record-out cross-validation, then the final model on every record), writing {@code
 * ecg-beat-classifier.onnx}, its sidecar JSON and its model card.
 */
public final class TrainEcgCommand implements CliCommand {

  @Override
  public String name() {
    return "train-ecg";
  }

  @Override
  public String usage() {
    return "train-ecg --data DIR [--out models] [--records ...] [--model gbt|linear|fm]"
        + " [--seed N] [--no-cv]   train the beat classifier, write ONNX + model card";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    Args a =
        new Args(
            args, Set.of("--data", "--out", "--records", "--model", "--seed"), Set.of("--no-cv"));
    Path dir = a.path("--data");
    Path outDir = Path.of(a.get("--out", "models"));
    List<String> records = RecordSelection.select(dir, a.list("--records"), true, err);
    String model = a.get("--model", BeatClassifierTrainer.Settings.defaults().model());
    BeatClassifierTrainer.Settings d =
        model.equals("gbt")
            ? BeatClassifierTrainer.Settings.defaults()
            : BeatClassifierTrainer.Settings.linear();
    long seed = Long.parseLong(a.get("--seed", Long.toString(d.seed())));
    BeatClassifierTrainer.Settings settings =
        new BeatClassifierTrainer.Settings(
            model,
            d.epochs(),
            d.learningRate(),
            d.classWeightPower(),
            d.fmFactors(),
            seed,
            d.rounds(),
            d.depth(),
            d.normalShare());
    EcgTraining.Result r = EcgTraining.run(dir, records, settings, !a.flag("--no-cv"), outDir, err);
    out.println("wrote " + r.onnx() + " (" + Files.size(r.onnx()) + " bytes), " + r.card());
    if (r.crossValidation() != null) {
      out.println("cross-validation: " + r.crossValidation().summary());
    }
    return 0;
  }
}
