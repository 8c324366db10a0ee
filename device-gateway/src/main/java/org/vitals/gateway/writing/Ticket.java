package org.vitals.gateway.writing;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One inbound message (MQTT message or dead-letter replay) and what to do once every measurement it
 * produced is settled (written to FHIR or safely dead-lettered): for MQTT, the PUBACK.
 */
public final class Ticket {
  private final String source;
  private final String topic;
  private final byte[] payload;
  private final Instant receivedAt;
  private final Runnable onSettled;
  private final AtomicInteger outstanding = new AtomicInteger(1);
  private final java.util.List<String> rejections =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  private volatile String subject;

  public Ticket(
      String source, String topic, byte[] payload, Instant receivedAt, Runnable onSettled) {
    this.source = source;
    this.topic = topic;
    this.payload = payload;
    this.receivedAt = receivedAt;
    this.onSettled = onSettled;
  }

  public String source() {
    return source;
  }

  public String topic() {
    return topic;
  }

  public byte[] payload() {
    return payload;
  }

  public Instant receivedAt() {
    return receivedAt;
  }

  /**
   * The patient the message itself names (HL7 v2 PID), which takes precedence over the device
   * assignment; null for sensor readings (the usual case).
   */
  public String subject() {
    return subject;
  }

  public Ticket subject(String patientReference) {
    this.subject = patientReference;
    return this;
  }

  /** Notes that a part of this message was dead-lettered (for NACKs that say why). */
  public void rejected(String reasonCode, String detail) {
    rejections.add(reasonCode + ": " + detail);
  }

  /** What was dead-lettered from this message so far, as "reason: detail". */
  public java.util.List<String> rejections() {
    synchronized (rejections) {
      return java.util.List.copyOf(rejections);
    }
  }

  /** Registers {@code n} more measurements that must settle before this ticket does. */
  public void expect(int n) {
    outstanding.addAndGet(n);
  }

  /** Settles one part; the last one runs the completion (exactly once). */
  public void settle() {
    if (outstanding.decrementAndGet() == 0) {
      onSettled.run();
    }
  }
}
