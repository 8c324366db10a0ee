package org.vitals.cds.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the monitor has processed the FHIR server's vital signs, in the server's own clock
 * ({@code meta.lastUpdated}), kept durably in a file so a restarted monitor knows where to catch up
 * from (decision 0706). The watermark is safe: it never passes a resource that was received but not
 * yet evaluated, because resources in flight hold it back (and a running catch-up pins it at its
 * start). Thread-safe.
 */
public final class Watermark {

  private static final Logger log = LoggerFactory.getLogger(Watermark.class);

  private final Path file;
  private final TreeMap<Instant, Integer> inFlight = new TreeMap<>();
  private Instant processed;
  private Instant persisted;

  /**
   * @param file where the watermark is kept; null: in memory only
   */
  public Watermark(Path file) {
    this.file = file;
    this.processed = read(file).orElse(null);
    this.persisted = processed;
  }

  /** The watermark as stored (or as far as processed in this run), if any. */
  public synchronized Optional<Instant> value() {
    return Optional.ofNullable(safe());
  }

  /** A resource last updated at {@code t} was received: hold the watermark at or before it. */
  public synchronized void begin(Instant t) {
    if (t != null) {
      inFlight.merge(t, 1, Integer::sum);
    }
  }

  /** The resource begun at {@code t} was evaluated (or given up on after a logged error). */
  public synchronized void done(Instant t) {
    if (t == null) {
      return;
    }
    inFlight.computeIfPresent(t, (k, n) -> n == 1 ? null : n - 1);
    if (processed == null || t.isAfter(processed)) {
      processed = t;
    }
  }

  private Instant safe() {
    if (!inFlight.isEmpty()) {
      Instant oldest = inFlight.firstKey();
      // Everything before the oldest resource in flight is done (or overlaps and is idempotent).
      return processed == null || oldest.isBefore(processed) ? oldest : processed;
    }
    return processed;
  }

  /** Writes the safe watermark if it moved (atomically: a crash leaves the old or the new one). */
  public void persist() {
    Instant now;
    synchronized (this) {
      now = safe();
      if (file == null || now == null || now.equals(persisted)) {
        return;
      }
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, now.toString() + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      synchronized (this) {
        persisted = now;
      }
    } catch (IOException e) {
      log.warn("cannot store the monitor watermark in {}: {}", file, e.toString());
    }
  }

  static Optional<Instant> read(Path file) {
    if (file == null || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(Files.readString(file, StandardCharsets.UTF_8).trim()));
    } catch (IOException | DateTimeParseException e) {
      log.warn("monitor watermark {} unreadable ({}); catching up from the FHIR server", file, e);
      return Optional.empty();
    }
  }
}
