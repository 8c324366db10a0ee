package org.vitals.inference.ecg.train;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.eval.EcgEvaluation;

/**
 * Developer harness (not a test, not run by the build): nested leave-one-record-out CV of the DS1
 * records exactly as {@link CrossValidation#run} scores it, folds on {@code -Dthreads=N} threads
 * (default 2), per-record figures and the nested offsets on stdout. {@code -DsaveOof=FILE} keeps
 * the out-of-fold probabilities and {@code -DloadOof=FILE} reuses them, so a change to the pipeline
 * after the classifier (runs, AF, offsets) is scored in seconds without retraining (decision 0308's
 * ablations). {@code -Dem=N} re-estimates each record's class priors by N EM iterations (with
 * {@code -DemVonly} or {@code -DemNV} only V, or N and V; decision 0309's table). Usage, with the
 * classpath of the README's benchmark: {@code nice -n 19 java -cp ...
 * org.vitals.inference.ecg.train.CvExperiment ../shared/data/mitdb}.
 */
public final class CvExperiment {
  /** Saerens et al. 2002 EM: the record's class priors re-estimated from its own predictions. */
  static double[][] adaptPriors(double[][] p, double[] train, int iterations) {
    int k = train.length;
    double[] prior = train.clone();
    double[][] q = new double[p.length][k];
    for (int it = 0; it < iterations; it++) {
      double[] next = new double[k];
      for (int i = 0; i < p.length; i++) {
        double sum = 0;
        for (int c = 0; c < k; c++) {
          q[i][c] = p[i][c] * prior[c] / train[c];
          sum += q[i][c];
        }
        for (int c = 0; c < k; c++) {
          q[i][c] /= sum;
          next[c] += q[i][c] / p.length;
        }
      }
      if (Boolean.getBoolean("emNV")) {
        double nv = Math.max(next[0] + next[2], 1e-4);
        double fixed = train[0] + train[2];
        prior[0] = fixed * next[0] / nv;
        prior[2] = Math.max(fixed * next[2] / nv, 1e-4);
      } else if (Boolean.getBoolean("emVonly")) {
        double v = Math.max(next[2], 1e-4);
        for (int c = 0; c < k; c++) {
          prior[c] = c == 2 ? v : train[c] * (1 - v) / (1 - train[2]);
        }
      } else {
        for (int c = 0; c < k; c++) {
          prior[c] = Math.max(next[c], 1e-4);
        }
      }
    }
    if (Boolean.getBoolean("emVerbose")) {
      System.out.println("priors " + Arrays.toString(prior));
    }
    return q;
  }

  public static void main(String[] args) throws Exception {
    List<String> names =
        List.of(
            "101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122", "124",
            "201", "203", "205", "207", "208", "209", "215", "220", "223", "230");
    long t0 = System.nanoTime();
    List<TrainingSet.RecordBeats> records = TrainingSet.load(Path.of(args[0]), names, null);
    System.err.printf("features %.1f s%n", (System.nanoTime() - t0) / 1e9);
    BeatClassifierTrainer.Settings d = BeatClassifierTrainer.Settings.defaults();
    // -Dpower, -Drounds, -Ddepth vary the trees for the decision tables
    BeatClassifierTrainer.Settings settings =
        new BeatClassifierTrainer.Settings(
            d.model(),
            d.epochs(),
            d.learningRate(),
            Double.parseDouble(System.getProperty("power", "" + d.classWeightPower())),
            d.fmFactors(),
            d.seed(),
            Integer.getInteger("rounds", d.rounds()),
            Integer.getInteger("depth", d.depth()),
            d.normalShare());
    ExecutorService pool = Executors.newFixedThreadPool(Integer.getInteger("threads", 2));
    Map<String, Future<double[][]>> futures = new LinkedHashMap<>();
    if (System.getProperty("loadOof") != null) {
      try (var in =
          new java.io.ObjectInputStream(
              java.nio.file.Files.newInputStream(Path.of(System.getProperty("loadOof"))))) {
        @SuppressWarnings("unchecked")
        Map<String, double[][]> loaded = (Map<String, double[][]>) in.readObject();
        for (var e : loaded.entrySet()) {
          futures.put(
              e.getKey(), java.util.concurrent.CompletableFuture.completedFuture(e.getValue()));
        }
      }
    }
    List<AamiClass> order = BeatClassifierTrainer.CLASSES;
    for (TrainingSet.RecordBeats held : records) {
      if (futures.containsKey(held.name())) {
        continue;
      }
      futures.put(
          held.name(),
          pool.submit(
              () -> {
                TrainedBeatClassifier m = CrossValidation.trainWithout(records, held, settings);
                if (!m.outputOrder().equals(order)) {
                  throw new IllegalStateException("order " + m.outputOrder());
                }
                return m.probabilities(held.allFeatures());
              }));
    }
    Map<String, double[][]> oof = new LinkedHashMap<>();
    for (var e : futures.entrySet()) {
      oof.put(e.getKey(), e.getValue().get());
    }
    pool.shutdown();
    if (System.getProperty("saveOof") != null) {
      try (var out =
          new java.io.ObjectOutputStream(
              java.nio.file.Files.newOutputStream(Path.of(System.getProperty("saveOof"))))) {
        out.writeObject(new LinkedHashMap<>(oof));
      }
    }
    System.err.printf("folds %.1f s%n", (System.nanoTime() - t0) / 1e9);
    int em = Integer.getInteger("em", 0);
    if (em > 0) {
      String[] w = System.getProperty("prior", "0.629,0.133,0.232,0.0057").split(",");
      double[] train = new double[w.length];
      for (int c = 0; c < w.length; c++) {
        train[c] = Double.parseDouble(w[c]);
      }
      for (TrainingSet.RecordBeats r : records) {
        oof.put(r.name(), adaptPriors(oof.get(r.name()), train, em));
      }
    }
    ClassBias.Prepared prepared = ClassBias.prepare(records, oof, order);
    EcgEvaluation eval = new EcgEvaluation();
    EcgEvaluation argmax = new EcgEvaluation();
    for (TrainingSet.RecordBeats held : records) {
      double[] bias = ClassBias.choose(prepared, held.name());
      System.out.println("bias " + held.name() + " " + Arrays.toString(bias));
      eval.add(
          held.name(),
          CrossValidation.analyse(oof.get(held.name()), bias, order, held),
          held.record().reference(),
          held.record().fs());
      argmax.add(
          held.name(),
          CrossValidation.analyse(oof.get(held.name()), new double[order.size()], order, held),
          held.record().reference(),
          held.record().fs());
    }
    eval.perRecord().forEach((k, v) -> System.out.println(k + " " + v));
    System.out.println("ARGMAX " + argmax.summary());
    System.out.println("NESTED " + eval.summary());
    System.out.println("ALLBIAS " + Arrays.toString(ClassBias.choose(records, oof, order)));
  }
}
