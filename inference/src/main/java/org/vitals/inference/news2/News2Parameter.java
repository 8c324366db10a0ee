package org.vitals.inference.news2;

/** The seven physiological parameters that make up the NEWS2 aggregate score. */
public enum News2Parameter {
  RESPIRATION_RATE,
  SPO2,
  AIR_OR_OXYGEN,
  SYSTOLIC_BP,
  PULSE,
  CONSCIOUSNESS,
  TEMPERATURE
}
