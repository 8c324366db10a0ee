package org.vitals.inference.ecg.train;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.fm.FMClassificationTrainer;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.BeatFeatures;
import org.vitals.inference.ecg.FeatureScaler;

/**
 * Trains the AAMI beat classifier with Tribuo: standardised features, class-weighted multinomial
 * logistic regression or a factorization machine (both export to ONNX), fixed seed. Q beats (8 in
 * DS1) are too few to learn and are left out: the model predicts N, S, V or F.
 */
public final class BeatClassifierTrainer {

  /** The classes the model learns, in this order. */
  public static final List<AamiClass> CLASSES =
      List.of(AamiClass.N, AamiClass.S, AamiClass.V, AamiClass.F);

  /**
   * Settings of one training run.
   *
   * @param model {@code "linear"} (logistic regression) or {@code "fm"} (factorization machine)
   * @param epochs passes over the data
   * @param learningRate AdaGrad's initial rate
   * @param classWeightPower class weight = (N_max / N_class) ^ power
   * @param fmFactors factor size of the factorization machine
   * @param seed random seed (shuffling, initialisation)
   */
  public record Settings(
      String model,
      int epochs,
      double learningRate,
      double classWeightPower,
      int fmFactors,
      long seed) {

    public static Settings defaults() {
      return new Settings("linear", 20, 0.02, 0.6, 6, 20250601L);
    }
  }

  static {
    // Tribuo logs every training run at INFO; our own progress lines say enough.
    java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
  }

  private static final double FUSION_WEIGHT_CAP = 1.0;

  private BeatClassifierTrainer() {}

  /** Trains on the given rows and labels. */
  public static TrainedBeatClassifier train(
      double[][] rows, AamiClass[] labels, Settings settings) {
    List<double[]> keptRows = new ArrayList<>();
    List<AamiClass> keptLabels = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      if (CLASSES.contains(labels[i])) {
        keptRows.add(rows[i]);
        keptLabels.add(labels[i]);
      }
    }
    double[][] x = keptRows.toArray(new double[0][]);
    FeatureScaler scaler = FeatureScaler.fit(x);
    Map<AamiClass, Integer> counts = new EnumMap<>(AamiClass.class);
    for (AamiClass c : keptLabels) {
      counts.merge(c, 1, Integer::sum);
    }
    int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(1);
    LabelFactory factory = new LabelFactory();
    MutableDataset<Label> data =
        new MutableDataset<>(new SimpleDataSourceProvenance("mitdb-ds1-beats", factory), factory);
    String[] names = BeatFeatures.NAMES.toArray(new String[0]);
    for (int i = 0; i < x.length; i++) {
      AamiClass c = keptLabels.get(i);
      ArrayExample<Label> ex =
          new ArrayExample<>(
              new Label(c.letter()), names, TrainedBeatClassifier.asFloatValues(scaler, x[i]));
      double w = Math.pow((double) max / counts.get(c), settings.classWeightPower());
      // F (fusion) beats come almost all from one DS1 patient (208): weighting them up teaches
      // that patient's normal beats, not fusion, so F keeps a small weight.
      ex.setWeight((float) (c == AamiClass.F ? Math.min(w, FUSION_WEIGHT_CAP) : w));
      data.add(ex);
    }
    Trainer<Label> trainer =
        switch (settings.model()) {
          case "linear" ->
              new LinearSGDTrainer(
                  new LogMulticlass(),
                  new AdaGrad(settings.learningRate(), 0.1),
                  settings.epochs(),
                  Integer.MAX_VALUE,
                  1,
                  settings.seed());
          case "fm" ->
              new FMClassificationTrainer(
                  new LogMulticlass(),
                  new AdaGrad(settings.learningRate(), 0.1),
                  settings.epochs(),
                  Integer.MAX_VALUE,
                  1,
                  settings.seed(),
                  settings.fmFactors(),
                  0.1);
          default ->
              throw new IllegalArgumentException(
                  "model must be 'linear' or 'fm', got '" + settings.model() + "'");
        };
    return new TrainedBeatClassifier(trainer.train(data), scaler, settings);
  }
}
