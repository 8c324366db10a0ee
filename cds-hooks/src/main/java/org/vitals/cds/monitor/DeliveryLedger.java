package org.vitals.cds.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which vital-sign Observations the monitor has received, by windows of the FHIR server's {@code
 * meta.lastUpdated} (decision 0708). While the monitor runs, a notification can be lost without the
 * Subscription looking any different (the FHIR server gave up on a delivery that timed out, or died
 * between commit and matching); the watermark does not notice, because later deliveries move it on.
 * Once a window has settled, the monitor asks the server how many vital signs it holds in that
 * window ({@code _summary=count}) and replays the window when it holds more than were received.
 * Thread-safe.
 */
public final class DeliveryLedger {

  /** One window to check: [start, end) in the server's clock, and the distinct ids received. */
  public record Window(Instant start, Instant end, int received) {}

  private final long windowMillis;
  private final TreeMap<Long, Set<String>> received = new TreeMap<>();
  private Long checkedUpTo; // windows starting before this (epoch ms) are done

  /**
   * @param window the length of one window
   */
  public DeliveryLedger(Duration window) {
    this.windowMillis = window.toMillis();
  }

  /**
   * Starts checking at {@code from}: windows before it are the start-up catch-up's; called once,
   * when the first catch-up begins (later calls are ignored).
   */
  public synchronized void checkFrom(Instant from) {
    if (checkedUpTo == null) {
      checkedUpTo = floor(from.toEpochMilli()) + windowMillis; // the first whole window
    }
  }

  /** An Observation last updated at {@code updated} was received (by delivery or catch-up). */
  public synchronized void received(String id, Instant updated) {
    if (id == null || updated == null) {
      return;
    }
    long w = floor(updated.toEpochMilli());
    if (checkedUpTo != null && w < checkedUpTo) {
      return; // a window already checked (a replay of it, or a very late commit)
    }
    received.computeIfAbsent(w, k -> new HashSet<>()).add(id);
  }

  /** The windows that ended at or before {@code settledBefore} and are not checked yet. */
  public synchronized List<Window> due(Instant settledBefore) {
    List<Window> out = new ArrayList<>();
    if (checkedUpTo == null) {
      return out;
    }
    for (long w = checkedUpTo;
        w + windowMillis <= settledBefore.toEpochMilli();
        w += windowMillis) {
      Set<String> ids = received.get(w);
      out.add(
          new Window(
              Instant.ofEpochMilli(w),
              Instant.ofEpochMilli(w + windowMillis),
              ids == null ? 0 : ids.size()));
    }
    return out;
  }

  /** The window starting at {@code start} is checked (and replayed if it had to be). */
  public synchronized void checked(Instant start) {
    long w = start.toEpochMilli();
    if (checkedUpTo != null && w >= checkedUpTo) {
      checkedUpTo = w + windowMillis;
    }
    for (Map.Entry<Long, Set<String>> e = received.firstEntry();
        e != null && e.getKey() < checkedUpTo;
        e = received.firstEntry()) {
      received.pollFirstEntry();
    }
  }

  private long floor(long millis) {
    return Math.floorDiv(millis, windowMillis) * windowMillis;
  }
}
