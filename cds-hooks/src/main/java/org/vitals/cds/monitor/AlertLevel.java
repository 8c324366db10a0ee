package org.vitals.cds.monitor;

import org.vitals.inference.news2.News2ResponseBand;

/**
 * Who an alert goes to, following the RCP 2017 NEWS2 response (chart 2 and table 2): level 1 the
 * registered nurse and ward clinician (a single parameter scoring 3), level 2 urgent review by a
 * clinician competent in acute illness (5–6), level 3 the emergency response team (7 or more).
 */
public enum AlertLevel {
  WARD_REVIEW(1, "urgent ward-based review by a clinician", "low"),
  URGENT_RESPONSE(2, "urgent response by a clinician competent in acute illness", "moderate"),
  EMERGENCY_RESPONSE(3, "emergency response by a team with critical-care competencies", "high");

  private final int number;
  private final String who;
  private final String severity;

  AlertLevel(int number, String who, String severity) {
    this.number = number;
    this.who = who;
    this.severity = severity;
  }

  /** 1, 2 or 3. */
  public int number() {
    return number;
  }

  /** Who responds at this level. */
  public String who() {
    return who;
  }

  /** The DetectedIssue severity (low, moderate, high). */
  public String severity() {
    return severity;
  }

  /** The level a band calls for; null when the band calls for no alert (none, low). */
  public static AlertLevel of(News2ResponseBand band) {
    return switch (band) {
      case NONE, LOW -> null;
      case LOW_MEDIUM -> WARD_REVIEW;
      case MEDIUM -> URGENT_RESPONSE;
      case HIGH -> EMERGENCY_RESPONSE;
    };
  }

  /** The next level up, or this one at the top. */
  public AlertLevel next() {
    return this == EMERGENCY_RESPONSE ? this : values()[ordinal() + 1];
  }
}
