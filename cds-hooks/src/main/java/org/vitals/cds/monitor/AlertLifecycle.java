package org.vitals.cds.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.vitals.cds.clinical.News2Assessment;

/**
 * The NEWS2 deterioration alert of one patient: raised, escalated, acknowledged, resolved. Pure:
 * the monitor feeds it sustained scores and clock ticks and writes what it says.
 *
 * <ul>
 *   <li>Raise when the sustained NEWS2 reaches a band that calls for a response (a single parameter
 *       scoring 3, or 5 and more); one alert per episode: further readings update it.
 *   <li>Escalate at once when the band rises to a higher level, and when an alert stays
 *       unacknowledged for its level's timeout (one level up, to the emergency level at most).
 *   <li>Acknowledged alerts do not escalate on time; a rise in band escalates them again.
 *   <li>Hysteresis: resolve only when the score has stayed at 2 or less with no parameter scoring 3
 *       for {@code resolveAfter} of measurement time; scores between keep the alert as it is.
 * </ul>
 */
public final class AlertLifecycle {

  /** The lifecycle states (the DetectedIssue tag codes). */
  public enum State {
    NONE,
    RAISED,
    ESCALATED,
    ACKNOWLEDGED,
    RESOLVED;

    /** The tag code. */
    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether an alert is open. */
    public boolean open() {
      return this == RAISED || this == ESCALATED || this == ACKNOWLEDGED;
    }
  }

  /** What happened, for the writer. */
  public enum Change {
    RAISED,
    ESCALATED,
    ACKNOWLEDGED,
    RESOLVED,
    UPDATED
  }

  /** Timeouts and hysteresis. */
  public record Policy(
      Duration ackTimeoutWard,
      Duration ackTimeoutUrgent,
      Duration ackTimeoutEmergency,
      Duration resolveAfter) {

    Duration ackTimeout(AlertLevel level) {
      return switch (level) {
        case WARD_REVIEW -> ackTimeoutWard;
        case URGENT_RESPONSE -> ackTimeoutUrgent;
        case EMERGENCY_RESPONSE -> ackTimeoutEmergency;
      };
    }
  }

  private final Policy policy;
  private State state = State.NONE;
  private AlertLevel level;
  private Instant episodeStart;
  private Instant episodeEnd;
  private Instant lastNotified;
  private Instant clearSince;
  private int escalations;
  private int lastScore = -1;
  private String reason;

  public AlertLifecycle(Policy policy) {
    this.policy = policy;
  }

  /**
   * Takes a new sustained score.
   *
   * @param a NEWS2 of the sustained values
   * @param measuredAt measurement time of the newest reading behind it
   * @param now wall clock (for acknowledgement timeouts)
   */
  public Optional<Change> evaluate(News2Assessment a, Instant measuredAt, Instant now) {
    AlertLevel wanted = AlertLevel.of(a.result().band());
    int score = a.result().total();
    boolean clear = score <= 2 && !a.result().singleParameterScoresThree();
    if (!state.open()) {
      if (wanted == null) {
        return Optional.empty();
      }
      state = State.RAISED;
      level = wanted;
      episodeStart = measuredAt;
      episodeEnd = null;
      lastNotified = now;
      clearSince = null;
      escalations = 0;
      lastScore = score;
      reason = "NEWS2 " + score + " calls for " + wanted.who();
      return Optional.of(Change.RAISED);
    }
    if (wanted != null && wanted.number() > level.number()) {
      level = wanted;
      state = State.ESCALATED;
      escalations++;
      lastNotified = now;
      clearSince = null;
      lastScore = score;
      reason = "NEWS2 rose to " + score + ": " + wanted.who();
      return Optional.of(Change.ESCALATED);
    }
    if (clear) {
      if (clearSince == null) {
        clearSince = measuredAt;
      } else if (!measuredAt.isBefore(clearSince.plus(policy.resolveAfter()))) {
        state = State.RESOLVED;
        episodeEnd = measuredAt;
        lastScore = score;
        reason = "NEWS2 " + score + " for " + policy.resolveAfter().toMinutes() + " min or more";
        return Optional.of(Change.RESOLVED);
      }
    } else {
      clearSince = null;
    }
    if (score != lastScore) {
      lastScore = score;
      return Optional.of(Change.UPDATED);
    }
    return Optional.empty();
  }

  /** True when an unacknowledged alert has waited its level's timeout (check for an ack first). */
  public boolean escalationDue(Instant now) {
    return (state == State.RAISED || state == State.ESCALATED)
        && level != AlertLevel.EMERGENCY_RESPONSE
        && !now.isBefore(lastNotified.plus(policy.ackTimeout(level)));
  }

  /** Escalates an unacknowledged alert one level. */
  public Change escalateOnTimeout(Instant now) {
    Duration waited = Duration.between(lastNotified, now);
    level = level.next();
    state = State.ESCALATED;
    escalations++;
    lastNotified = now;
    reason = "not acknowledged for " + waited.toSeconds() + " s: " + level.who();
    return Change.ESCALATED;
  }

  /** A clinician acknowledged the alert; empty if it was not open or already acknowledged. */
  public Optional<Change> acknowledge() {
    if (state != State.RAISED && state != State.ESCALATED) {
      return Optional.empty();
    }
    state = State.ACKNOWLEDGED;
    reason = "acknowledged at " + level.who();
    return Optional.of(Change.ACKNOWLEDGED);
  }

  /** Continues an open alert found on the FHIR server (after a restart). */
  public void restore(
      State open, AlertLevel level, Instant episodeStart, int escalations, Instant now) {
    this.state = open;
    this.level = level;
    this.episodeStart = episodeStart;
    this.escalations = escalations;
    this.lastNotified = now;
    this.reason = "continued after a restart of the monitor";
  }

  public State state() {
    return state;
  }

  public AlertLevel level() {
    return level;
  }

  public Instant episodeStart() {
    return episodeStart;
  }

  public Instant episodeEnd() {
    return episodeEnd;
  }

  /** When the current level was notified (raised or escalated). */
  public Instant lastNotified() {
    return lastNotified;
  }

  public int escalations() {
    return escalations;
  }

  /** Why the last change happened. */
  public String reason() {
    return reason;
  }
}
