package org.vitals.gateway.deadletter;

/** A reading that cannot be written, with the reason that sends it to the dead-letter store. */
public class ReadingRejectedException extends RuntimeException {
  private final DeadLetterReason reason;

  public ReadingRejectedException(DeadLetterReason reason, String detail) {
    super(detail);
    this.reason = reason;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
