package org.vitals.gateway.deadletter;

import java.time.Instant;

/**
 * One dead-lettered input: the original topic and payload, the reason and when, and the device it
 * came from when known (native topic, or the parsed reading).
 */
public record DeadLetter(
    long id,
    Instant receivedAt,
    Instant deadLetteredAt,
    String source,
    String topic,
    String reason,
    String detail,
    String identity,
    String device,
    String payload,
    String status,
    Instant replayedAt) {}
