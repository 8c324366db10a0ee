package org.vitals.inference.glucose;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vitals.inference.cli.CliCommand;

/**
 * {@code evaluate-glucose --data FILE.csv [--model FILE.onnx] [--json]}: forecasts every gap-free
 * window of every trace in the file and prints RMSE and MAE at 30 and 60 min for the model and the
 * last-value and linear baselines; with {@code --json} the last line is one JSON object.
 */
public final class EvaluateGlucoseCommand implements CliCommand {

  @Override
  public String name() {
    return "evaluate-glucose";
  }

  @Override
  public String usage() {
    return "evaluate-glucose --data FILE.csv (columns id,time,gl; mg/dL) [--model FILE.onnx] [--json]";
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    CommandArgs a = new CommandArgs(args, Set.of("--data", "--model"), Set.of("--json"));
    if (a.get("--data") == null) {
      throw new IllegalArgumentException("--data FILE.csv is required");
    }
    Path file = Path.of(a.get("--data"));
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such file: " + file.toAbsolutePath());
    }
    CgmCsv.Contents contents = CgmCsv.read(file);
    GlucoseEvaluation e;
    try (GlucoseModel model =
        a.get("--model") == null
            ? GlucoseModel.loadDefault()
            : GlucoseModel.load(Path.of(a.get("--model")))) {
      e = GlucoseEvaluation.run(contents.traces(), new GlucoseForecaster(model));
    }
    out.printf(
        Locale.ROOT,
        "%d traces, %d windows forecast, %d skipped for gaps, %d rows without a value%n",
        e.traces(),
        e.windows(),
        e.skippedForGap(),
        contents.missingValues());
    out.println("                 RMSE30   MAE30   RMSE60   MAE60  (mg/dL)");
    row(out, "model", e.model());
    row(out, "last value", e.lastValue());
    row(out, "linear", e.linear());
    if (a.flag("--json")) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("model", metrics(e.model()));
      json.put("last_value", metrics(e.lastValue()));
      json.put("linear", metrics(e.linear()));
      json.put("traces", e.traces());
      json.put("windows", e.windows());
      json.put("skipped_gap_windows", e.skippedForGap());
      json.put("missing_values", contents.missingValues());
      out.println(new ObjectMapper().writeValueAsString(json));
    }
    return 0;
  }

  private static void row(PrintStream out, String label, ErrorMetrics m) {
    out.printf(
        Locale.ROOT,
        "  %-12s %8.2f %7.2f %8.2f %7.2f%n",
        label,
        m.rmse30(),
        m.mae30(),
        m.rmse60(),
        m.mae60());
  }

  private static Map<String, Double> metrics(ErrorMetrics m) {
    Map<String, Double> map = new LinkedHashMap<>();
    map.put("rmse30", round(m.rmse30()));
    map.put("mae30", round(m.mae30()));
    map.put("rmse60", round(m.rmse60()));
    map.put("mae60", round(m.mae60()));
    return map;
  }

  private static double round(double v) {
    return Math.round(v * 10000.0) / 10000.0;
  }
}
