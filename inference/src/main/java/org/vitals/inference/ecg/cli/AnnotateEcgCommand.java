package org.vitals.inference.ecg.cli;

import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.vitals.inference.cli.CliCommand;
import org.vitals.inference.ecg.AfEpisode;
import org.vitals.inference.ecg.Beat;
import org.vitals.inference.ecg.EcgAnalysis;
import org.vitals.inference.ecg.EcgAnalyzer;
import org.vitals.inference.ecg.MitRecord;

/**
 * {@code annotate-ecg}: writes {@code OUT/<record>.beats.csv} ({@code sample,class}) and {@code
 * OUT/<record>.af.csv} ({@code start_sample,end_sample}) for every record, so anyone can score the
 * output with their own tools.
 */
public final class AnnotateEcgCommand implements CliCommand {

  @Override
  public String name() {
    return "annotate-ecg";
  }

  @Override
  public String usage() {
    return "annotate-ecg --data DIR --out OUT [--records 100,101,...] [--model DIR]"
        + "   write <record>.beats.csv and <record>.af.csv";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    Args a = new Args(args, Set.of("--data", "--out", "--records", "--model"), Set.of());
    Path dir = a.path("--data");
    Path outDir = a.path("--out");
    List<String> records = RecordSelection.select(dir, a.list("--records"), false, err);
    Files.createDirectories(outDir);
    int failed = 0;
    try (EcgAnalyzer analyzer = EvaluateEcgCommand.analyzer(a.get("--model", null))) {
      for (String name : records) {
        MitRecord rec = MitRecord.readSignals(dir, name);
        EcgAnalysis analysis;
        try {
          analysis = analyzer.analyze(rec.leadsMv(), rec.fs());
        } catch (IllegalArgumentException e) {
          // bad data in one record (a gap, an odd rate): say so, go on with the others
          err.println("record " + name + " not annotated: " + e.getMessage());
          failed++;
          continue;
        }
        analysis
            .insufficientData()
            .ifPresent(reason -> err.println("record " + name + ": " + reason));
        write(outDir, name, analysis);
        out.printf(
            "%s: %d beats, %d AF episodes -> %s%n",
            name,
            analysis.beats().size(),
            analysis.afEpisodes().size(),
            outDir.resolve(name + ".beats.csv"));
      }
    }
    return failed == 0 ? 0 : 1;
  }

  /** Writes the two CSV files of one record. */
  public static void write(Path outDir, String name, EcgAnalysis analysis)
      throws java.io.IOException {
    try (BufferedWriter w =
        Files.newBufferedWriter(outDir.resolve(name + ".beats.csv"), StandardCharsets.UTF_8)) {
      w.write("sample,class\n");
      for (Beat b : analysis.beats()) {
        w.write(b.sample() + "," + b.beatClass().letter() + "\n");
      }
    }
    try (BufferedWriter w =
        Files.newBufferedWriter(outDir.resolve(name + ".af.csv"), StandardCharsets.UTF_8)) {
      w.write("start_sample,end_sample\n");
      for (AfEpisode e : analysis.afEpisodes()) {
        w.write(e.startSample() + "," + e.endSample() + "\n");
      }
    }
  }
}
