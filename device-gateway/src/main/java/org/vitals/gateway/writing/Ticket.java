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
