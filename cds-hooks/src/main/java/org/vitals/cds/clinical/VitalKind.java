package org.vitals.cds.clinical;

/**
 * The measurements the rules read, with the codes they are recognised by (LOINC as in the FHIR R4
 * vital-signs profiles, docs/wire-format.md) and the unit every value is converted to.
 */
public enum VitalKind {
  HEART_RATE("8867-4", "Heart rate", "/min"),
  SPO2("2708-6", "SpO2", "%"),
  RESPIRATORY_RATE("9279-1", "Respiratory rate", "/min"),
  TEMPERATURE("8310-5", "Temperature", "°C"),
  SYSTOLIC_BP("8480-6", "Systolic BP", "mmHg"),
  DIASTOLIC_BP("8462-4", "Diastolic BP", "mmHg"),
  GLUCOSE("2339-0", "Glucose", "mg/dL"),
  OXYGEN_FLOW("3151-8", "Inhaled O2 flow", "L/min"),
  OXYGEN_CONCENTRATION("3150-0", "Inhaled O2 concentration", "%"),
  CONSCIOUSNESS("67775-7", "Level of consciousness (ACVPU)", "");

  private final String loinc;
  private final String label;
  private final String unit;

  VitalKind(String loinc, String label, String unit) {
    this.loinc = loinc;
    this.label = label;
    this.unit = unit;
  }

  /** The main LOINC code. */
  public String loinc() {
    return loinc;
  }

  /** A short human name. */
  public String label() {
    return label;
  }

  /** The unit values are held in. */
  public String unit() {
    return unit;
  }
}
