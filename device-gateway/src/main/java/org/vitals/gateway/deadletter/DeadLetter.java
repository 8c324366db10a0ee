package org.vitals.gateway.deadletter;

import java.time.Instant;

/** One dead-lettered input: the original topic and payload, the reason and when. */
public record DeadLetter(
    long id,
    Instant receivedAt,
    Instant deadLetteredAt,
    String source,
    String topic,
    String reason,
    String detail,
    String identity,
    String payload,
    String status,
    Instant replayedAt) {}
