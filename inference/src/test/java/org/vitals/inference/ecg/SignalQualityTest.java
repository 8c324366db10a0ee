package org.vitals.inference.ecg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitals.inference.ecg.filter.Biquad;

/**
 * The signal-quality index on the committed fixture: clean ECG stays usable; a flat stretch, a
 * clipped stretch and a stretch buried in noise are marked unusable with the right reason, and the
 * analyzer then returns their beats as Q and keeps them out of the rhythm analysis.
 */
class SignalQualityTest {

  private static EcgAnalyzer analyzer;
  private static MitRecord rec208;
  private static MitRecord rec201;

  @BeforeAll
  static void load() throws Exception {
    analyzer = EcgAnalyzer.withDefaultModel();
    rec208 = MitRecord.read(EcgTestData.fixture(), "208a");
    rec201 = MitRecord.read(EcgTestData.fixture(), "201a");
  }

  @AfterAll
  static void close() {
    analyzer.close();
  }

  private static List<SignalQuality.Segment> judge(double[] lead) {
    return SignalQuality.unusable(lead, QrsDetector.detect(lead, 360), 360);
  }

  private static double seconds(List<SignalQuality.Segment> segments) {
    return segments.stream().mapToDouble(s -> s.durationSeconds(360)).sum();
  }

  /** Seconds of [from, to) s covered by segments of the given reason. */
  private static double covered(
      List<SignalQuality.Segment> segments, SignalQuality.Reason reason, double from, double to) {
    double s = 0;
    for (SignalQuality.Segment g : segments) {
      if (g.reason() == reason) {
        s += Math.max(0, Math.min(to * 360, g.endSample()) - Math.max(from * 360, g.startSample()));
      }
    }
    return s / 360;
  }

  @Test
  void cleanRecordsStayUsable() {
    assertThat(seconds(judge(rec208.leadsMv()[0]))).isLessThanOrEqualTo(5.0);
    assertThat(seconds(judge(rec201.leadsMv()[0]))).isLessThanOrEqualTo(5.0);
  }

  @Test
  void aFlatStretchIsMarkedAsFlatLine() {
    double[] x = rec208.leadsMv()[0].clone();
    for (int i = 60 * 360; i < 80 * 360; i++) {
      x[i] = 0.12; // lead off: the amplifier holds a constant
    }
    List<SignalQuality.Segment> u = judge(x);
    assertThat(covered(u, SignalQuality.Reason.FLAT_LINE, 60, 80)).isGreaterThanOrEqualTo(15.0);
    assertThat(seconds(u)).isLessThanOrEqualTo(30.0);
  }

  @Test
  void aClippedStretchIsMarkedAsSaturated() {
    double[] x = rec208.leadsMv()[0].clone();
    for (int i = 100 * 360; i < 130 * 360; i++) {
      // amplify tenfold into a +-1 mV range: every QRS sits on the rails
      x[i] = Math.max(-1, Math.min(1, 10 * x[i]));
    }
    List<SignalQuality.Segment> u = judge(x);
    assertThat(covered(u, SignalQuality.Reason.SATURATION, 100, 130)).isGreaterThanOrEqualTo(25.0);
    assertThat(seconds(u)).isLessThanOrEqualTo(40.0);
  }

  /** Band-limited (muscle-like, 5-100 Hz) noise at a given SNR to the lead's QRS power. */
  private static double[] withNoise(
      double[] lead, double from, double to, double snrDb, long seed) {
    double[] x = lead.clone();
    SplittableRandom rnd = new SplittableRandom(seed);
    Biquad hp = Biquad.highPass(5, 360);
    Biquad lp = Biquad.lowPass(100, 360);
    int a = (int) (from * 360);
    int b = (int) (to * 360);
    double[] noise = new double[b - a];
    double np = 0;
    for (int i = 0; i < noise.length; i++) {
      noise[i] = lp.filter(hp.filter(rnd.nextGaussian()));
      np += noise[i] * noise[i];
    }
    np /= noise.length;
    // signal power as in the MIT-BIH noise stress test: from the QRS peak-to-peak amplitude
    double p2p = 0;
    for (int i = a; i < b; i += 360) {
      double max = Double.NEGATIVE_INFINITY;
      double min = Double.POSITIVE_INFINITY;
      for (int k = i; k < Math.min(b, i + 360); k++) {
        max = Math.max(max, lead[k]);
        min = Math.min(min, lead[k]);
      }
      p2p += max - min;
    }
    p2p /= Math.ceil((b - a) / 360.0);
    double signalPower = p2p * p2p / 8;
    double gain = Math.sqrt(signalPower / np / Math.pow(10, snrDb / 10));
    for (int i = 0; i < noise.length; i++) {
      x[a + i] += gain * noise[i];
    }
    return x;
  }

  @Test
  void heavyNoiseIsMarkedAndMildNoiseIsNot() {
    double[] clean = rec201.leadsMv()[0];
    List<SignalQuality.Segment> heavy = judge(withNoise(clean, 40, 100, -6, 1));
    assertThat(covered(heavy, SignalQuality.Reason.NOISE, 40, 100)).isGreaterThanOrEqualTo(45.0);
    assertThat(seconds(heavy)).isLessThanOrEqualTo(75.0);
    List<SignalQuality.Segment> mild = judge(withNoise(clean, 40, 100, 18, 2));
    assertThat(seconds(mild)).isLessThanOrEqualTo(10.0);
  }

  @Test
  void theAnalyzerReportsUnusableStretchesAndDoesNotClassifyTheirBeats() {
    double[][] leads = {withNoise(rec208.leadsMv()[0], 30, 90, -6, 3)};
    EcgAnalysis a = analyzer.analyze(leads, 360);
    assertThat(a.insufficientData()).isEmpty();
    assertThat(a.unusableSeconds()).isBetween(40.0, 75.0);
    assertThat(a.unusableSegments())
        .allSatisfy(s -> assertThat(s.reason()).isEqualTo(SignalQuality.Reason.NOISE));
    for (Beat b : a.beats()) {
      boolean inBad =
          a.unusableSegments().stream()
              .anyMatch(s -> b.sample() >= s.startSample() && b.sample() < s.endSample());
      if (inBad) {
        assertThat(b.beatClass()).isEqualTo(AamiClass.Q);
        assertThat(b.confidence()).isZero();
      } else {
        assertThat(b.beatClass()).isNotEqualTo(AamiClass.Q);
      }
    }
    // outside the noise, the V beats of 208 are still found
    assertThat(a.count(AamiClass.V)).isGreaterThan(30);
    assertThat(a.heartRateBpm()).isBetween(60.0, 120.0);
  }

  @Test
  void aWhollyNoisyRecordingIsInsufficientDataWithTheReason() {
    SplittableRandom rnd = new SplittableRandom(5);
    double[] noise = new double[60 * 360];
    Biquad lp = Biquad.lowPass(40, 360);
    for (int i = 0; i < noise.length; i++) {
      noise[i] = lp.filter(rnd.nextGaussian());
    }
    EcgAnalysis a = analyzer.analyze(new double[][] {noise}, 360);
    assertThat(a.insufficientData())
        .hasValueSatisfying(r -> assertThat(r).contains("usable signal").contains("noise"));
    assertThat(a.beats()).isEmpty();
    assertThat(a.unusableSeconds()).isGreaterThan(50.0);
  }

  @Test
  void agreementIsTheF1OfTwoBeatLists() {
    int[] a = {100, 500, 900, 1300};
    int[] b = {110, 520, 1200, 1310};
    // 100~110, 500~520, 1300~1310 match within 54 samples; 900 and 1200 do not
    assertThat(SignalQuality.agreement(a, b, 0, 2000, 54)).isEqualTo(2.0 * 3 / 8);
    assertThat(SignalQuality.agreement(a, b, 2000, 3000, 54)).isEqualTo(1.0);
  }
}
