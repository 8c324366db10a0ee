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
 * {@code -DemVonly} or {@code -DemNV} only V, or N and V; decision 0309's table). {@code
 * -DsNeighbours=K} (with {@code -DsWeight}, default 0.5) blends each beat's S probability with the
 * mean of its K nearest beats of the record in pre/post RR over the local mean, P-wave and QRS
 * correlation, before the pipeline (decision 0310's lead; AF then reads the blended probabilities
 * too). {@code -DsvebPpvFloor=P} chooses the nested S offsets with another SVEB +P floor than
 * {@link ClassBias#SVEB_PPV_FLOOR} (decision 0311's table). {@code -DavgOof=F1,F2,...} classifies
 * with the mean of several saved runs' probabilities ({@code -DavgLogits}: of their logarithms,
 * then softmax), {@code -Dlr} sets the trees' shrinkage (decision 0312's seed tables). Usage, with
 * the classpath of the README's benchmark: {@code nice -n 19 java -cp ...
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

  /** Out-of-fold probabilities per record, as {@code -DsaveOof} wrote them. */
  static Map<String, double[][]> readOof(Path file) throws Exception {
    try (var in = new java.io.ObjectInputStream(java.nio.file.Files.newInputStream(file))) {
      @SuppressWarnings("unchecked")
      Map<String, double[][]> loaded = (Map<String, double[][]>) in.readObject();
      return loaded;
    }
  }

  /**
   * The mean of several runs' out-of-fold probabilities, or with {@code logits} the softmax of the
   * mean of their logarithms (decision 0312's ensembles).
   */
  static Map<String, double[][]> averageOof(String[] files, boolean logits) throws Exception {
    Map<String, double[][]> mean = new LinkedHashMap<>();
    for (String file : files) {
      for (var e : readOof(Path.of(file)).entrySet()) {
        double[][] p = e.getValue();
        double[][] acc = mean.computeIfAbsent(e.getKey(), k -> new double[p.length][p[0].length]);
        for (int i = 0; i < acc.length; i++) {
          for (int c = 0; c < acc[i].length; c++) {
            acc[i][c] += (logits ? Math.log(Math.max(p[i][c], 1e-12)) : p[i][c]) / files.length;
          }
        }
      }
    }
    if (logits) {
      for (double[][] acc : mean.values()) {
        for (double[] row : acc) {
          double z = 0;
          for (int c = 0; c < row.length; c++) {
            row[c] = Math.exp(row[c]);
            z += row[c];
          }
          for (int c = 0; c < row.length; c++) {
            row[c] /= z;
          }
        }
      }
    }
    return mean;
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
    // -Dpower, -Drounds, -Ddepth, -Dseed vary the trees for the decision tables
    BeatClassifierTrainer.Settings settings =
        new BeatClassifierTrainer.Settings(
            d.model(),
            d.epochs(),
            Double.parseDouble(System.getProperty("lr", "" + d.learningRate())),
            Double.parseDouble(System.getProperty("power", "" + d.classWeightPower())),
            d.fmFactors(),
            Long.getLong("seed", d.seed()),
            Integer.getInteger("rounds", d.rounds()),
            Integer.getInteger("depth", d.depth()),
            d.normalShare());
    ExecutorService pool = Executors.newFixedThreadPool(Integer.getInteger("threads", 2));
    Map<String, Future<double[][]>> futures = new LinkedHashMap<>();
    if (System.getProperty("loadOof") != null) {
      readOof(Path.of(System.getProperty("loadOof")))
          .forEach(
              (k, v) -> futures.put(k, java.util.concurrent.CompletableFuture.completedFuture(v)));
    }
    if (System.getProperty("avgOof") != null) {
      averageOof(System.getProperty("avgOof").split(","), Boolean.getBoolean("avgLogits"))
          .forEach(
              (k, v) -> futures.put(k, java.util.concurrent.CompletableFuture.completedFuture(v)));
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
    int sk = Integer.getInteger("sNeighbours", 0);
    if (sk > 0) {
      int[] dims = {3, 4, 24, 20};
      double w = Double.parseDouble(System.getProperty("sWeight", "0.5"));
      for (TrainingSet.RecordBeats r : records) {
        double[][] p = oof.get(r.name());
        double[][] f = r.allFeatures();
        double[][] q = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
          double[] bd = new double[sk];
          int[] bj = new int[sk];
          java.util.Arrays.fill(bd, Double.POSITIVE_INFINITY);
          for (int j = 0; j < p.length; j++) {
            if (j == i) {
              continue;
            }
            double dist = 0;
            for (int c : dims) {
              double e = f[i][c] - f[j][c];
              dist += e * e;
            }
            if (dist < bd[sk - 1]) {
              int at = sk - 1;
              while (at > 0 && bd[at - 1] > dist) {
                bd[at] = bd[at - 1];
                bj[at] = bj[at - 1];
                at--;
              }
              bd[at] = dist;
              bj[at] = j;
            }
          }
          double m = 0;
          for (int j : bj) {
            m += p[j][1];
          }
          double ps = (1 - w) * p[i][1] + w * m / sk;
          double rest = 1 - p[i][1];
          q[i] = new double[p[i].length];
          for (int c = 0; c < p[i].length; c++) {
            q[i][c] = c == 1 ? ps : rest > 1e-12 ? p[i][c] * (1 - ps) / rest : (1 - ps) / 3;
          }
        }
        oof.put(r.name(), q);
      }
    }
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
      double[] bias =
          ClassBias.choose(
              prepared,
              held.name(),
              Double.parseDouble(
                  System.getProperty("svebPpvFloor", "" + ClassBias.SVEB_PPV_FLOOR)));
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
