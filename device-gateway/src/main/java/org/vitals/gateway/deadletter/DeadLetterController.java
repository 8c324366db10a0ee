package org.vitals.gateway.deadletter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** HTTP API of the dead-letter store: list, show, replay one, replay all of a reason. */
@RestController
@RequestMapping("/api/dead-letters")
public class DeadLetterController {
  private final DeadLetterStore store;
  private final DeadLetterReplay replay;

  public DeadLetterController(DeadLetterStore store, DeadLetterReplay replay) {
    this.store = store;
    this.replay = replay;
  }

  @GetMapping
  public Map<String, Object> list(
      @RequestParam(required = false) String reason,
      @RequestParam(required = false, defaultValue = "open") String status,
      @RequestParam(required = false, defaultValue = "100") int limit,
      @RequestParam(required = false, defaultValue = "0") long after) {
    String st = status.equals("all") ? null : status;
    return Map.of(
        "total", store.count(reason, st),
        "entries", store.list(reason, st, Math.min(Math.max(limit, 1), 1000), after));
  }

  @GetMapping("/{id}")
  public DeadLetter get(@PathVariable long id) {
    return store
        .get(id)
        .orElseThrow(
            () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no dead letter " + id));
  }

  /** Replays one entry and waits (up to 30 s) until it is written or dead-lettered again. */
  @PostMapping("/{id}/replay")
  public Map<String, Object> replayOne(@PathVariable long id) {
    DeadLetter d = get(id);
    if (!d.status().equals("open")) {
      throw new ResponseStatusException(
          HttpStatus.CONFLICT, "dead letter " + id + " is " + d.status() + ", not open");
    }
    boolean settled = replay.replayAndWait(d, 30);
    return Map.of("id", id, "settled", settled, "entry", store.get(id).orElseThrow());
  }

  /** Replays every open entry of a reason (e.g. unassigned-device after an assignment). */
  @PostMapping("/replay")
  public Map<String, Object> replayAll(
      @RequestParam String reason, @RequestParam(defaultValue = "1000") int limit) {
    List<Long> ids = new ArrayList<>();
    var futures = new ArrayList<java.util.concurrent.CompletableFuture<Void>>();
    for (DeadLetter d : store.list(reason, "open", Math.min(limit, 10000), 0)) {
      ids.add(d.id());
      futures.add(replay.replay(d));
    }
    boolean settled;
    try {
      java.util.concurrent.CompletableFuture.allOf(
              futures.toArray(new java.util.concurrent.CompletableFuture[0]))
          .get(60, java.util.concurrent.TimeUnit.SECONDS);
      settled = true;
    } catch (Exception e) {
      settled = false;
    }
    return Map.of("replayed", ids.size(), "ids", ids, "settled", settled);
  }
}
