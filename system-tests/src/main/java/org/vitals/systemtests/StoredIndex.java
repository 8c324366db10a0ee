package org.vitals.systemtests;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the FHIR server holds: for each reading identity, the Observations (logical id and {@code
 * meta.lastUpdated}) that carry it. Two different logical ids for one identity are a doubled
 * reading; a new version of the same Observation is not.
 */
public final class StoredIndex {
  private final ConcurrentHashMap<String, Map<String, Long>> copies = new ConcurrentHashMap<>();

  /** Records an Observation seen on the server (idempotent). */
  public void add(String identity, String observationId, long lastUpdated) {
    copies
        .computeIfAbsent(identity, k -> new ConcurrentHashMap<>())
        .merge(observationId, lastUpdated, Math::min);
  }

  /** How many distinct Observations carry this identity. */
  public int copies(String identity) {
    Map<String, Long> m = copies.get(identity);
    return m == null ? 0 : m.size();
  }

  /** Epoch ms when the first Observation of this identity was stored, or -1. */
  public long firstStored(String identity) {
    Map<String, Long> m = copies.get(identity);
    if (m == null || m.isEmpty()) {
      return -1;
    }
    long min = Long.MAX_VALUE;
    for (long t : m.values()) {
      min = Math.min(min, t);
    }
    return min;
  }

  /** Identities seen at all. */
  public int size() {
    return copies.size();
  }
}
