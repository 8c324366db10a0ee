package org.vitals.inference.ecg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitals.inference.ecg.eval.EcgEvaluation;

/** The public entry point with the shipped ONNX model, on the committed fixture. */
class EcgAnalyzerTest {

  private static EcgAnalyzer analyzer;

  @BeforeAll
  static void load() {
    analyzer = EcgAnalyzer.withDefaultModel();
  }

  @AfterAll
  static void close() {
    analyzer.close();
  }

  @Test
  void classifiesTheVentricularBeatsOfRecord208() throws Exception {
    MitRecord rec = MitRecord.read(EcgTestData.fixture(), "208a");
    EcgAnalysis a = analyzer.analyze(rec.leadsMv(), rec.fs());
    assertThat(a.insufficientData()).isEmpty();
    EcgEvaluation eval = new EcgEvaluation();
    eval.add("208a", a, rec.reference(), rec.fs());
    assertThat(eval.qrsSe()).isGreaterThanOrEqualTo(99);
    assertThat(eval.classes().se(AamiClass.V)).isGreaterThanOrEqualTo(90);
    assertThat(eval.classes().ppv(AamiClass.V)).isGreaterThanOrEqualTo(80);
    assertThat(a.heartRateBpm()).isBetween(60.0, 120.0);
    assertThat(a.beats()).allSatisfy(b -> assertThat(b.confidence()).isBetween(0f, 1f));
  }

  @Test
  void findsTheAtrialFibrillationEpisodeOfRecord201() throws Exception {
    MitRecord rec = MitRecord.read(EcgTestData.fixture(), "201a");
    EcgAnalysis a = analyzer.analyze(rec.leadsMv(), rec.fs());
    EcgEvaluation eval = new EcgEvaluation();
    eval.add("201a", a, rec.reference(), rec.fs());
    assertThat(rec.reference().afEpisodes()).hasSize(1);
    assertThat(a.afEpisodes()).isNotEmpty();
    assertThat(eval.af().durationSe()).isGreaterThanOrEqualTo(80);
    assertThat(eval.af().episodeSe()).isEqualTo(100);
  }

  @Test
  void otherSamplingRatesAreResampledAndReportedInTheCallersSamples() throws Exception {
    MitRecord rec = MitRecord.read(EcgTestData.fixture(), "208a");
    double[][] at250 = {
      Resampler.linear(rec.leadsMv()[0], 360, 250), Resampler.linear(rec.leadsMv()[1], 360, 250)
    };
    EcgAnalysis native360 = analyzer.analyze(rec.leadsMv(), 360);
    EcgAnalysis resampled = analyzer.analyze(at250, 250);
    assertThat(resampled.samplingRate()).isEqualTo(250);
    assertThat(resampled.beats().size())
        .isBetween(native360.beats().size() - 3, native360.beats().size() + 3);
    // the same beats, within 20 ms, at 250 Hz sample numbers
    int j = 0;
    int close = 0;
    for (Beat b : resampled.beats()) {
      double t = b.sample() / 250.0;
      while (j < native360.beats().size() - 1
          && native360.beats().get(j).sample() / 360.0 < t - 0.02) {
        j++;
      }
      if (Math.abs(native360.beats().get(j).sample() / 360.0 - t) <= 0.02) {
        close++;
      }
    }
    assertThat(close).isGreaterThanOrEqualTo((int) (0.98 * resampled.beats().size()));
  }

  @Test
  void badInputGetsAClearErrorOrTheInsufficientDataResult() {
    double[] ok = new double[36_000];
    double[] withGap = ok.clone();
    withGap[1234] = Double.NaN;
    assertThatThrownBy(() -> analyzer.analyze(new double[][] {withGap}, 360))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sample 1234 is NaN");
    assertThatThrownBy(() -> analyzer.analyze(new double[][] {ok, new double[10]}, 360))
        .hasMessageContaining("lead 1 has 10 samples");
    assertThatThrownBy(() -> analyzer.analyze(new double[][] {ok}, 50))
        .hasMessageContaining("50.0 Hz is outside");
    assertThatThrownBy(() -> analyzer.analyze(new double[0][], 360))
        .hasMessageContaining("no ECG lead");

    EcgAnalysis empty = analyzer.analyze(new double[][] {new double[0]}, 360);
    assertThat(empty.insufficientData()).hasValueSatisfying(r -> assertThat(r).contains("0.0 s"));
    assertThat(empty.beats()).isEmpty();
    assertThat(empty.heartRateBpm()).isNaN();

    EcgAnalysis shortOne = analyzer.analyze(new double[][] {new double[5 * 360]}, 360);
    assertThat(shortOne.insufficientData()).hasValueSatisfying(r -> assertThat(r).contains("10 s"));

    double[] flat = new double[60 * 360];
    Arrays.fill(flat, 0.3);
    EcgAnalysis flatLine = analyzer.analyze(new double[][] {flat}, 360);
    assertThat(flatLine.insufficientData())
        .hasValueSatisfying(r -> assertThat(r).contains("beats found"));
  }
}
