package org.vitals.cds.clinical;

import java.util.List;

/**
 * What the patient's conditions and medications change about the vitals rules.
 *
 * @param spo2Scale2Reason why NEWS2 SpO2 Scale 2 applies (e.g. "COPD (Condition/c1)"), or null
 * @param betaBlocker the beta-blocker the patient takes (e.g. "bisoprolol"), or null
 * @param diabetes a diabetes condition, or null
 * @param conditionsRead whether conditions could be read at all
 * @param medicationsRead whether medications could be read at all
 * @param notes what was read and could not be used
 */
public record ClinicalContext(
    String spo2Scale2Reason,
    String betaBlocker,
    String diabetes,
    boolean conditionsRead,
    boolean medicationsRead,
    List<String> notes) {

  /** Nothing known. */
  public static ClinicalContext unknown() {
    return new ClinicalContext(null, null, null, false, false, List.of());
  }

  /** True when SpO2 Scale 2 applies. */
  public boolean spo2Scale2() {
    return spo2Scale2Reason != null;
  }

  /** True when the patient takes a beta-blocker. */
  public boolean onBetaBlocker() {
    return betaBlocker != null;
  }
}
