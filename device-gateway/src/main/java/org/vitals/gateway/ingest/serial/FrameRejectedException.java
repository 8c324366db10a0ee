package org.vitals.gateway.ingest.serial;

/** A serial line that is not a valid record, with the protocol's rejection reason. */
public class FrameRejectedException extends RuntimeException {
  private final String reason;

  public FrameRejectedException(String reason, String detail) {
    super(detail);
    this.reason = reason;
  }

  /** One of empty, comment, too-long, no-start, no-crc, bad-char, bad-crc, unknown-type, … */
  public String reason() {
    return reason;
  }
}
