package org.vitals.inference.glucose;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes what ships beside the ONNX file: {@code glucose-forecaster.json} (feature and output
 * order, scaling, and parity examples: inputs with the trained Tribuo model's outputs, which the
 * tests compare with ONNX Runtime) and the model card {@code glucose-forecaster.md}.
 */
final class ModelFiles {

  static final String METADATA = "glucose-forecaster.json";
  static final String CARD = "glucose-forecaster.md";
  private static final int PARITY_EXAMPLES = 32;

  private ModelFiles() {}

  static void writeMetadata(
      GlucoseTraining.Options options, GlucoseTrainer.Trained model, WindowSet examples, Path dir)
      throws IOException {
    List<double[]> features = new ArrayList<>();
    int step = Math.max(1, examples.size() / PARITY_EXAMPLES);
    for (int i = 0; i < examples.size() && features.size() < PARITY_EXAMPLES; i += step) {
      features.add(GlucoseFeatures.of(examples.input(i)));
    }
    // Edge cases outside the data: very low, very high, steep fall.
    features.add(GlucoseFeatures.of(new ForecastInput(ramp(60, 0), 60, 0, 12)));
    features.add(GlucoseFeatures.of(new ForecastInput(ramp(390, 0), 250, 80, 288)));
    features.add(GlucoseFeatures.of(new ForecastInput(ramp(200, -4), 150, 50, 200)));
    double[][] expected = model.predictScaled(features);
    List<Map<String, Object>> parity = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("features", features.get(i));
      row.put("trained_output", expected[i]);
      parity.add(row);
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("model", GlucoseModel.FILE_NAME);
    meta.put("trainer", model.description());
    meta.put("seed", options.seed());
    meta.put("synthetic_days_per_patient", options.syntheticDays());
    meta.put("input_features", GlucoseFeatures.NAMES);
    meta.put("outputs", GlucoseFeatures.OUTPUTS);
    meta.put("level_scale_mgdl", GlucoseFeatures.LEVEL_SCALE);
    meta.put("delta_scale_mgdl", GlucoseFeatures.DELTA_SCALE);
    meta.put(
        "forecast_clip_mgdl",
        new double[] {GlucoseFeatures.MIN_FORECAST, GlucoseFeatures.MAX_FORECAST});
    meta.put("history_readings", ForecastWindows.HISTORY);
    meta.put(
        "step_seconds_allowed",
        new long[] {ForecastWindows.MIN_STEP_SECONDS, ForecastWindows.MAX_STEP_SECONDS});
    meta.put("parity", parity);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve(METADATA).toFile(), meta);
  }

  private static double[] ramp(double last, double perStep) {
    double[] h = new double[ForecastWindows.HISTORY];
    for (int k = 0; k < h.length; k++) {
      h[k] = last - perStep * (h.length - 1 - k);
    }
    return h;
  }

  /** The card's first sentences on the model kind, up to "Inputs (". */
  private static String modelText(GlucoseTraining.Options options) {
    return switch (options.model()) {
      case GlucoseTrainer.MLP ->
          "A small neural network with two outputs (change in glucose at +30 and +60 min),"
              + " trained in Java (`DenseNetwork`: inputs standardised, two hidden layers of "
              + GlucoseTrainer.NETWORK.hidden()[0]
              + " ReLU units, linear outputs, squared error, Adam from "
              + GlucoseTrainer.NETWORK.learningRate()
              + " decayed × "
              + GlucoseTrainer.NETWORK.decay()
              + " per epoch, batches of "
              + GlucoseTrainer.NETWORK.batch()
              + ", "
              + GlucoseTrainer.NETWORK.epochs()
              + " epochs over every window, seed "
              + options.seed()
              + ", gradients summed in a fixed row order on one thread, so retraining gives the"
              + " same weights), exported as three ONNX `Gemm` nodes with `Relu` between"
              + " them, the standardisation folded into the first (decisions 0324, 0325). Inputs (";
      case GlucoseTrainer.BOOSTED ->
          "Gradient-boosted regression trees with two outputs (change in glucose at +30 and"
              + " +60 min), trained in Java (`org.vitals.inference.ml.GradientBoostedTrees`:"
              + " squared loss, "
              + GlucoseTrainer.TREES.rounds()
              + " rounds x 2 outputs, depth "
              + GlucoseTrainer.TREES.maxDepth()
              + ", shrinkage "
              + GlucoseTrainer.TREES.learningRate()
              + ", at least 50 windows per leaf, half the windows and 80 % of the inputs per"
              + " tree, seed "
              + options.seed()
              + ", every "
              + GlucoseTrainer.TREE_WINDOW_STRIDE
              + "rd window: neighbours overlap by 55 min), exported as one ONNX"
              + " `ai.onnx.ml.TreeEnsembleRegressor` node (decision 0307). Inputs (";
      default ->
          "Linear regression with two outputs (change in glucose at +30 and +60 min),"
              + " trained in Java with Tribuo 4.3.2 `LinearSGDTrainer` (squared loss, AdaGrad"
              + " 0.05, minibatch 16, "
              + options.epochs()
              + " epochs, seed "
              + options.seed()
              + "), exported with Tribuo's ONNX exporter (opset 13: one `Gemm`, then"
              + " `Identity`). Inputs (";
    };
  }

  static void writeCard(
      GlucoseTraining.Options options,
      GlucoseTraining.Result r,
      GlucoseTrainer.Trained model,
      Path dir)
      throws IOException {
    StringBuilder s = new StringBuilder();
    s.append("# Model card: glucose forecaster (30 and 60 min)\n\n");
    s.append(
        "Generated by `java -jar inference/target/inference-cli.jar train-glucose` (class"
            + " `org.vitals.inference.glucose.GlucoseTraining`); figures below are from that run."
            + " Files: `glucose-forecaster.onnx` (the model, served with ONNX Runtime by"
            + " `GlucoseForecaster`), `glucose-forecaster.json` (feature/output order, scaling,"
            + " parity examples).\n\n");
    s.append("## Intended use\n\n");
    s.append(
        "Decision support, not diagnosis. Forecasts CGM glucose 30 and 60 minutes ahead for people"
            + " wearing a 5-minute CGM, to raise early hypo- and hyperglycaemia prompts (forecast"
            + " below 70 / 54 mg/dL or above 180 / 250 mg/dL within the horizon, ranges of the"
            + " International Consensus on Time in Range, Battelino et al., Diabetes Care"
            + " 2019;42:1593). It must not drive insulin dosing or replace fingerstick"
            + " confirmation. It knows nothing about meals, insulin or exercise.\n\n");
    s.append("## Model\n\n");
    s.append(
        modelText(options)
            + GlucoseFeatures.COUNT
            + ", order and names in `glucose-forecaster.json`): the last reading / 100 mg/dL;"
            + " each of the 11 earlier readings of the last 55 min minus the last reading, / 10"
            + " mg/dL; the person's 24-h profile (mean of all readings of the last 24 h minus the"
            + " last reading / 10, their SD / 10, coverage = readings / 288); the 11 differences"
            + " times the profile SD, and the mean gap times SD and times coverage. The profile"
            + " lets one model revert towards ~100 mg/dL for a steady non-diabetic person"
            + " and follow larger swings in type 1 diabetes. Output × 10 mg/dL + last reading ="
            + " forecast, clipped to 40–400 mg/dL. A history whose last 12 readings are not 5 min"
            + " apart (150–450 s per step) is not forecast (`INSUFFICIENT_DATA`); fewer than 24 h"
            + " of history is allowed (coverage says how much there was).\n\n");
    s.append("## Data and split\n\n");
    s.append(
        "| Data set | Population | Licence |\n|---|---|---|\n"
            + "| Weinstock 2016 (JAEB), `weinstock2016_train.csv` | 160 people with T1D | CC BY-SA 4.0 |\n"
            + "| Dubosson 2018 (D1NAMO), `dubosson2018.csv` | 9 people with T1D | CC BY-SA 4.0 |\n"
            + "| Hall 2018 (PLoS Biol), `hall2018.csv` | 57, normoglycaemic to T2D | CC BY 4.0 |\n"
            + "| Colas 2019 (PLoS ONE), `colas2019.csv` | 208, at risk of T2D | CC BY 4.0 |\n"
            + "| UVA/Padova synthetic (simglucose parameters, MIT) | 30 virtual T1D patients × "
            + options.syntheticDays()
            + " days | generated |\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "Split **by person**: %.0f %% of the people of each set (seeded shuffle of the ids)"
                + " are held out; no window of a held-out person is ever trained on. Validation"
                + " model: %d held-in people + %d virtual patients, %d windows. Held-out people:"
                + " %d. The shipped model is retrained with the same recipe on all %d people +"
                + " synthetic (%d windows). Synthetic patients are used for training only; all"
                + " figures are on real held-out people.%n%n",
            100 * options.holdOut(),
            r.trainPeople(),
            r.syntheticPatients(),
            r.trainWindows(),
            r.heldOutPeople(),
            r.trainPeople() + r.heldOutPeople(),
            r.finalWindows()));
    s.append("## Held-out results (people never trained on)\n\n");
    s.append(
        "RMSE / MAE in mg/dL on the same gap-free windows for the model and the two baselines"
            + " (last value = persistence; linear = least-squares line over the last 30 min,"
            + " extrapolated, clipped). Ratio = model RMSE / last-value RMSE.\n\n");
    s.append(
        "| Held-out set | people | windows | model 30 | last value 30 | linear 30 | ratio 30 |"
            + " model 60 | last value 60 | linear 60 | ratio 60 |\n");
    s.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (GlucoseTraining.HeldOut h : r.heldOut()) {
      GlucoseEvaluation e = h.evaluation();
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f | %.3f | %.2f / %.2f |"
                  + " %.2f / %.2f | %.2f / %.2f | %.3f |%n",
              h.dataset(),
              h.people(),
              e.windows(),
              e.model().rmse30(),
              e.model().mae30(),
              e.lastValue().rmse30(),
              e.lastValue().mae30(),
              e.linear().rmse30(),
              e.linear().mae30(),
              e.model().rmse30() / e.lastValue().rmse30(),
              e.model().rmse60(),
              e.model().mae60(),
              e.lastValue().rmse60(),
              e.lastValue().mae60(),
              e.linear().rmse60(),
              e.linear().mae60(),
              e.model().rmse60() / e.lastValue().rmse60()));
    }
    GlucoseEvaluation all = r.heldOut().get(r.heldOut().size() - 1).evaluation();
    GlucoseEvaluation noSyn = r.heldOutAllWithoutSynthetic();
    double ratio30 = all.model().rmse30() / all.lastValue().rmse30();
    double ratio60 = all.model().rmse60() / all.lastValue().rmse60();
    if (noSyn != null) {
      s.append(
          String.format(
              Locale.ROOT,
              "%nSame recipe without the synthetic traces, all held-out people: RMSE 30 %.2f,"
                  + " 60 %.2f mg/dL (with synthetic: %.2f, %.2f).%n%n",
              noSyn.model().rmse30(),
              noSyn.model().rmse60(),
              all.model().rmse30(),
              all.model().rmse60()));
    } else {
      s.append(
          "\nThe same recipe without the synthetic traces is compared on the held-out people by"
              + " `train-glucose --compare-without-synthetic` (decisions 0324, 0325).\n\n");
    }
    s.append("### Hypoglycaemia alerts (all held-out people)\n\n");
    s.append(
        "Event: a reading below 70 mg/dL at +30 or +60 min. Alert: the lower of the two forecasts"
            + " below the threshold (threshold 70 is the API's `hypoBelow70Within60` flag; 80 and"
            + " 90 are earlier-warning operating points a caller may choose), compared with"
            + " persistence (last reading below the threshold). "
            + all.modelHypoAlert()[0].events()
            + " events in "
            + all.windows()
            + " windows.\n\n"
            + "| Alert | threshold mg/dL | Se % | +P % | false alarms per 100 event-free windows |\n"
            + "|---|---|---|---|---|\n");
    for (int k = 0; k < GlucoseEvaluation.ALERT_THRESHOLDS.length; k++) {
      for (int m = 0; m < 2; m++) {
        GlucoseEvaluation.AlertCounts c =
            m == 0 ? all.modelHypoAlert()[k] : all.lastValueHypoAlert()[k];
        s.append(
            String.format(
                Locale.ROOT,
                "| %s | %.0f | %.1f | %.1f | %.2f |%n",
                m == 0 ? "model forecast" : "last value",
                GlucoseEvaluation.ALERT_THRESHOLDS[k],
                c.sensitivity(),
                c.positivePredictivity(),
                c.falseAlarmPercent()));
      }
    }
    s.append(
        "\nA squared-loss forecast is pulled towards the typical change, so at 70 mg/dL the alert"
            + " is conservative (it misses many first drops below 70 from a normal level); at"
            + " equal sensitivity the model's alert is more precise than persistence's. Use it as"
            + " a prompt, never as the only hypo safeguard.\n\n");
    s.append("## Against the project's target\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "Target (issue 6): RMSE at 30 min at most 75 %% of last value's, at 60 min at most"
                + " 80 %%. Held-out here: **%.1f %%** at 30 min (%s) and **%.1f %%** at 60 min"
                + " (%s).%n%n",
            100 * ratio30,
            ratio30 <= 0.75 ? "met" : "NOT met",
            100 * ratio60,
            ratio60 <= 0.80 ? "met" : "NOT met"));
    s.append(
        "For scale: the best published OhioT1DM models (deep networks with meal and insulin"
            + " inputs) report about 18.2–18.9 mg/dL at 30 min against a persistence baseline of"
            + " about 21–22 (≈ 83–88 %), and 31–32 vs 35–37 at 60 min (≈ 85–90 %); those figures"
            + " are unverified (see /work/shared/reference/clinical-rules-and-models.md §6.1). A"
            + " CGM-only model reaching 75 % of persistence would be well beyond the literature."
            + " Decision 0324 lists what else was tried on a development split inside the"
            + " training people (these held-out people were scored once, after the choice):"
            + " per-person online adaptation from the person's own past errors (bias, recursive"
            + " least squares, mixing models by their recent errors) was neutral or worse, because"
            + " the error of the forecast just observed does not predict the next one (r ≈ 0);"
            + " extra inputs from the person's past, longer trees and tree/linear blends moved the"
            + " ratio by under one point; this network gained about half a point over the trees."
            + " Decision 0325 found no more (2 h of history, time of day, wider or longer-trained"
            + " networks, ensembles: at most 0.3 points at 30 min) and why: on the very windows"
            + " it was trained on, this recipe scores 0.85 / 0.87 of persistence, a network twice"
            + " as wide 0.84 / 0.86, and halving the training people costs only 0.6 points, so"
            + " neither capacity nor more people of the same kind reach 0.75; the rest is meals,"
            + " insulin and activity that the data do not record.\n\n");
    s.append("## Known limits\n\n");
    s.append(
        "- CGM history only: no meals, insulin, exercise or time of day, so it cannot foresee a"
            + " rise from an unannounced meal; it extrapolates the recent trend, damped. (Time of"
            + " day gained about 1 point of the ratio in experiments but is not used: readings"
            + " carry instants without the patient's time zone, and the training sets' clocks are"
            + " local times read as UTC.)\n"
            + "- 5-min CGMs only (Dexcom/Medtronic class). 1-min or 15-min sensors are refused, not"
            + " resampled.\n"
            + "- Trained mostly on adults with T1D (Weinstock) and people without diabetes (Colas,"
            + " Hall); performance differs by population (see the table).\n"
            + "- Errors are largest around turning points and after meals; the 60-min forecast"
            + " stays close to persistence (squared loss favours the typical change).\n"
            + "- Weinstock dates are relative (1900-01-DD); only time differences are used.\n"
            + "- Synthetic UVA/Padova traces are research data, not clinical evidence; the sensor"
            + " noise model is Breton & Kovatchev 2008 as parameterised by simglucose.\n\n");
    s.append("## Reproduce\n\n");
    s.append(
        "```\nmvn -B -q -pl inference -am -DskipTests package\n"
            + "java -jar inference/target/inference-cli.jar train-glucose --data ../shared/data"
            + " --out models\n"
            + "java -jar inference/target/inference-cli.jar evaluate-glucose --data"
            + " ../shared/data/cgm/dubosson2018.csv --json\n```\n\n"
            + "(`evaluate-glucose` on a whole shared file scores the shipped model on people it"
            + " was trained on; only the held-out table above is a fair estimate.)\n");
    Files.writeString(dir.resolve(CARD), s.toString(), StandardCharsets.UTF_8);
  }
}
