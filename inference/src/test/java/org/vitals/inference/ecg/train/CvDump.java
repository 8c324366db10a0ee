package org.vitals.inference.ecg.train;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.Beat;
import org.vitals.inference.ecg.BeatFeatures;
import org.vitals.inference.ecg.EcgAnalysis;

/**
 * Developer harness (not a test, not run by the build): writes one CSV row per detected beat of the
 * DS1 records with its matched reference class, the class the whole pipeline gives it with nested
 * offsets, the out-of-fold probabilities and the base features, from a {@code -DsaveOof} file of
 * {@link CvExperiment}, for error analysis. Arguments: data dir, oof file, out CSV.
 */
public final class CvDump {
  public static void main(String[] args) throws Exception {
    List<String> names =
        List.of(
            "101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122", "124",
            "201", "203", "205", "207", "208", "209", "215", "220", "223", "230");
    List<TrainingSet.RecordBeats> records = TrainingSet.load(Path.of(args[0]), names, null);
    Map<String, double[][]> oof = CvExperiment.readOof(Path.of(args[1]));
    List<AamiClass> order = BeatClassifierTrainer.CLASSES;
    ClassBias.Prepared prepared = ClassBias.prepare(records, oof, order);
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[2])))) {
      StringBuilder h = new StringBuilder("record,i,peak,truth,pred,bs,bv");
      for (AamiClass c : order) {
        h.append(",p_").append(c.name());
      }
      for (int k = 0; k < 59; k++) {
        h.append(',').append(BeatFeatures.NAMES.get(k));
      }
      out.println(h);
      for (TrainingSet.RecordBeats r : records) {
        double[] bias = ClassBias.choose(prepared, r.name());
        double[][] p = oof.get(r.name());
        EcgAnalysis a = CrossValidation.analyse(p, bias, order, r);
        AamiClass[] truth = ClassBias.truth(r);
        List<Beat> beats = a.beats();
        for (int i = 0; i < p.length; i++) {
          StringBuilder s = new StringBuilder();
          s.append(r.name()).append(',').append(i).append(',').append(r.peaks()[i]).append(',');
          s.append(truth[i] == null ? "-" : truth[i].name()).append(',');
          s.append(beats.get(i).beatClass().name()).append(',');
          s.append(bias[order.indexOf(AamiClass.S)]).append(',');
          s.append(bias[order.indexOf(AamiClass.V)]);
          for (double v : p[i]) {
            s.append(',').append(String.format(Locale.ROOT, "%.5g", v));
          }
          for (int k = 0; k < 59; k++) {
            s.append(',').append(String.format(Locale.ROOT, "%.5g", r.allFeatures()[i][k]));
          }
          out.println(s);
        }
      }
    }
  }
}
