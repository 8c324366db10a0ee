package org.vitals.inference.spo2;

/** Why an SpO2 sample was excluded from analysis. */
public enum ArtefactReason {
  /** No value was recorded (NaN). */
  MISSING,
  /** The probe reports zero or a value no living patient shows (probe off or no perfusion). */
  PROBE_OFF,
  /** A step faster than blood can desaturate, typical of motion or a loose probe. */
  MOTION
}
