package org.vitals.inference.glucose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped ONNX forecaster through its public API: forecasts, alerts, insufficient data. */
class GlucoseForecasterTest {

  private static GlucoseModel model;
  private static GlucoseForecaster forecaster;

  @BeforeAll
  static void load() throws Exception {
    model = GlucoseModel.loadDefault();
    forecaster = new GlucoseForecaster(model);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void aSteadyDayForecastsAboutTheSameLevel() {
    GlucoseForecast f = forecaster.forecast(GlucoseFixtures.line(288, 110, 0));
    assertThat(f.status()).isEqualTo(GlucoseForecast.Status.OK);
    GlucoseForecast.Prediction p = f.predicted().orElseThrow();
    assertThat(p.lastMgdl()).isEqualTo(110.0);
    assertThat(p.mgdl30()).isCloseTo(110, within(5.0));
    assertThat(p.mgdl60()).isCloseTo(110, within(8.0));
    assertThat(p.hypoBelow70Within60()).isFalse();
    assertThat(p.hyperAbove180Within60()).isFalse();
  }

  @Test
  void forecastsFollowTheDirectionOfTheTrend() {
    // Least squares on real CGM learns that trends continue only in part (about half of a linear
    // extrapolation over 30 min; see the model card), but the direction must be right.
    GlucoseForecast.Prediction falling =
        forecaster.forecast(GlucoseFixtures.line(12, 128, -3)).predicted().orElseThrow();
    assertThat(falling.lastMgdl()).isEqualTo(95.0);
    assertThat(falling.mgdl30()).isLessThan(95.0);
    GlucoseForecast.Prediction rising =
        forecaster.forecast(GlucoseFixtures.line(12, 80, 4)).predicted().orElseThrow();
    assertThat(rising.lastMgdl()).isEqualTo(124.0);
    assertThat(rising.mgdl30()).isGreaterThan(124.0);
  }

  @Test
  void lowAndFallingRaisesTheHypoAlertHighAndRisingTheHyperAlert() {
    GlucoseForecast.Prediction low =
        forecaster.forecast(GlucoseFixtures.line(12, 100, -3)).predicted().orElseThrow();
    assertThat(low.lastMgdl()).isEqualTo(67.0);
    assertThat(low.hypoBelow70Within30()).isTrue();
    assertThat(low.hyperAbove180Within60()).isFalse();
    GlucoseForecast.Prediction high =
        forecaster.forecast(GlucoseFixtures.line(12, 160, 4)).predicted().orElseThrow();
    assertThat(high.mgdl30()).isGreaterThan(190);
    assertThat(high.hyperAbove180Within60()).isTrue();
    assertThat(high.hypoBelow70Within60()).isFalse();
  }

  @Test
  void alertLevelsFollowTheConsensusThresholds() {
    GlucoseForecast.Prediction p =
        GlucoseForecast.Prediction.of(GlucoseFixtures.T0, 80, 69.9, 53.9);
    assertThat(p.hypoBelow70Within30()).isTrue();
    assertThat(p.hypoBelow70Within60()).isTrue();
    assertThat(p.hypoBelow54Within60()).isTrue();
    GlucoseForecast.Prediction q = GlucoseForecast.Prediction.of(GlucoseFixtures.T0, 170, 180, 180);
    assertThat(q.hyperAbove180Within60()).isFalse();
    assertThat(q.hyperAbove250Within60()).isFalse();
    assertThat(
            GlucoseForecast.Prediction.of(GlucoseFixtures.T0, 170, 181, 251)
                .hyperAbove250Within60())
        .isTrue();
  }

  @Test
  void tooShortOrGappyHistoryIsInsufficientDataWithAReason() {
    GlucoseForecast shortHistory = forecaster.forecast(GlucoseFixtures.line(11, 100, 0));
    assertThat(shortHistory.status()).isEqualTo(GlucoseForecast.Status.INSUFFICIENT_DATA);
    assertThat(shortHistory.reason()).contains("got 11");
    assertThat(shortHistory.predicted()).isEmpty();

    List<CgmReading> gappy = new ArrayList<>(GlucoseFixtures.line(30, 100, 0));
    gappy.remove(25); // a 10-min gap 20 min before the end
    GlucoseForecast g = forecaster.forecast(gappy);
    assertThat(g.status()).isEqualTo(GlucoseForecast.Status.INSUFFICIENT_DATA);
    assertThat(g.reason()).contains("gap of 600 s");

    assertThat(forecaster.forecast(null).status())
        .isEqualTo(GlucoseForecast.Status.INSUFFICIENT_DATA);
    assertThat(forecaster.forecast(List.of()).status())
        .isEqualTo(GlucoseForecast.Status.INSUFFICIENT_DATA);
  }

  @Test
  void duplicatesAndOrderDoNotMatter() {
    List<CgmReading> r = GlucoseFixtures.line(40, 120, 1.5);
    List<CgmReading> shuffled = new ArrayList<>(r);
    java.util.Collections.reverse(shuffled);
    shuffled.add(r.get(39));
    assertThat(forecaster.forecast(shuffled)).isEqualTo(forecaster.forecast(r));
  }

  @Test
  void nanAndWrongUnitsNeverReachTheModel() {
    assertThatThrownBy(() -> GlucoseFixtures.every5min(100, Double.NaN))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> GlucoseFixtures.every5min(6.2)).hasMessageContaining("mmol/L");
  }
}
