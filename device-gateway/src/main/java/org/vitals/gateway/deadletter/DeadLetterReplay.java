package org.vitals.gateway.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.vitals.gateway.writing.ReadingPipeline;
import org.vitals.gateway.writing.Ticket;

/**
 * Replays dead letters through the whole pipeline (after a template or assignment fix). The entry
 * is marked {@code replayed} once its readings are written or dead-lettered again (a new entry then
 * holds the new reason).
 */
public class DeadLetterReplay {
  private final DeadLetterStore store;
  private final ReadingPipeline pipeline;

  public DeadLetterReplay(DeadLetterStore store, ReadingPipeline pipeline) {
    this.store = store;
    this.pipeline = pipeline;
  }

  public CompletableFuture<Void> replay(DeadLetter d) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Ticket ticket =
        new Ticket(
            "replay:" + d.id(),
            d.topic(),
            d.payload().getBytes(StandardCharsets.UTF_8),
            Instant.now(),
            () -> {
              store.markReplayed(d.id(), "replayed");
              done.complete(null);
            });
    pipeline.submit(ticket);
    return done;
  }

  /** Replays and waits up to {@code seconds}; true when it settled. */
  public boolean replayAndWait(DeadLetter d, long seconds) {
    try {
      replay(d).get(seconds, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
