package org.vitals.inference.glucose;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.vitals.inference.cli.CliCommand;

/**
 * {@code train-glucose [--data DIR] [--out DIR] [--synthetic-days N] [--epochs N] [--seed N]
 * [--model mlp|gbt|linear] [--compare-without-synthetic]}: the reproducible training run of {@link
 * GlucoseTraining}; writes the ONNX file, its metadata and the model card to {@code --out} (default
 * {@code models}).
 */
public final class TrainGlucoseCommand implements CliCommand {

  @Override
  public String name() {
    return "train-glucose";
  }

  @Override
  public String usage() {
    return "train-glucose [--data SHARED_DATA_DIR] [--out models] [--synthetic-days 7]"
        + " [--epochs 5] [--seed 20260601] [--model mlp|gbt|linear]"
        + " [--compare-without-synthetic]";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    CommandArgs a =
        new CommandArgs(
            args,
            Set.of("--data", "--out", "--synthetic-days", "--epochs", "--seed", "--model"),
            Set.of("--compare-without-synthetic"));
    GlucoseTraining.Options options =
        new GlucoseTraining.Options(
            a.dataDir(),
            Path.of(a.get("--out") == null ? "models" : a.get("--out")),
            a.intValue("--synthetic-days", 7),
            a.intValue("--epochs", 5),
            a.intValue("--seed", 20260601),
            0.2,
            a.get("--model") == null ? GlucoseTrainer.MLP : a.get("--model"),
            a.flag("--compare-without-synthetic"));
    GlucoseTraining.Result r = new GlucoseTraining(options, err).run();
    for (GlucoseTraining.HeldOut h : r.heldOut()) {
      GlucoseEvaluation e = h.evaluation();
      out.printf(
          Locale.ROOT,
          "held out %-22s people %3d windows %7d  RMSE30 %.2f (last value %.2f, %.1f %%)"
              + "  RMSE60 %.2f (last value %.2f, %.1f %%)%n",
          h.dataset(),
          h.people(),
          e.windows(),
          e.model().rmse30(),
          e.lastValue().rmse30(),
          100 * e.model().rmse30() / e.lastValue().rmse30(),
          e.model().rmse60(),
          e.lastValue().rmse60(),
          100 * e.model().rmse60() / e.lastValue().rmse60());
    }
    out.println("wrote " + r.onnx() + ", its metadata and model card");
    return 0;
  }
}
