package org.vitals.inference.news2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** NEWS2 against the RCP 2017 chart: every band edge, and worked examples scored by hand. */
class News2Test {

  /** A set that scores 0 everywhere; each test changes one or more parameters. */
  private static News2Input normal() {
    return News2Input.onAir(16, 98, 120, 70, ConsciousnessLevel.ALERT, 37.0);
  }

  @ParameterizedTest(name = "RR {0} scores {1}")
  @CsvSource({
    "0,3", "8,3", "9,1", "11,1", "12,0", "20,0", "21,2", "24,2", "25,3", "40,3", "8.4,3", "8.5,1"
  })
  void respirationRateBands(double rr, int expected) {
    assertThat(News2.respirationRate(rr)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "SpO2 scale 1 {0} scores {1}")
  @CsvSource({"70,3", "91,3", "92,2", "93,2", "94,1", "95,1", "96,0", "100,0", "91.5,2"})
  void spo2Scale1Bands(double spo2, int expected) {
    assertThat(News2.spo2Scale1(spo2)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "SpO2 scale 2 {0} on oxygen {1} scores {2}")
  @CsvSource({
    "83,false,3", "83,true,3", "84,true,2", "85,false,2", "86,true,1", "87,false,1",
    "88,true,0", "92,true,0", "93,false,0", "100,false,0", "93,true,1", "94,true,1",
    "95,true,2", "96,true,2", "97,true,3", "100,true,3"
  })
  void spo2Scale2Bands(double spo2, boolean oxygen, int expected) {
    assertThat(News2.spo2Scale2(spo2, oxygen)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "SBP {0} scores {1}")
  @CsvSource({"60,3", "90,3", "91,2", "100,2", "101,1", "110,1", "111,0", "219,0", "220,3"})
  void systolicBands(double sbp, int expected) {
    assertThat(News2.systolicBp(sbp)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "pulse {0} scores {1}")
  @CsvSource({
    "30,3", "40,3", "41,1", "50,1", "51,0", "90,0", "91,1", "110,1", "111,2", "130,2", "131,3"
  })
  void pulseBands(double hr, int expected) {
    assertThat(News2.pulse(hr)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "temperature {0} scores {1}")
  @CsvSource({
    "34.0,3", "35.0,3", "35.1,1", "36.0,1", "36.1,0", "38.0,0", "38.1,1", "39.0,1", "39.1,2",
    "41.0,2", "35.04,3", "35.05,1"
  })
  void temperatureBands(double t, int expected) {
    assertThat(News2.temperature(t)).isEqualTo(expected);
  }

  @Test
  void everyAbnormalConsciousnessLevelScoresThree() {
    assertThat(News2.consciousness(ConsciousnessLevel.ALERT)).isZero();
    for (ConsciousnessLevel level : ConsciousnessLevel.values()) {
      if (level != ConsciousnessLevel.ALERT) {
        assertThat(News2.consciousness(level)).as(level.name()).isEqualTo(3);
      }
    }
  }

  @Test
  void healthyAdultOnAirScoresZeroWithRoutineMonitoring() {
    News2Result r = News2.score(normal());
    assertThat(r.total()).isZero();
    assertThat(r.singleParameterScoresThree()).isFalse();
    assertThat(r.band()).isEqualTo(News2ResponseBand.NONE);
    assertThat(r.band().monitoringFrequency()).contains("12-hourly");
  }

  @Test
  void workedExampleLowBand() {
    // RR 22 (2) + SpO2 95 on air (1) + SBP 115 (0) + pulse 95 (1) + alert (0) + 37.5 (0) = 4.
    News2Result r = News2.score(News2Input.onAir(22, 95, 115, 95, ConsciousnessLevel.ALERT, 37.5));
    assertThat(r.total()).isEqualTo(4);
    assertThat(r.subScore(News2Parameter.RESPIRATION_RATE)).isEqualTo(2);
    assertThat(r.subScore(News2Parameter.SPO2)).isEqualTo(1);
    assertThat(r.subScore(News2Parameter.PULSE)).isEqualTo(1);
    assertThat(r.band()).isEqualTo(News2ResponseBand.LOW);
  }

  @Test
  void newConfusionAloneTriggersTheSingleParameterRule() {
    // Only new confusion scores: total 3, below 5, yet an urgent ward review (RCP chart 2).
    News2Result r =
        News2.score(News2Input.onAir(16, 98, 120, 70, ConsciousnessLevel.NEW_CONFUSION, 37.0));
    assertThat(r.total()).isEqualTo(3);
    assertThat(r.singleParameterScoresThree()).isTrue();
    assertThat(r.band()).isEqualTo(News2ResponseBand.LOW_MEDIUM);
    assertThat(r.band().clinicalRisk()).isEqualTo("low-medium");
  }

  @Test
  void workedExampleMediumBandOnOxygen() {
    // COPD-free patient on 2 L/min: RR 21 (2) + SpO2 96 scale 1 (0) + oxygen (2) + SBP 105 (1)
    // + pulse 88 (0) + alert (0) + 38.3 (1) = 6.
    News2Result r =
        News2.score(
            new News2Input(
                21, 96, SpO2Scale.SCALE_1, true, 105, 88, ConsciousnessLevel.ALERT, 38.3));
    assertThat(r.total()).isEqualTo(6);
    assertThat(r.subScore(News2Parameter.AIR_OR_OXYGEN)).isEqualTo(2);
    assertThat(r.singleParameterScoresThree()).isFalse();
    assertThat(r.band()).isEqualTo(News2ResponseBand.MEDIUM);
  }

  @Test
  void workedExampleHighBandSepsis() {
    // RR 26 (3) + SpO2 91 on air (3) + SBP 88 (3) + pulse 125 (2) + voice (3) + 39.4 (2) = 16.
    News2Result r = News2.score(News2Input.onAir(26, 91, 88, 125, ConsciousnessLevel.VOICE, 39.4));
    assertThat(r.total()).isEqualTo(16);
    assertThat(r.band()).isEqualTo(News2ResponseBand.HIGH);
    assertThat(r.band().monitoringFrequency()).contains("continuous");
  }

  @Test
  void scale2DoesNotPenaliseTargetSaturationButPenalisesOverOxygenation() {
    // Hypercapnic patient, target 88–92 %: SpO2 89 % on air scores 0 on scale 2 (3 on scale 1).
    News2Input onAir =
        new News2Input(18, 89, SpO2Scale.SCALE_2, false, 130, 80, ConsciousnessLevel.ALERT, 37.0);
    assertThat(News2.score(onAir).total()).isZero();
    // Same patient on oxygen reaching 97 %: 3 for SpO2 + 2 for oxygen = 5, medium band.
    News2Input overOxygenated =
        new News2Input(18, 97, SpO2Scale.SCALE_2, true, 130, 80, ConsciousnessLevel.ALERT, 37.0);
    News2Result r = News2.score(overOxygenated);
    assertThat(r.subScore(News2Parameter.SPO2)).isEqualTo(3);
    assertThat(r.total()).isEqualTo(5);
    assertThat(r.band()).isEqualTo(News2ResponseBand.MEDIUM);
  }

  @Test
  void publishedWorkedExampleCopdPatientOnOxygen() {
    // Example 1 of the news2_score documentation of the CRAN package cliot: COPD patient, RR 22
    // (+2), SpO2 90 % on scale 2 (0), on oxygen (+2), SBP 130, HR 80, alert, 37.0 °C: score 4.
    News2Result r =
        News2.score(
            new News2Input(
                22, 90, SpO2Scale.SCALE_2, true, 130, 80, ConsciousnessLevel.ALERT, 37.0));
    assertThat(r.total()).isEqualTo(4);
    assertThat(r.subScore(News2Parameter.SPO2)).isZero();
    assertThat(r.band()).isEqualTo(News2ResponseBand.LOW);
    // The same observations on scale 1 would score 3 for SpO2 and reach the medium band.
    News2Result scale1 =
        News2.score(
            new News2Input(
                22, 90, SpO2Scale.SCALE_1, true, 130, 80, ConsciousnessLevel.ALERT, 37.0));
    assertThat(scale1.total()).isEqualTo(7);
    assertThat(scale1.band()).isEqualTo(News2ResponseBand.HIGH);
  }

  @Test
  void totalOfSevenIsHighEvenWithoutARedScore() {
    // RR 22 (2) + SpO2 93 (2) + SBP 95 (2) + pulse 105 (1) = 7, no single 3.
    News2Result r = News2.score(News2Input.onAir(22, 93, 95, 105, ConsciousnessLevel.ALERT, 37.0));
    assertThat(r.total()).isEqualTo(7);
    assertThat(r.singleParameterScoresThree()).isFalse();
    assertThat(r.band()).isEqualTo(News2ResponseBand.HIGH);
  }

  @Test
  void missingOrWrongUnitValuesAreRejectedWithTheParameterName() {
    assertThatThrownBy(
            () -> News2Input.onAir(Double.NaN, 98, 120, 70, ConsciousnessLevel.ALERT, 37.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("respirationRate");
    assertThatThrownBy(() -> News2Input.onAir(16, 0.97, 120, 70, ConsciousnessLevel.ALERT, 37.0))
        .hasMessageContaining("spo2Percent");
    assertThatThrownBy(() -> News2Input.onAir(16, 98, 120, 70, ConsciousnessLevel.ALERT, 98.6))
        .hasMessageContaining("Fahrenheit");
    assertThatThrownBy(() -> News2Input.onAir(16, 98, 120, 70, null, 37.0))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("consciousness");
  }
}
