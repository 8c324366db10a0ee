package org.vitals.gateway.deadletter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  /**
   * Lists entries, newest first unless {@code order=oldest}; filters by reason, device and status
   * ({@code open} unless {@code all} or {@code replayed}). {@code next} is the cursor of the next
   * page ({@code before} for newest first, {@code after} for oldest first), absent on the last.
   */
  @GetMapping
  public Map<String, Object> list(
      @RequestParam(required = false) String reason,
      @RequestParam(required = false) String device,
      @RequestParam(required = false, defaultValue = "open") String status,
      @RequestParam(required = false, defaultValue = "newest") String order,
      @RequestParam(required = false, defaultValue = "100") int limit,
      @RequestParam(required = false, defaultValue = "0") long after,
      @RequestParam(required = false, defaultValue = "0") long before) {
    boolean newest =
        switch (order) {
          case "newest" -> true;
          case "oldest" -> false;
          default ->
              throw new ResponseStatusException(
                  HttpStatus.BAD_REQUEST, "order must be newest or oldest, not '" + order + "'");
        };
    if (newest && after > 0 || !newest && before > 0) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST,
          "use before= with order=newest and after= with order=oldest (or give order=oldest)");
    }
    if (!List.of("open", "replayed", "all").contains(status)) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST, "status must be open, replayed or all, not '" + status + "'");
    }
    int n = Math.min(Math.max(limit, 1), 1000);
    DeadLetterStore.Query q =
        new DeadLetterStore.Query(
            blankToNull(reason),
            blankToNull(device),
            status.equals("all") ? null : status,
            newest,
            newest ? before : after,
            n);
    List<DeadLetter> entries = store.list(q);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("total", store.count(q));
    out.put("order", newest ? "newest" : "oldest");
    out.put("entries", entries);
    if (entries.size() == n) {
      long last = entries.get(entries.size() - 1).id();
      out.put("next", (newest ? "before=" : "after=") + last);
    }
    return out;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
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

  /**
   * Replays the open entries of a reason and/or a device (e.g. {@code reason=unassigned-device} and
   * {@code device=} after that device's assignment), oldest first, at most {@code limit}.
   */
  @PostMapping("/replay")
  public Map<String, Object> replayAll(
      @RequestParam(required = false) String reason,
      @RequestParam(required = false) String device,
      @RequestParam(defaultValue = "1000") int limit) {
    if (blankToNull(reason) == null && blankToNull(device) == null) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST, "give reason= or device= (or both) to choose what to replay");
    }
    int max = Math.min(Math.max(limit, 1), 10000);
    List<Long> ids = new ArrayList<>();
    var futures = new ArrayList<java.util.concurrent.CompletableFuture<Void>>();
    long cursor = 0;
    // Only what is there now: a replay that fails again adds a new entry, not to be replayed here.
    long lastNow = store.lastId();
    paging:
    while (ids.size() < max) {
      List<DeadLetter> page =
          store.list(
              new DeadLetterStore.Query(
                  blankToNull(reason),
                  blankToNull(device),
                  "open",
                  false,
                  cursor,
                  Math.min(1000, max - ids.size())));
      if (page.isEmpty()) {
        break;
      }
      for (DeadLetter d : page) {
        if (d.id() > lastNow) {
          break paging;
        }
        ids.add(d.id());
        futures.add(replay.replay(d));
        cursor = d.id();
      }
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
