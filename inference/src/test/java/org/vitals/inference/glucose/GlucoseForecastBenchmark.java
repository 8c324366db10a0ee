package org.vitals.inference.glucose;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.vitals.inference.spo2.OximetryAnalysis;
import org.vitals.inference.spo2.OximetryReport;
import org.vitals.inference.spo2.SyntheticOximetry;

/**
 * JMH benchmark of the glucose forecaster's per-call latency (the shipped ONNX model through {@link
 * GlucoseForecaster#forecast}, one thread), plus batch throughput and an 8-hour oximetry analysis
 * for scale. Run with {@code main} (see inference/README.md); not a test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GlucoseForecastBenchmark {

  private GlucoseModel model;
  private GlucoseForecaster forecaster;
  private List<CgmReading> lastDay;
  private List<CgmReading> lastHour;
  private ForecastInput[] batch;
  private SyntheticOximetry.Recording eightHours;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    model = GlucoseModel.loadDefault();
    forecaster = new GlucoseForecaster(model);
    Random rnd = new Random(1);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    lastDay = new ArrayList<>();
    double g = 140;
    for (int i = 0; i < 288; i++) {
      g = Math.max(45, Math.min(390, g + rnd.nextGaussian() * 3));
      lastDay.add(new CgmReading(t0.plus(Duration.ofMinutes(5L * i)), Math.round(g)));
    }
    lastHour = lastDay.subList(276, 288);
    WindowSet set = WindowSet.of(List.of(new CgmTrace("bench", lastDay)));
    batch = new ForecastInput[1000];
    for (int i = 0; i < batch.length; i++) {
      batch[i] = set.input(i % set.size());
    }
    eightHours = SyntheticOximetry.generate(8 * 3600, 3);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    model.close();
  }

  /** One forecast from a day of 5-min readings (sorting, gap check, profile, ONNX). */
  @Benchmark
  public GlucoseForecast forecastFromOneDay() {
    return forecaster.forecast(lastDay);
  }

  /** One forecast from the minimum history of 12 readings. */
  @Benchmark
  public GlucoseForecast forecastFromOneHour() {
    return forecaster.forecast(lastHour);
  }

  /** 1000 forecasts in one ONNX call (evaluation path); divide by 1000 for per-window cost. */
  @Benchmark
  public double[][] batchOf1000() {
    return forecaster.predict(batch);
  }

  /** Full oximetry analysis of 8 h of 1 Hz SpO2 (artefacts, ODI3/4, T90). */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public OximetryReport oximetryEightHours() {
    return new OximetryAnalysis().analyse(eightHours.series());
  }

  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(GlucoseForecastBenchmark.class.getSimpleName()).build())
        .run();
  }
}
