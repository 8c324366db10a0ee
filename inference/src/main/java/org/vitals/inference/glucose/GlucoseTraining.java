package org.vitals.inference.glucose;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * The reproducible training run behind {@code train-glucose}: reads the shared CGM sets, holds out
 * 20 % of the people of each set (split by person, never by time window), adds synthetic UVA/Padova
 * traces, trains, scores the held-out people against the baselines, then trains the shipped model
 * on everyone and writes the ONNX file, its metadata and its model card.
 */
public final class GlucoseTraining {

  /**
   * Settings of a run.
   *
   * @param compareWithoutSynthetic also train the validation model without the synthetic traces and
   *     score it on the held-out people (a third model: off by default, decision 0325)
   */
  public record Options(
      Path dataDir,
      Path outDir,
      int syntheticDays,
      int epochs,
      long seed,
      double holdOut,
      String model,
      boolean compareWithoutSynthetic) {

    /** Options for the default model (the network, decision 0324), without the comparison. */
    public Options(
        Path dataDir, Path outDir, int syntheticDays, int epochs, long seed, double holdOut) {
      this(dataDir, outDir, syntheticDays, epochs, seed, holdOut, GlucoseTrainer.MLP, false);
    }
  }

  /** Held-out scores of one data set. */
  public record HeldOut(String dataset, int people, GlucoseEvaluation evaluation) {}

  /**
   * What a run produced.
   *
   * @param heldOutAllWithoutSynthetic null unless {@link Options#compareWithoutSynthetic()}
   */
  public record Result(
      List<HeldOut> heldOut,
      GlucoseEvaluation heldOutAllWithoutSynthetic,
      int trainPeople,
      int heldOutPeople,
      int syntheticPatients,
      long trainWindows,
      long finalWindows,
      Path onnx) {}

  /** The shared CGM files, in the order the model card lists them. */
  static final String[] DATASETS = {"weinstock2016_train", "dubosson2018", "hall2018", "colas2019"};

  private final Options options;
  private final PrintStream progress;

  public GlucoseTraining(Options options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
  }

  /** Runs training and writes the model files. */
  public Result run() throws IOException {
    Map<String, List<CgmTrace>> train = new LinkedHashMap<>();
    Map<String, List<CgmTrace>> test = new LinkedHashMap<>();
    for (String name : DATASETS) {
      Path file = options.dataDir().resolve("cgm").resolve(name + ".csv");
      if (!Files.isRegularFile(file)) {
        throw new IOException(
            "CGM data set missing: "
                + file.toAbsolutePath()
                + " (set --data or vitals.data.dir to the shared data folder)");
      }
      progress.println("reading " + file.getFileName());
      List<CgmTrace> traces = new ArrayList<>(CgmCsv.read(file).traces());
      List<CgmTrace>[] split = splitByPerson(traces, options.holdOut(), options.seed());
      train.put(name, split[0]);
      test.put(name, split[1]);
    }
    List<VirtualPatient> patients = VirtualPatient.readAll(options.dataDir().resolve("simglucose"));
    List<CgmTrace> synthetic = new ArrayList<>();
    ProgressBar bar = new ProgressBar(progress, "simulating UVA/Padova", patients.size());
    for (int i = 0; i < patients.size(); i++) {
      synthetic.add(
          UvaPadovaSimulator.simulate(
              patients.get(i), options.syntheticDays(), options.seed() + i));
      bar.accept(i + 1);
    }

    WindowSet withSynthetic = new WindowSet();
    train.values().forEach(list -> list.forEach(withSynthetic::add));
    synthetic.forEach(withSynthetic::add);

    GlucoseTrainer trainer = new GlucoseTrainer(options.model(), options.epochs(), options.seed());
    progress.println(
        "training on held-in people + synthetic: " + withSynthetic.size() + " windows");
    GlucoseTrainer.Trained validationModel = trainer.train(withSynthetic, "validation split");

    List<HeldOut> heldOut = new ArrayList<>();
    WindowSet allTest = new WindowSet();
    try (GlucoseModel onnx = GlucoseModel.fromBytes(validationModel.toOnnx())) {
      GlucoseForecaster forecaster = new GlucoseForecaster(onnx);
      for (String name : DATASETS) {
        WindowSet set = WindowSet.of(test.get(name));
        test.get(name).forEach(allTest::add);
        heldOut.add(
            new HeldOut(name, test.get(name).size(), GlucoseEvaluation.run(set, forecaster)));
      }
      heldOut.add(
          new HeldOut(
              "all held-out people", allTest.traces(), GlucoseEvaluation.run(allTest, forecaster)));
      GlucoseEvaluation noSynthetic =
          options.compareWithoutSynthetic() ? withoutSynthetic(train, trainer, allTest) : null;

      // The shipped model: same recipe on everyone.
      WindowSet everything = new WindowSet();
      train.values().forEach(list -> list.forEach(everything::add));
      test.values().forEach(list -> list.forEach(everything::add));
      synthetic.forEach(everything::add);
      progress.println(
          "training the shipped model on all people + synthetic: "
              + everything.size()
              + " windows");
      GlucoseTrainer.Trained finalModel = trainer.train(everything, "all shared CGM + synthetic");
      byte[] bytes = finalModel.toOnnx();
      Files.createDirectories(options.outDir());
      Path onnxFile = options.outDir().resolve(GlucoseModel.FILE_NAME);
      Files.write(onnxFile, bytes);
      int trainPeople = train.values().stream().mapToInt(List::size).sum();
      int testPeople = test.values().stream().mapToInt(List::size).sum();
      Result result =
          new Result(
              heldOut,
              noSynthetic,
              trainPeople,
              testPeople,
              patients.size(),
              withSynthetic.size(),
              everything.size(),
              onnxFile);
      ModelFiles.writeMetadata(options, finalModel, allTest, options.outDir());
      ModelFiles.writeCard(options, result, finalModel, options.outDir());
      return result;
    }
  }

  /** The validation recipe trained on the held-in people only, scored on the held-out people. */
  private GlucoseEvaluation withoutSynthetic(
      Map<String, List<CgmTrace>> train, GlucoseTrainer trainer, WindowSet allTest)
      throws IOException {
    WindowSet realTrain = new WindowSet();
    train.values().forEach(list -> list.forEach(realTrain::add));
    progress.println("training on held-in people only: " + realTrain.size() + " windows");
    GlucoseTrainer.Trained realOnlyModel =
        trainer.train(realTrain, "validation split, no synthetic");
    try (GlucoseModel realOnly = GlucoseModel.fromBytes(realOnlyModel.toOnnx())) {
      return GlucoseEvaluation.run(allTest, new GlucoseForecaster(realOnly));
    }
  }

  /**
   * Splits traces by person: shuffles the ids with the seed and holds out the first {@code
   * fraction} of them (at least one when there are two or more people).
   */
  @SuppressWarnings("unchecked")
  static List<CgmTrace>[] splitByPerson(List<CgmTrace> traces, double fraction, long seed) {
    List<CgmTrace> shuffled = new ArrayList<>(traces);
    shuffled.sort((a, b) -> a.id().compareTo(b.id()));
    Collections.shuffle(shuffled, new Random(seed));
    int held = traces.size() < 2 ? 0 : Math.max(1, (int) Math.round(traces.size() * fraction));
    return new List[] {
      new ArrayList<>(shuffled.subList(held, shuffled.size())),
      new ArrayList<>(shuffled.subList(0, held))
    };
  }

  /** A one-line text progress bar for long steps. */
  static final class ProgressBar implements IntConsumer {
    private final PrintStream out;
    private final String label;
    private final int total;

    ProgressBar(PrintStream out, String label, int total) {
      this.out = out;
      this.label = label;
      this.total = total;
    }

    @Override
    public void accept(int done) {
      int width = 30;
      int filled = total == 0 ? width : done * width / total;
      out.print(
          "\r"
              + label
              + " ["
              + "#".repeat(filled)
              + " ".repeat(width - filled)
              + "] "
              + done
              + "/"
              + total);
      if (done >= total) {
        out.println();
      }
      out.flush();
    }
  }
}
