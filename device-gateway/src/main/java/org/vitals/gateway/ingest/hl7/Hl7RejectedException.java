package org.vitals.gateway.ingest.hl7;

import org.vitals.gateway.deadletter.DeadLetterReason;

/**
 * A message we cannot take, with the ACK code ({@code AE} application error, {@code AR} reject),
 * the HL7 error code (table 0357), the location (e.g. {@code OBX-5}) and the dead-letter reason.
 */
public class Hl7RejectedException extends RuntimeException {
  private final String ackCode;
  private final String errorCode;
  private final String location;
  private final DeadLetterReason reason;

  public Hl7RejectedException(
      String ackCode, String errorCode, String location, DeadLetterReason reason, String text) {
    super(text);
    this.ackCode = ackCode;
    this.errorCode = errorCode;
    this.location = location;
    this.reason = reason;
  }

  public String ackCode() {
    return ackCode;
  }

  /** HL7 table 0357: 100 segment sequence, 101 required field missing, 102 data type, … */
  public String errorCode() {
    return errorCode;
  }

  public String location() {
    return location;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
