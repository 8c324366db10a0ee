package org.vitals.inference.glucose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitals.inference.cli.CliCommand;

/** Model and baselines scored on the same windows; the evaluate-glucose JSON contract. */
class GlucoseEvaluationTest {

  @TempDir Path tmp;

  @Test
  void baselinesOnAStraightLine() {
    double[] h = {100, 102, 104, 106, 108, 110, 112, 114, 116, 118, 120, 122};
    assertThat(Baselines.lastValue(h)).isEqualTo(122.0);
    assertThat(Baselines.linear(h, 30))
        .isCloseTo(134.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(Baselines.linear(h, 60))
        .isCloseTo(146.0, org.assertj.core.api.Assertions.within(1e-9));
    double[] falling = {100, 90, 80, 70, 60, 50, 45, 44, 43, 42, 41, 40};
    assertThat(Baselines.linear(falling, 60)).isEqualTo(40.0); // clipped
  }

  @Test
  void eachEvaluatedForecastUsesOnlyItsTracesPast() throws Exception {
    // 400 regular readings (window j has its origin at reading 11 + j); then the same trace with
    // everything after reading k changed. Forecasts at origins up to k must not move, and must
    // equal what the forecaster gives from the readings up to the origin alone.
    int n = 400;
    int k = 250;
    double[] v = new double[n];
    double[] changed = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 120 + 40 * Math.sin(i / 20.0);
      changed[i] = i <= k ? v[i] : 300 - 0.5 * (i - k);
    }
    List<CgmReading> readings = GlucoseFixtures.every5min(v);
    WindowSet original = WindowSet.of(List.of(new CgmTrace("a", readings)));
    WindowSet altered =
        WindowSet.of(List.of(new CgmTrace("a", GlucoseFixtures.every5min(changed))));
    assertThat(original.size()).isEqualTo(altered.size()).isEqualTo(n - 11 - 12);
    try (GlucoseModel model = GlucoseModel.loadDefault()) {
      GlucoseForecaster forecaster = new GlucoseForecaster(model);
      ForecastInput[] a = new ForecastInput[original.size()];
      ForecastInput[] b = new ForecastInput[altered.size()];
      for (int j = 0; j < a.length; j++) {
        a[j] = original.input(j);
        b[j] = altered.input(j);
      }
      double[][] pa = forecaster.predict(a);
      double[][] pb = forecaster.predict(b);
      for (int j = 0; j + 11 <= k; j++) {
        assertThat(pb[j]).as("origin %d", j + 11).containsExactly(pa[j]);
      }
      assertThat(pb[k - 11 + 1][0]).isNotEqualTo(pa[k - 11 + 1][0]);
      for (int origin : new int[] {11, 120, 299, k}) {
        GlucoseForecast.Prediction live =
            forecaster.forecast(readings.subList(0, origin + 1)).predicted().orElseThrow();
        assertThat(live.mgdl30())
            .isCloseTo(pa[origin - 11][0], org.assertj.core.api.Assertions.within(1e-9));
        assertThat(live.mgdl60())
            .isCloseTo(pa[origin - 11][1], org.assertj.core.api.Assertions.within(1e-9));
      }
    }
  }

  @Test
  void theModelBeatsPersistenceOnTheRealSample() throws Exception {
    try (GlucoseModel model = GlucoseModel.loadDefault()) {
      GlucoseEvaluation e =
          GlucoseEvaluation.run(
              CgmCsv.read(GlucoseFixtures.colasSample()).traces(), new GlucoseForecaster(model));
      assertThat(e.traces()).isEqualTo(3);
      assertThat(e.windows()).isEqualTo(e.model().count()).isGreaterThan(1500);
      assertThat(e.model().rmse30()).isLessThan(e.lastValue().rmse30());
      assertThat(e.model().rmse60()).isLessThan(e.lastValue().rmse60());
      // Linear extrapolation is worse than persistence on real CGM (reference §6.2).
      assertThat(e.linear().rmse30()).isGreaterThan(e.lastValue().rmse30());
    }
  }

  @Test
  void noUsableWindowIsInsufficientDataNotANumber() {
    List<CgmTrace> traces = List.of(new CgmTrace("p", GlucoseFixtures.line(20, 100, 0)));
    try (GlucoseModel model = GlucoseModel.loadDefault()) {
      assertThatThrownBy(() -> GlucoseEvaluation.run(traces, new GlucoseForecaster(model)))
          .hasMessageContaining("insufficient data");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void evaluateGlucosePrintsTheContractJsonAsTheLastLine() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliCommand command = new EvaluateGlucoseCommand();
    int code =
        command.run(
            new String[] {"--data", GlucoseFixtures.colasSample().toString(), "--json"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isZero();
    String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
    JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
    for (String key : List.of("model", "last_value", "linear")) {
      List<String> fields = new ArrayList<>();
      Iterator<String> it = json.get(key).fieldNames();
      it.forEachRemaining(fields::add);
      assertThat(fields).containsExactly("rmse30", "mae30", "rmse60", "mae60");
      assertThat(json.get(key).get("rmse30").asDouble()).isPositive();
    }
    assertThat(json.get("model").get("rmse30").asDouble())
        .isLessThan(json.get("last_value").get("rmse30").asDouble());
    assertThat(json.get("skipped_gap_windows").asLong()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void evaluateGlucoseCountsWindowsSkippedForGaps() throws Exception {
    Path f = tmp.resolve("gaps.csv");
    StringBuilder csv = new StringBuilder("id,time,gl\n");
    // 80 readings, reading 40 missing: a 10-min gap.
    for (int i = 0; i < 81; i++) {
      if (i != 40) {
        csv.append(
            String.format("p,2020-01-01 %02d:%02d:00,%d%n", (i * 5) / 60, (i * 5) % 60, 100 + i));
      }
    }
    Files.writeString(f, csv);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new EvaluateGlucoseCommand()
        .run(
            new String[] {"--data", f.toString(), "--json"},
            new PrintStream(out, true),
            System.err);
    String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
    JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
    // 80 readings after the gap; candidate origins 11..67 = 57; 23 span the gap.
    assertThat(json.get("windows").asLong()).isEqualTo(34);
    assertThat(json.get("skipped_gap_windows").asLong()).isEqualTo(23);
  }

  @Test
  void evaluateGlucoseRefusesMissingArguments() {
    assertThatThrownBy(
            () -> new EvaluateGlucoseCommand().run(new String[] {"--json"}, System.out, System.err))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--data");
  }
}
