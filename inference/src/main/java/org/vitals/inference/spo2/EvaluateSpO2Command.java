package org.vitals.inference.spo2;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.vitals.inference.cli.CliCommand;

/**
 * {@code evaluate-spo2 --data DIR [--json]}: runs the oximetry analysis on every BIDMC numerics
 * file in DIR and on seeded synthetic recordings with known events (sensitivity and positive
 * predictivity of the ODI 4 % detector); with {@code --json} the last line is one JSON object.
 */
public final class EvaluateSpO2Command implements CliCommand {

  @Override
  public String name() {
    return "evaluate-spo2";
  }

  @Override
  public String usage() {
    return "evaluate-spo2 --data BIDMC_DIR [--json]";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    String dir = null;
    boolean json = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--data needs a folder");
          }
          dir = args[++i];
        }
        case "--json" -> json = true;
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
      }
    }
    if (dir == null) {
      throw new IllegalArgumentException("--data BIDMC_DIR is required");
    }
    List<Path> files = numerics(Path.of(dir));
    List<Map<String, Object>> records = new ArrayList<>();
    OximetryAnalysis analysis = new OximetryAnalysis();
    int insufficient = 0;
    out.println("record   valid_s  min   T90%   ODI3   ODI4  ev3 ev4 sustained rejected");
    for (Path f : files) {
      String record = f.getFileName().toString().replace("_Numerics.csv", "");
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("record", record);
      try {
        OximetryReport r = analysis.analyse(BidmcNumerics.read(f));
        row.put("valid_seconds", r.validSeconds());
        row.put("min_spo2", r.minimumPercent());
        row.put("t90", round(r.t90Percent()));
        row.put("odi3", round(r.odi3()));
        row.put("odi4", round(r.odi4()));
        row.put("events3", r.events3().size());
        row.put("events4", r.events4().size());
        row.put("sustained_hypoxaemia", r.sustainedHypoxaemia().size());
        row.put(
            "trend_percent_per_hour",
            r.recentTrendPercentPerHour().map(EvaluateSpO2Command::round).orElse(null));
        int rejected = r.rejectedSamples().values().stream().mapToInt(Integer::intValue).sum();
        row.put("rejected_samples", rejected);
        out.printf(
            Locale.ROOT,
            "%-8s %7.0f %4.0f %6.1f %6.1f %6.1f %4d %3d %9d %8d%n",
            record,
            r.validSeconds(),
            r.minimumPercent(),
            r.t90Percent(),
            r.odi3(),
            r.odi4(),
            r.events3().size(),
            r.events4().size(),
            r.sustainedHypoxaemia().size(),
            rejected);
      } catch (InsufficientDataException e) {
        insufficient++;
        row.put("insufficient_data", e.getMessage());
        out.println(record + " " + e.getMessage());
      }
      records.add(row);
    }
    // Synthetic recordings with known events: the only ground truth within reach.
    SyntheticOximetry.Agreement total = new SyntheticOximetry.Agreement(0, 0, 0, 0);
    for (long seed = 1; seed <= 20; seed++) {
      SyntheticOximetry.Recording rec = SyntheticOximetry.generate(4 * 3600, seed);
      OximetryReport r = analysis.analyse(rec.series());
      SyntheticOximetry.Agreement a = SyntheticOximetry.score(rec.events(), r.events4(), 5.0);
      total =
          new SyntheticOximetry.Agreement(
              total.found() + a.found(),
              total.missed() + a.missed(),
              total.detections() + a.detections(),
              total.falseDetections() + a.falseDetections());
    }
    out.printf(
        Locale.ROOT,
        "synthetic (20 x 4 h): ODI4 events of >= 5 %% found %d/%d (Se %.1f %%), +P %.1f %%%n",
        total.found(),
        total.found() + total.missed(),
        total.sensitivity(),
        total.positivePredictivity());
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("records", files.size());
      o.put("insufficient_records", insufficient);
      o.put("per_record", records);
      Map<String, Object> syn = new LinkedHashMap<>();
      syn.put("recordings", 20);
      syn.put("events", total.found() + total.missed());
      syn.put("se", round(total.sensitivity()));
      syn.put("ppv", round(total.positivePredictivity()));
      o.put("synthetic_odi4", syn);
      out.println(new ObjectMapper().writeValueAsString(o));
    }
    return 0;
  }

  private static List<Path> numerics(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no such folder: " + dir.toAbsolutePath());
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files =
          s.filter(p -> p.getFileName().toString().endsWith("_Numerics.csv")).sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException("no *_Numerics.csv files in " + dir.toAbsolutePath());
      }
      return files;
    }
  }

  private static double round(double v) {
    return Math.round(v * 100.0) / 100.0;
  }
}
