package org.vitals.inference.news2;

/**
 * NEWS2 clinical risk and the response the RCP (2017, chart 2 and table 2) attaches to it.
 *
 * <p>The bands are checked from the top: an aggregate of 7 or more is {@link #HIGH} whatever the
 * single scores are; a single parameter scoring 3 lifts an aggregate of 1–4 to {@link #LOW_MEDIUM}.
 */
public enum News2ResponseBand {
  /** Aggregate 0. */
  NONE("low", "routine monitoring, minimum 12-hourly", "continue routine NEWS monitoring"),
  /** Aggregate 1–4 with no single parameter scoring 3. */
  LOW(
      "low",
      "minimum 4–6-hourly",
      "inform registered nurse, who decides whether to increase monitoring or escalate care"),
  /** A single parameter scores 3 (aggregate 3–4). */
  LOW_MEDIUM(
      "low-medium",
      "minimum 1-hourly",
      "urgent ward-based response: registered nurse informs a clinician who assesses the patient"),
  /** Aggregate 5–6. */
  MEDIUM(
      "medium",
      "minimum 1-hourly",
      "urgent response: key threshold for urgent review by a clinician competent in acute"
          + " illness"),
  /** Aggregate 7 or more. */
  HIGH(
      "high",
      "continuous monitoring of vital signs",
      "emergency response: team with critical-care competencies, consider transfer to"
          + " higher-dependency care");

  private final String clinicalRisk;
  private final String monitoringFrequency;
  private final String clinicalResponse;

  News2ResponseBand(String clinicalRisk, String monitoringFrequency, String clinicalResponse) {
    this.clinicalRisk = clinicalRisk;
    this.monitoringFrequency = monitoringFrequency;
    this.clinicalResponse = clinicalResponse;
  }

  /** The RCP wording of the clinical risk: low, low-medium, medium or high. */
  public String clinicalRisk() {
    return clinicalRisk;
  }

  /** The minimum frequency of observations the RCP asks for in this band. */
  public String monitoringFrequency() {
    return monitoringFrequency;
  }

  /** The RCP clinical response, in short. */
  public String clinicalResponse() {
    return clinicalResponse;
  }
}
