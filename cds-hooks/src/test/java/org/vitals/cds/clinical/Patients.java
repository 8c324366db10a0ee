package org.vitals.cds.clinical;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds PatientData for rule tests: readings every {@code stepSeconds} up to {@code now}. */
public final class Patients {

  public static final Instant NOW = Instant.parse("2026-01-08T19:00:00Z");

  private final List<Reading> readings = new ArrayList<>();
  private ClinicalContext context = new ClinicalContext(null, null, null, true, true, List.of());
  private int seq;

  public Patients series(VitalKind kind, double value, int count, int stepSeconds, String device) {
    for (int i = count - 1; i >= 0; i--) {
      readings.add(
          new Reading(
              kind,
              NOW.minusSeconds((long) i * stepSeconds),
              value,
              device,
              "Observation/o" + seq++));
    }
    return this;
  }

  public Patients at(VitalKind kind, double value, Instant t) {
    readings.add(new Reading(kind, t, value, "Device/d1", "Observation/o" + seq++));
    return this;
  }

  public Patients bp(double sys, double dia, Instant t) {
    String obs = "Observation/bp" + seq++;
    readings.add(new Reading(VitalKind.SYSTOLIC_BP, t, sys, "Device/cuff", obs));
    readings.add(new Reading(VitalKind.DIASTOLIC_BP, t, dia, "Device/cuff", obs));
    return this;
  }

  public Patients context(ClinicalContext c) {
    this.context = c;
    return this;
  }

  /** A stable ward patient: every NEWS2 parameter normal. */
  public static Patients stable() {
    return new Patients()
        .series(VitalKind.HEART_RATE, 72, 60, 5, "Device/monitor")
        .series(VitalKind.SPO2, 97, 60, 5, "Device/monitor")
        .series(VitalKind.RESPIRATORY_RATE, 14, 60, 5, "Device/monitor")
        .series(VitalKind.TEMPERATURE, 36.8, 2, 1800, "Device/thermo")
        .bp(116, 74, NOW.minusSeconds(600))
        .at(VitalKind.CONSCIOUSNESS, 0, NOW.minusSeconds(600))
        .at(VitalKind.OXYGEN_FLOW, 0, NOW.minusSeconds(600));
  }

  /** A deteriorating patient: RR 26, SpO2 90, SBP 95, HR 125, T 38.6 → NEWS2 3+3+2+2+1 = 11. */
  public static Patients deteriorating() {
    return new Patients()
        .series(VitalKind.HEART_RATE, 125, 60, 5, "Device/monitor")
        .series(VitalKind.SPO2, 90, 60, 5, "Device/monitor")
        .series(VitalKind.RESPIRATORY_RATE, 26, 60, 5, "Device/monitor")
        .series(VitalKind.TEMPERATURE, 38.6, 2, 1800, "Device/thermo")
        .bp(95, 60, NOW.minusSeconds(300))
        .at(VitalKind.CONSCIOUSNESS, 0, NOW.minusSeconds(600))
        .at(VitalKind.OXYGEN_FLOW, 0, NOW.minusSeconds(600));
  }

  public PatientData build() {
    return new PatientData("p1", NOW, readings, List.of(), context);
  }
}
