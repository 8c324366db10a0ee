package org.vitals.inference.ecg;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH benchmark of the ECG pipeline on one thread: QRS detection over one hour of two-lead 360 Hz
 * ECG (samples per second per core), beat classification with the shipped ONNX model batched (one
 * call per hour of beats) and one beat per call, and the whole analysis of one hour (as a multiple
 * of real time: 3,600 s divided by the measured time). The hour is the committed fixture (records
 * 208a and 201a) repeated, so it runs on a fresh clone. Run with {@code main} (see
 * inference/README.md); not a test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@Threads(1)
public class EcgBenchmark {

  static final double FS = 360;
  static final int HOUR = (int) (3600 * FS);

  private double[][] hour;
  private int[] peaks;
  private double[][] features;
  private double[][] oneBeat;
  private EcgAnalyzer analyzer;
  private OnnxBeatClassifier classifier;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    MitRecord a = MitRecord.read(EcgTestData.fixture(), "208a");
    MitRecord b = MitRecord.read(EcgTestData.fixture(), "201a");
    hour = new double[2][HOUR];
    int at = 0;
    while (at < HOUR) {
      for (MitRecord r : new MitRecord[] {a, b}) {
        int n = Math.min(r.length(), HOUR - at);
        for (int l = 0; l < 2; l++) {
          System.arraycopy(r.leadsMv()[l], 0, hour[l], at, n);
        }
        at += n;
        if (at == HOUR) {
          break;
        }
      }
    }
    classifier = OnnxBeatClassifier.loadDefault();
    analyzer = new EcgAnalyzer(classifier);
    peaks = QrsDetector.detect(hour, FS);
    features = BeatFeatures.extract(hour[0], peaks, FS);
    oneBeat = new double[][] {features[features.length / 2]};
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    analyzer.close();
  }

  /** QRS detection, two leads, one hour: 1,296,000 frames per call. */
  @Benchmark
  public int qrsDetectionOneHourTwoLeads() {
    return QrsDetector.detect(hour, FS).length;
  }

  /** Beat classification of one hour's beats in one ONNX Runtime call (features given). */
  @Benchmark
  public float[][] classifyBeatsBatched() {
    return classifier.probabilities(features);
  }

  /** Beat classification of one beat per call. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public float[][] classifyOneBeat() {
    return classifier.probabilities(oneBeat);
  }

  /**
   * Whole analysis (QRS, features, classes, shape neighbours, AF) of one hour of two-lead 360 Hz
   * ECG.
   */
  @Benchmark
  public EcgAnalysis analyseOneHour() {
    return analyzer.analyze(hour, FS);
  }

  /** Beats in the benchmark hour, for turning times into beats per second. */
  public int beatCount() {
    return peaks.length;
  }

  /**
   * The calling thread's CPU time ({@code ThreadMXBean}) of the whole analysis and of the
   * shape-neighbour smoothing of the hour's beats: per-core cost, unlike JMH's wall time on a
   * loaded machine. Two warm-up runs are left out.
   */
  static void threadCpu(EcgBenchmark probe, int runs) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    double[][] p = new double[probe.features.length][];
    float[][] onnx = probe.classifier.probabilities(probe.features);
    for (int i = 0; i < p.length; i++) {
      p[i] = new double[onnx[i].length];
      for (int c = 0; c < p[i].length; c++) {
        p[i][c] = onnx[i][c];
      }
    }
    for (int r = 0; r < runs + 2; r++) {
      long t0 = mx.getCurrentThreadCpuTime();
      probe.analyseOneHour();
      long t1 = mx.getCurrentThreadCpuTime();
      MorphologyNeighbours.smoothVentricular(p, probe.features, 2);
      long t2 = mx.getCurrentThreadCpuTime();
      if (r >= 2) {
        System.out.printf(
            "thread CPU: whole analysis %.0f ms, of which shape neighbours about %.0f ms%n",
            (t1 - t0) / 1e6, (t2 - t1) / 1e6);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    EcgBenchmark probe = new EcgBenchmark();
    probe.setUp();
    if (args.length > 0 && args[0].equals("cpu")) {
      threadCpu(probe, 6);
      probe.tearDown();
      return;
    }
    System.out.println(
        "benchmark hour: " + HOUR + " frames x 2 leads, " + probe.beatCount() + " beats");
    probe.tearDown();
    // an optional argument narrows the run to matching methods, e.g. "qrsDetection"; "cpu"
    // prints thread CPU times instead
    String include = EcgBenchmark.class.getSimpleName() + (args.length > 0 ? "." + args[0] : "");
    new Runner(new OptionsBuilder().include(include).build()).run();
  }
}
