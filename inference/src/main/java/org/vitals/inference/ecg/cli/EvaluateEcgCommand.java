package org.vitals.inference.ecg.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.vitals.inference.cli.CliCommand;
import org.vitals.inference.ecg.EcgAnalysis;
import org.vitals.inference.ecg.EcgAnalyzer;
import org.vitals.inference.ecg.MitRecord;
import org.vitals.inference.ecg.OnnxBeatClassifier;
import org.vitals.inference.ecg.eval.EcgEvaluation;

/**
 * {@code evaluate-ecg}: QRS detection, beat classification and AF detection on WFDB records, scored
 * against their reference annotations with the AAMI EC57 rules.
 */
public final class EvaluateEcgCommand implements CliCommand {

  @Override
  public String name() {
    return "evaluate-ecg";
  }

  @Override
  public String usage() {
    return "evaluate-ecg --data DIR [--records 100,101,...] [--model DIR] [--json]"
        + "   score QRS, AAMI classes and AF against .atr annotations";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    Args a = new Args(args, Set.of("--data", "--records", "--model"), Set.of("--json"));
    Path dir = a.path("--data");
    List<String> records = RecordSelection.select(dir, a.list("--records"), true, err);
    try (EcgAnalyzer analyzer = analyzer(a.get("--model", null))) {
      EcgEvaluation eval = evaluate(analyzer, dir, records, err);
      if (a.flag("--json")) {
        out.println(OnnxBeatClassifier.JSON.writeValueAsString(eval.toJson()));
      } else {
        eval.perRecord().forEach((r, s) -> out.println(r + ": " + s));
        out.println("all: " + eval.summary());
      }
    }
    return 0;
  }

  static EcgAnalyzer analyzer(String modelDir) throws java.io.IOException {
    return modelDir == null
        ? EcgAnalyzer.withDefaultModel()
        : new EcgAnalyzer(OnnxBeatClassifier.load(Path.of(modelDir), "ecg-beat-classifier"));
  }

  /** Analyses and scores every record; one progress line per record on {@code err}. */
  public static EcgEvaluation evaluate(
      EcgAnalyzer analyzer, Path dir, List<String> records, PrintStream err) throws Exception {
    EcgEvaluation eval = new EcgEvaluation();
    int done = 0;
    for (String name : records) {
      MitRecord rec = MitRecord.read(dir, name);
      EcgAnalysis analysis;
      try {
        analysis = analyzer.analyze(rec.leadsMv(), rec.fs());
      } catch (IllegalArgumentException e) {
        // a data problem, not a usage problem: fail the run and name the record
        throw new IllegalStateException("record " + name + ": " + e.getMessage(), e);
      }
      if (analysis.insufficientData().isPresent()) {
        err.println("record " + name + ": " + analysis.insufficientData().get());
      }
      eval.add(name, analysis, rec.reference(), rec.fs());
      done++;
      err.printf(
          "[evaluate-ecg] %d/%d %s: %s%n", done, records.size(), name, eval.perRecord().get(name));
    }
    return eval;
  }
}
