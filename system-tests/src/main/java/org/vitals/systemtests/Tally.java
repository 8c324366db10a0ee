package org.vitals.systemtests;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Counts of one phase (or of a whole run): readings sent, acknowledged by the broker, stored on the
 * FHIR server, lost (acknowledged but not stored) and doubled (stored as more than one
 * Observation), and the publish-to-stored latencies of the stored ones.
 */
public record Tally(
    String phase,
    long sent,
    long acked,
    long stored,
    long lost,
    long doubled,
    long storedUnacked,
    Percentiles latency) {

  /** Counts the readings of {@code phase} ({@code null}: every reading) against the store. */
  public static Tally of(String phase, Collection<Ledger.Entry> entries, StoredIndex store) {
    long sent = 0, acked = 0, stored = 0, lost = 0, doubled = 0, storedUnacked = 0;
    List<Long> lat = new ArrayList<>();
    for (Ledger.Entry e : entries) {
      if (phase != null && !phase.equals(e.phase())) {
        continue;
      }
      sent++;
      int copies = store.copies(e.identity());
      if (e.acked()) {
        acked++;
        if (copies == 0) {
          lost++;
        }
      } else if (copies > 0) {
        storedUnacked++;
      }
      if (copies > 0) {
        stored++;
        lat.add(Math.max(0, store.firstStored(e.identity()) - e.sentAt()));
      }
      if (copies > 1) {
        doubled++;
      }
    }
    long[] l = new long[lat.size()];
    for (int i = 0; i < l.length; i++) {
      l[i] = lat.get(i);
    }
    return new Tally(
        phase == null ? "all" : phase,
        sent,
        acked,
        stored,
        lost,
        doubled,
        storedUnacked,
        new Percentiles(l));
  }

  /**
   * The acknowledged readings of {@code phase} not stored yet, earliest published first, at most
   * {@code limit}: their identities say which device and gateway logs to read.
   */
  public static List<Ledger.Entry> notStored(
      String phase, Collection<Ledger.Entry> entries, StoredIndex store, int limit) {
    return entries.stream()
        .filter(e -> phase == null || phase.equals(e.phase()))
        .filter(e -> e.acked() && store.copies(e.identity()) == 0)
        .sorted(java.util.Comparator.comparingLong(Ledger.Entry::sentAt))
        .limit(limit)
        .toList();
  }

  /** Every acknowledged reading is stored, none twice. */
  public boolean exact() {
    return lost == 0 && doubled == 0;
  }
}
