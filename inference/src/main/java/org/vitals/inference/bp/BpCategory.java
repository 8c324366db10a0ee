package org.vitals.inference.bp;

/**
 * Adult blood-pressure category of the 2017 ACC/AHA guideline (Whelton PK et al., Hypertension
 * 2018;71:e13–e115, table 6) plus its hypertensive-crisis threshold (section 11.2: systolic > 180
 * and/or diastolic > 120 mmHg).
 *
 * <p>When systolic and diastolic fall in different categories the higher one applies.
 */
public enum BpCategory {
  NORMAL("Normal"),
  ELEVATED("Elevated"),
  STAGE_1_HYPERTENSION("Stage 1 hypertension"),
  STAGE_2_HYPERTENSION("Stage 2 hypertension"),
  HYPERTENSIVE_CRISIS("Hypertensive crisis");

  private final String label;

  BpCategory(String label) {
    this.label = label;
  }

  /** The guideline's wording. */
  public String label() {
    return label;
  }

  /** Category of one reading or of an average of readings. */
  public static BpCategory of(double systolic, double diastolic) {
    if (systolic > 180 || diastolic > 120) {
      return HYPERTENSIVE_CRISIS;
    }
    if (systolic >= 140 || diastolic >= 90) {
      return STAGE_2_HYPERTENSION;
    }
    if (systolic >= 130 || diastolic >= 80) {
      return STAGE_1_HYPERTENSION;
    }
    if (systolic >= 120) {
      return ELEVATED;
    }
    return NORMAL;
  }

  /** Category of one reading. */
  public static BpCategory of(BloodPressureReading reading) {
    return of(reading.systolic(), reading.diastolic());
  }
}
