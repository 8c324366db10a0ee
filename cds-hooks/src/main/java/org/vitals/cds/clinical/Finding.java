package org.vitals.cds.clinical;

import java.util.List;

/**
 * A clinical finding a rule produced, before it becomes a CDS card, an alert or a recommendation.
 *
 * @param topic a stable code for the kind of finding ("news2", "bp", ...)
 * @param indicator how urgent, by the rule's clinical source
 * @param summary one sentence under 140 characters
 * @param detail Markdown with the numbers that led to it
 * @param source the guideline or model card it rests on
 * @param orders clinician actions that fit, if any
 */
public record Finding(
    String topic,
    Indicator indicator,
    String summary,
    String detail,
    Guideline source,
    List<SuggestedOrder> orders) {

  /** Maximum summary length (CDS Hooks 2.0: "<140 characters"). */
  public static final int MAX_SUMMARY = 139;

  public Finding {
    if (summary.length() > MAX_SUMMARY) {
      summary = summary.substring(0, MAX_SUMMARY - 1) + "…";
    }
    orders = List.copyOf(orders);
  }

  /** Urgency of a finding, the three CDS Hooks indicators. */
  public enum Indicator {
    INFO,
    WARNING,
    CRITICAL;

    /** The CDS Hooks value. */
    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The more urgent of two. */
    public Indicator max(Indicator other) {
      return compareTo(other) >= 0 ? this : other;
    }
  }

  /**
   * A clinician order a card can suggest (created as a draft ServiceRequest).
   *
   * @param label what the suggestion says
   * @param system code system of the order
   * @param code the code
   * @param display the code's display
   * @param reason why it is suggested
   * @param recommended whether it is the recommended choice
   */
  public record SuggestedOrder(
      String label,
      String system,
      String code,
      String display,
      String reason,
      boolean recommended) {}
}
