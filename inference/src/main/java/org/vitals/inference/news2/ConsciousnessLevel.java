package org.vitals.inference.news2;

/**
 * ACVPU level of consciousness as NEWS2 records it (RCP 2017, chart 1): Alert, new Confusion,
 * responds to Voice, responds to Pain, Unresponsive.
 */
public enum ConsciousnessLevel {
  ALERT,
  NEW_CONFUSION,
  VOICE,
  PAIN,
  UNRESPONSIVE
}
