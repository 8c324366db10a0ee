package org.vitals.inference.bp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ACC/AHA 2017 categories, crisis flag, variability and robust trend on constructed series. */
class BloodPressureAnalysisTest {

  private static final Instant T0 = Instant.parse("2026-01-01T08:00:00Z");

  @ParameterizedTest(name = "{0}/{1} is {2}")
  @CsvSource({
    "119,79,NORMAL",
    "120,79,ELEVATED",
    "129,79,ELEVATED",
    "130,70,STAGE_1_HYPERTENSION",
    "118,80,STAGE_1_HYPERTENSION",
    "139,89,STAGE_1_HYPERTENSION",
    "140,70,STAGE_2_HYPERTENSION",
    "125,90,STAGE_2_HYPERTENSION",
    "180,120,STAGE_2_HYPERTENSION",
    "181,100,HYPERTENSIVE_CRISIS",
    "150,121,HYPERTENSIVE_CRISIS"
  })
  void accAha2017Categories(double sys, double dia, BpCategory expected) {
    assertThat(BpCategory.of(sys, dia)).isEqualTo(expected);
  }

  @Test
  void mannKendallMatchesTheTextbookValueForAMonotoneSeries() {
    // n = 5 strictly increasing: S = 10, Var(S) = 5*4*15/18, z = 9/sqrt(16.67) = 2.2045,
    // two-sided p = 0.0275.
    RobustTrend trend = RobustTrend.fit(new double[] {0, 1, 2, 3, 4}, new double[] {1, 2, 3, 4, 5});
    assertThat(trend.mannKendallS()).isEqualTo(10);
    assertThat(trend.z()).isCloseTo(2.2045, within(1e-3));
    assertThat(trend.pValue()).isCloseTo(0.0275, within(5e-4));
    assertThat(trend.slopePerDay()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void tiesReduceTheVariance() {
    assertThat(RobustTrend.mannKendallVariance(new double[] {1, 1, 2, 3}))
        .isCloseTo((4 * 3 * 13 - 2 * 1 * 9) / 18.0, within(1e-12));
  }

  @Test
  void theilSenIgnoresAWhiteCoatSpikeThatTiltsLeastSquares() {
    // 30 days, systolic rising 0.5 mmHg/day, one 60 mmHg spike on the last day.
    List<BloodPressureReading> readings = new ArrayList<>();
    Random noise = new Random(7);
    for (int day = 0; day < 30; day++) {
      double sys = 125 + 0.5 * day + noise.nextGaussian() * 3 + (day == 29 ? 60 : 0);
      readings.add(new BloodPressureReading(T0.plus(Duration.ofDays(day)), sys, 80));
    }
    BloodPressureSummary s = BloodPressureAnalysis.analyse(readings);
    assertThat(s.systolicTrend()).isPresent();
    assertThat(s.systolicTrend().get().slopePerDay()).isCloseTo(0.5, within(0.15));
    assertThat(s.systolicRising()).isTrue();
    assertThat(s.crisis()).isTrue();
    assertThat(s.highestCategory()).isEqualTo(BpCategory.HYPERTENSIVE_CRISIS);
    // The ordinary least-squares slope is pulled well above the true 0.5 by the spike.
    double[] t = new double[30];
    double[] y = new double[30];
    for (int i = 0; i < 30; i++) {
      t[i] = i;
      y[i] = readings.get(i).systolic();
    }
    assertThat(leastSquaresSlope(t, y)).isGreaterThan(0.7);
  }

  @Test
  void stableNoisySeriesHasNoSignificantTrendAndAStablePeriodCategory() {
    List<BloodPressureReading> readings = new ArrayList<>();
    Random noise = new Random(11);
    for (int i = 0; i < 56; i++) {
      readings.add(
          new BloodPressureReading(
              T0.plus(Duration.ofHours(12L * i)),
              134 + noise.nextGaussian() * 6,
              84 + noise.nextGaussian() * 4));
    }
    BloodPressureSummary s = BloodPressureAnalysis.analyse(readings);
    assertThat(s.systolicTrend().get().significantAt(0.05)).isFalse();
    assertThat(s.systolicRising()).isFalse();
    assertThat(s.periodCategory()).isEqualTo(BpCategory.STAGE_1_HYPERTENSION);
    assertThat(s.crisis()).isFalse();
    assertThat(s.systolicVariability().get().sd()).isCloseTo(6, within(1.5));
    // ARV of white noise is about 2/sqrt(pi) * sd = 1.13 sd.
    assertThat(s.systolicVariability().get().arv()).isCloseTo(6 * 1.13, within(2.0));
    assertThat(s.categoryCounts().values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(56);
  }

  @Test
  void variabilityOfAKnownSeries() {
    BloodPressureVariability v = BloodPressureVariability.of(new double[] {120, 130, 125, 135});
    assertThat(v.mean()).isEqualTo(127.5);
    assertThat(v.sd()).isCloseTo(Math.sqrt(125.0 / 3), within(1e-3));
    assertThat(v.arv()).isCloseTo((10 + 5 + 10) / 3.0, within(1e-12));
  }

  @Test
  void tooFewReadingsGiveNoTrendRatherThanANumber() {
    BloodPressureSummary s =
        BloodPressureAnalysis.analyse(
            List.of(
                new BloodPressureReading(T0, 150, 95),
                new BloodPressureReading(T0.plusSeconds(600), 146, 92)));
    assertThat(s.systolicTrend()).isEmpty();
    assertThat(s.systolicVariability()).isPresent();
    assertThat(s.periodCategory()).isEqualTo(BpCategory.STAGE_2_HYPERTENSION);
  }

  @Test
  void badReadingsAreRejectedWithTheValue() {
    assertThatThrownBy(() -> BloodPressureAnalysis.analyse(List.of()))
        .hasMessageContaining("no blood-pressure readings");
    assertThatThrownBy(() -> new BloodPressureReading(T0, 16.0, 10.7)).hasMessageContaining("kPa");
    assertThatThrownBy(() -> new BloodPressureReading(T0, 80, 120))
        .hasMessageContaining("not below systolic");
    assertThatThrownBy(() -> new BloodPressureReading(T0, Double.NaN, 80))
        .hasMessageContaining("missing");
  }

  private static double leastSquaresSlope(double[] t, double[] y) {
    double mt = 0;
    double my = 0;
    for (int i = 0; i < t.length; i++) {
      mt += t[i];
      my += y[i];
    }
    mt /= t.length;
    my /= t.length;
    double num = 0;
    double den = 0;
    for (int i = 0; i < t.length; i++) {
      num += (t[i] - mt) * (y[i] - my);
      den += (t[i] - mt) * (t[i] - mt);
    }
    return num / den;
  }
}
