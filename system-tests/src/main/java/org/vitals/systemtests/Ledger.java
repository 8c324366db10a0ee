package org.vitals.systemtests;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every reading the publisher sent: its identity ({@code dev:boot:seq}, the value of the
 * Observation identifier {@code urn:vitals:sid:reading}), the phase it was sent in, when it was
 * first published and when the broker first acknowledged it (PUBACK). Thread-safe.
 */
public final class Ledger {

  /** One reading. Its topic and payload are kept so that it can be published again. */
  public static final class Entry {
    final String identity;
    final String phase;
    final long sentAt;
    final String topic;
    final byte[] payload;
    volatile long ackedAt;
    volatile long lastAttempt;
    volatile int attempts;

    public Entry(String identity, String phase, long sentAt, String topic, byte[] payload) {
      this.identity = identity;
      this.phase = phase;
      this.sentAt = sentAt;
      this.topic = topic;
      this.payload = payload;
    }

    public String identity() {
      return identity;
    }

    public String phase() {
      return phase;
    }

    /** Epoch ms of the first publish. */
    public long sentAt() {
      return sentAt;
    }

    /** Epoch ms of the first PUBACK, 0 while not acknowledged. */
    public long ackedAt() {
      return ackedAt;
    }

    public boolean acked() {
      return ackedAt > 0;
    }

    public int attempts() {
      return attempts;
    }
  }

  private final ConcurrentHashMap<String, Entry> all = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Entry> pending = new ConcurrentHashMap<>();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong republished = new AtomicLong();
  private final ConcurrentHashMap<String, Long> phaseStarts = new ConcurrentHashMap<>();
  private volatile String phase = "start";

  /** The phase new readings belong to from now on. */
  public void phase(String name) {
    phase(name, System.currentTimeMillis());
  }

  /**
   * The phase new readings belong to from {@code now} (epoch ms) on. The first switch to a phase is
   * its start: recorded before the name changes, so its readings are published after it.
   */
  public void phase(String name, long now) {
    phaseStarts.putIfAbsent(name, now);
    this.phase = name;
  }

  /**
   * Epoch ms when the phase began: no reading of it was published earlier, whatever the suite did
   * in between (a phase begins while the previous one is still being counted). -1 for a phase that
   * never began.
   */
  public long phaseStart(String name) {
    return phaseStarts.getOrDefault(name, -1L);
  }

  public String phase() {
    return phase;
  }

  /** Records a new reading (before its first publish). */
  public Entry sent(String identity, String topic, byte[] payload, long now) {
    Entry e = new Entry(identity, phase, now, topic, payload);
    if (all.putIfAbsent(identity, e) != null) {
      throw new IllegalStateException("reading " + identity + " recorded twice");
    }
    pending.put(identity, e);
    return e;
  }

  /** The broker acknowledged a publish of this reading. */
  public void acked(Entry e, long now) {
    if (e.ackedAt == 0) {
      synchronized (e) {
        if (e.ackedAt == 0) {
          e.ackedAt = now;
          acked.incrementAndGet();
        }
      }
    }
    pending.remove(e.identity);
  }

  void attempt(Entry e, long now) {
    if (e.attempts > 0) {
      republished.incrementAndGet();
    }
    e.attempts++;
    e.lastAttempt = now;
  }

  /** Readings not acknowledged whose last publish is older than {@code cutoff} (epoch ms). */
  public List<Entry> unackedSince(long cutoff) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : pending.values()) {
      if (e.lastAttempt < cutoff) {
        out.add(e);
      }
    }
    return out;
  }

  public Collection<Entry> entries() {
    return all.values();
  }

  public long sentCount() {
    return all.size();
  }

  public long ackedCount() {
    return acked.get();
  }

  public long pendingCount() {
    return pending.size();
  }

  /** Publishes of readings that had been published before (no PUBACK in time). */
  public long republishedCount() {
    return republished.get();
  }
}
