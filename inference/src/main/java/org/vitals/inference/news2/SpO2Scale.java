package org.vitals.inference.news2;

/**
 * Which NEWS2 oxygen-saturation scale applies (RCP 2017).
 *
 * <p>Scale 2 is only for patients with a clinician-confirmed target range of 88–92 % (typically
 * hypercapnic respiratory failure); everyone else is scored on Scale 1.
 */
public enum SpO2Scale {
  SCALE_1,
  SCALE_2
}
