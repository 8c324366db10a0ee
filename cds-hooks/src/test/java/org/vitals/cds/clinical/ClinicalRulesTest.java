package org.vitals.cds.clinical;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vitals.cds.clinical.Finding.Indicator;
import org.vitals.inference.news2.News2ResponseBand;
import org.vitals.inference.news2.SpO2Scale;

class ClinicalRulesTest {

  @Test
  void stablePatientScoresZeroAndGetsAnInfoCardOnly() {
    PatientData data = Patients.stable().build();
    News2Assessment a = News2Assessment.latest(data);
    assertThat(a.result().total()).isZero();
    assertThat(a.complete()).isTrue();
    Finding f = News2Rule.assess(data).orElseThrow();
    assertThat(f.indicator()).isEqualTo(Indicator.INFO);
    assertThat(f.summary()).startsWith("NEWS2 0 (low risk)");
    assertThat(BloodPressureRule.assess(data)).isEmpty();
    assertThat(DataFreshnessRule.assess(data)).isEmpty();
    assertThat(OximetryRule.assess(data)).isEmpty();
  }

  @Test
  void deterioratingPatientIsCriticalWithTheNumbersAndAReviewSuggestion() {
    PatientData data = Patients.deteriorating().build();
    Finding f = News2Rule.assess(data).orElseThrow();
    // RR 26 → 3, SpO2 90 → 3, SBP 95 → 2, HR 125 → 2, T 38.6 → 1: 11 (RCP chart 1).
    assertThat(News2Assessment.latest(data).result().total()).isEqualTo(11);
    assertThat(f.indicator()).isEqualTo(Indicator.CRITICAL);
    assertThat(f.summary())
        .isEqualTo("NEWS2 11 (high risk): emergency response, continuous monitoring");
    assertThat(f.summary().length()).isLessThan(140);
    assertThat(f.detail())
        .contains("| Respiratory rate | 26 /min")
        .contains("| 3 |")
        .contains("Scale 1");
    assertThat(f.orders()).extracting(Finding.SuggestedOrder::code).contains("emergency-review");
    assertThat(f.source()).isEqualTo(Guideline.NEWS2);
  }

  @Test
  void singleParameterThreeIsLowMediumWarning() {
    PatientData data =
        Patients.stable().series(VitalKind.RESPIRATORY_RATE, 7, 3, 5, "Device/monitor").build();
    News2Assessment a = News2Assessment.latest(data);
    assertThat(a.result().band()).isEqualTo(News2ResponseBand.LOW_MEDIUM);
    assertThat(News2Rule.assess(data).orElseThrow().indicator()).isEqualTo(Indicator.WARNING);
  }

  @Test
  void missingParametersMakeALowerBoundThatTheCardSays() {
    PatientData data = new Patients().series(VitalKind.SPO2, 91, 10, 5, "Device/ox").build();
    News2Assessment a = News2Assessment.latest(data);
    assertThat(a.complete()).isFalse();
    assertThat(a.missing()).anyMatch(m -> m.startsWith("Respiratory rate"));
    Finding f = News2Rule.assess(data).orElseThrow();
    assertThat(f.summary()).startsWith("NEWS2 ≥ 3").contains("incomplete");
    assertThat(f.detail()).contains("lower bound").contains("ACVPU not recorded (assumed Alert)");
  }

  @Test
  void copdSelectsScale2AndTheCardSaysWhy() {
    ClinicalContext copd =
        new ClinicalContext("COPD (Condition/c1)", null, null, true, true, List.of());
    PatientData data =
        Patients.stable().series(VitalKind.SPO2, 89, 10, 5, "Device/monitor").context(copd).build();
    News2Assessment a = News2Assessment.latest(data);
    assertThat(a.scale()).isEqualTo(SpO2Scale.SCALE_2);
    assertThat(a.subScore(VitalKind.SPO2)).isZero(); // 88–92 % is the target on Scale 2
    assertThat(News2Rule.assess(data).orElseThrow().detail())
        .contains("Scale 2")
        .contains("COPD (Condition/c1)");
    PatientData scale1 =
        Patients.stable().series(VitalKind.SPO2, 89, 10, 5, "Device/monitor").build();
    assertThat(News2Assessment.latest(scale1).subScore(VitalKind.SPO2)).isEqualTo(3);
  }

  @Test
  void betaBlockerIsMentionedWithALowPulse() {
    ClinicalContext beta =
        new ClinicalContext(
            null, "bisoprolol (MedicationStatement/m1)", null, true, true, List.of());
    PatientData data =
        Patients.stable()
            .series(VitalKind.HEART_RATE, 48, 10, 5, "Device/monitor")
            .context(beta)
            .build();
    String detail = News2Rule.assess(data).orElseThrow().detail();
    assertThat(detail)
        .contains("beta-blocker (bisoprolol")
        .contains("low pulse of 48/min may be a drug effect");
  }

  @Test
  void hypertensiveCrisisIsCriticalAndSuggestsARepeat() {
    PatientData data =
        Patients.stable()
            .bp(150, 95, Patients.NOW.minus(Duration.ofDays(2)))
            .bp(186, 124, Patients.NOW.minusSeconds(60))
            .build();
    Finding f = BloodPressureRule.assess(data).orElseThrow();
    assertThat(f.indicator()).isEqualTo(Indicator.CRITICAL);
    assertThat(f.summary())
        .isEqualTo("Hypertensive crisis reading 186/124 mmHg: assess for target-organ damage");
    assertThat(f.orders())
        .singleElement()
        .satisfies(o -> assertThat(o.code()).isEqualTo("46973005"));
  }

  @Test
  void risingStage2PressureIsAWarningWithItsTrend() {
    Patients p = new Patients();
    for (int d = 20; d >= 0; d--) {
      p.bp(130 + (20 - d) * 1.5, 85, Patients.NOW.minus(Duration.ofDays(d)));
    }
    Finding f = BloodPressureRule.assess(p.build()).orElseThrow();
    assertThat(f.indicator()).isEqualTo(Indicator.WARNING);
    assertThat(f.summary()).contains("Stage 2 hypertension").contains("systolic rising");
    assertThat(f.detail()).contains("1.50 mmHg/day");
  }

  @Test
  void silentDeviceGetsAWarning() {
    PatientData data =
        new Patients()
            .series(VitalKind.HEART_RATE, 70, 30, 5, "Device/monitor")
            .at(VitalKind.SPO2, 97, Patients.NOW.minusSeconds(3600))
            .at(VitalKind.SPO2, 97, Patients.NOW.minusSeconds(3595))
            .at(VitalKind.SPO2, 97, Patients.NOW.minusSeconds(3590))
            .build();
    Finding f = DataFreshnessRule.assess(data).orElseThrow();
    assertThat(f.indicator()).isEqualTo(Indicator.WARNING);
    assertThat(f.summary())
        .isEqualTo("Device Device/d1 silent for 59 min: readings may be missing");
  }

  @Test
  void noVitalsForADayIsAWarning() {
    PatientData data =
        new Patients().at(VitalKind.HEART_RATE, 70, Patients.NOW.minus(Duration.ofDays(3))).build();
    assertThat(DataFreshnessRule.assess(data).orElseThrow().summary())
        .startsWith("No vital signs recorded in the last 24 h");
  }

  @Test
  void sustainedDesaturationIsFoundFromOneHertzReadings() {
    Patients p = new Patients();
    for (int s = 600; s >= 0; s--) {
      double v = s <= 200 && s > 80 ? 86 : 96; // 120 s below 90 %
      p.at(VitalKind.SPO2, v, Patients.NOW.minusSeconds(s));
    }
    Optional<Finding> f = OximetryRule.assess(p.build());
    assertThat(f).isPresent();
    assertThat(f.get().summary()).startsWith("Sustained hypoxaemia: SpO2 below 90 % for");
    assertThat(f.get().indicator()).isEqualTo(Indicator.CRITICAL);
    assertThat(f.get().detail()).contains("| Nadir | 86 % |");
  }

  @Test
  void everySummaryStaysUnder140Characters() {
    String longSummary = "x".repeat(300);
    Finding f = new Finding("t", Indicator.INFO, longSummary, "d", Guideline.NEWS2, List.of());
    assertThat(f.summary().length()).isLessThan(140);
  }
}
