package org.vitals.cds.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vitals.cds.clinical.ClinicalContext;
import org.vitals.cds.clinical.News2Assessment;
import org.vitals.cds.clinical.Reading;
import org.vitals.cds.clinical.VitalKind;
import org.vitals.cds.monitor.AlertLifecycle.Change;
import org.vitals.cds.monitor.AlertLifecycle.State;

class AlertLifecycleTest {

  static final Instant T0 = Instant.parse("2026-01-08T19:00:00Z");
  static final ClinicalContext CTX = new ClinicalContext(null, null, null, true, true, List.of());

  final AlertLifecycle.Policy policy =
      new AlertLifecycle.Policy(
          Duration.ofMinutes(30),
          Duration.ofMinutes(15),
          Duration.ofMinutes(5),
          Duration.ofMinutes(5));

  SustainedVitals vitals = new SustainedVitals();

  /** Adds the five parameters at time t (continuous ones every second from t0). */
  void normalBackground(Instant from, Instant to) {
    for (Instant t = from; !t.isAfter(to); t = t.plusSeconds(1)) {
      vitals.add(new Reading(VitalKind.HEART_RATE, t, 75, "Device/m", null));
      vitals.add(new Reading(VitalKind.RESPIRATORY_RATE, t, 15, "Device/m", null));
      vitals.add(new Reading(VitalKind.SPO2, t, 97, "Device/m", null));
    }
    vitals.add(new Reading(VitalKind.TEMPERATURE, from, 37, "Device/t", null));
    vitals.add(new Reading(VitalKind.SYSTOLIC_BP, from, 125, "Device/c", null));
  }

  News2Assessment at(Instant t) {
    return News2Assessment.of(vitals.sustained(t, CTX), CTX);
  }

  @Test
  void aBriefSpo2ArtefactRaisesNothing() {
    normalBackground(T0, T0.plusSeconds(60));
    AlertLifecycle life = new AlertLifecycle(policy);
    // 8 s of a slipping probe (SpO2 70 %), then normal again.
    for (int s = 61; s <= 68; s++) {
      vitals.add(new Reading(VitalKind.SPO2, T0.plusSeconds(s), 70, "Device/m", null));
      assertThat(life.evaluate(at(T0.plusSeconds(s)), T0.plusSeconds(s), T0)).isEmpty();
    }
    normalBackground(T0.plusSeconds(69), T0.plusSeconds(120));
    assertThat(life.evaluate(at(T0.plusSeconds(120)), T0.plusSeconds(120), T0)).isEmpty();
    assertThat(life.state()).isEqualTo(State.NONE);
  }

  @Test
  void sustainedDesaturationRaisesOnceAfterItsMinimumDuration() {
    normalBackground(T0, T0.plusSeconds(60));
    AlertLifecycle life = new AlertLifecycle(policy);
    int raised = 0;
    Instant raisedAt = null;
    for (int s = 61; s <= 120; s++) {
      Instant t = T0.plusSeconds(s);
      vitals.add(new Reading(VitalKind.SPO2, t, 88, "Device/m", null));
      Optional<Change> c = life.evaluate(at(t), t, T0);
      if (c.equals(Optional.of(Change.RAISED))) {
        raised++;
        raisedAt = t;
      }
    }
    assertThat(raised).isEqualTo(1);
    // Raised once SpO2 ≤ 91 % had held for its 15 s (first low reading at 61 s).
    assertThat(raisedAt).isEqualTo(T0.plusSeconds(76));
    assertThat(life.level()).isEqualTo(AlertLevel.WARD_REVIEW);
  }

  @Test
  void aRisingBandEscalatesAtOnce() {
    AlertLifecycle life = new AlertLifecycle(policy);
    assertThat(life.evaluate(score(Map.of(VitalKind.RESPIRATORY_RATE, 26.0)), T0, T0))
        .contains(Change.RAISED);
    assertThat(life.level()).isEqualTo(AlertLevel.WARD_REVIEW);
    Optional<Change> c =
        life.evaluate(
            score(
                Map.of(
                    VitalKind.RESPIRATORY_RATE,
                    26.0,
                    VitalKind.SPO2,
                    90.0,
                    VitalKind.HEART_RATE,
                    135.0)),
            T0.plusSeconds(60),
            T0.plusSeconds(60));
    assertThat(c).contains(Change.ESCALATED);
    assertThat(life.level()).isEqualTo(AlertLevel.EMERGENCY_RESPONSE);
    assertThat(life.state()).isEqualTo(State.ESCALATED);
  }

  @Test
  void unacknowledgedAlertsEscalateOnTimeAndAcknowledgedOnesDoNot() {
    AlertLifecycle life = new AlertLifecycle(policy);
    life.evaluate(score(Map.of(VitalKind.RESPIRATORY_RATE, 26.0)), T0, T0);
    assertThat(life.escalationDue(T0.plus(Duration.ofMinutes(29)))).isFalse();
    assertThat(life.escalationDue(T0.plus(Duration.ofMinutes(30)))).isTrue();
    life.escalateOnTimeout(T0.plus(Duration.ofMinutes(30)));
    assertThat(life.level()).isEqualTo(AlertLevel.URGENT_RESPONSE);
    assertThat(life.escalations()).isEqualTo(1);

    assertThat(life.acknowledge()).contains(Change.ACKNOWLEDGED);
    assertThat(life.escalationDue(T0.plus(Duration.ofHours(5)))).isFalse();
    assertThat(life.state()).isEqualTo(State.ACKNOWLEDGED);
  }

  @Test
  void resolvesOnlyAfterTheScoreStaysLowLongEnough() {
    AlertLifecycle life = new AlertLifecycle(policy);
    life.evaluate(score(Map.of(VitalKind.RESPIRATORY_RATE, 26.0)), T0, T0);
    News2Assessment normal = score(Map.of());
    News2Assessment between =
        score(Map.of(VitalKind.HEART_RATE, 115.0, VitalKind.RESPIRATORY_RATE, 22.0));
    assertThat(life.evaluate(normal, T0.plusSeconds(60), T0))
        .isNotEqualTo(Optional.of(Change.RESOLVED));
    // A score of 4 (between the raise and clear thresholds) holds the alert and restarts the clock.
    life.evaluate(between, T0.plusSeconds(200), T0);
    assertThat(life.evaluate(normal, T0.plusSeconds(400), T0))
        .isNotEqualTo(Optional.of(Change.RESOLVED));
    assertThat(life.state().open()).isTrue();
    assertThat(life.evaluate(normal, T0.plusSeconds(700), T0)).contains(Change.RESOLVED);
    assertThat(life.state()).isEqualTo(State.RESOLVED);
    // A new episode afterwards is a new alert.
    assertThat(
            life.evaluate(score(Map.of(VitalKind.RESPIRATORY_RATE, 26.0)), T0.plusSeconds(800), T0))
        .contains(Change.RAISED);
  }

  static News2Assessment score(Map<VitalKind, Double> abnormal) {
    Map<VitalKind, Reading> v = new java.util.EnumMap<>(VitalKind.class);
    v.put(VitalKind.RESPIRATORY_RATE, new Reading(VitalKind.RESPIRATORY_RATE, T0, 15, null, null));
    v.put(VitalKind.SPO2, new Reading(VitalKind.SPO2, T0, 97, null, null));
    v.put(VitalKind.SYSTOLIC_BP, new Reading(VitalKind.SYSTOLIC_BP, T0, 125, null, null));
    v.put(VitalKind.HEART_RATE, new Reading(VitalKind.HEART_RATE, T0, 75, null, null));
    v.put(VitalKind.TEMPERATURE, new Reading(VitalKind.TEMPERATURE, T0, 37, null, null));
    abnormal.forEach((k, x) -> v.put(k, new Reading(k, T0, x, null, null)));
    return News2Assessment.of(v, CTX);
  }
}
