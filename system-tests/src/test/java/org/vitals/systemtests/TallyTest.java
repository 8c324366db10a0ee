package org.vitals.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TallyTest {
  static Ledger.Entry entry(String id, String phase, long sent, long acked) {
    Ledger.Entry e = new Ledger.Entry(id, phase, sent, "t", new byte[0]);
    e.ackedAt = acked;
    return e;
  }

  @Test
  void countsSentAckedStoredLostAndDoubledPerPhase() {
    StoredIndex store = new StoredIndex();
    List<Ledger.Entry> entries =
        List.of(
            entry("d:1:1", "a", 1000, 1001), // stored once
            entry("d:1:2", "a", 1000, 1001), // acknowledged, never stored: lost
            entry("d:1:3", "a", 1000, 1002), // stored twice: doubled
            entry("d:1:4", "a", 1000, 0), // not acknowledged, not stored: not a loss
            entry("d:1:5", "a", 1000, 0), // not acknowledged but stored (PUBACK lost)
            entry("d:1:6", "b", 2000, 2001)); // other phase
    store.add("d:1:1", "obs1", 1100);
    store.add("d:1:3", "obs3", 1300);
    store.add("d:1:3", "obs3b", 1400);
    store.add("d:1:5", "obs5", 1500);
    store.add("d:1:6", "obs6", 2600);

    Tally a = Tally.of("a", entries, store);
    assertThat(a.sent()).isEqualTo(5);
    assertThat(a.acked()).isEqualTo(3);
    assertThat(a.stored()).isEqualTo(3);
    assertThat(a.lost()).isEqualTo(1);
    assertThat(a.doubled()).isEqualTo(1);
    assertThat(a.storedUnacked()).isEqualTo(1);
    assertThat(a.exact()).isFalse();
    // latencies: first copy of each stored reading minus its first publish
    assertThat(a.latency().count()).isEqualTo(3);
    assertThat(a.latency().max()).isEqualTo(500);
    assertThat(a.latency().at(50)).isEqualTo(300);

    Tally b = Tally.of("b", entries, store);
    assertThat(b.sent()).isEqualTo(1);
    assertThat(b.exact()).isTrue();
    assertThat(b.latency().max()).isEqualTo(600);

    assertThat(Tally.of(null, entries, store).sent()).isEqualTo(6);
  }

  @Test
  void aNewVersionOfTheSameObservationIsNotADouble() {
    StoredIndex store = new StoredIndex();
    store.add("d:1:1", "obs1", 1200);
    store.add("d:1:1", "obs1", 1100);
    assertThat(store.copies("d:1:1")).isEqualTo(1);
    assertThat(store.firstStored("d:1:1")).isEqualTo(1100);
    assertThat(store.firstStored("d:1:2")).isEqualTo(-1);
  }

  @Test
  void ledgerCountsAcknowledgementsOnceAndKeepsUnacknowledgedForResending() {
    Ledger l = new Ledger();
    l.phase("x");
    Ledger.Entry e1 = l.sent("d:1:1", "t", new byte[0], 1000);
    Ledger.Entry e2 = l.sent("d:1:2", "t", new byte[0], 1000);
    l.attempt(e1, 1000);
    l.attempt(e2, 1000);
    l.acked(e1, 1010);
    l.acked(e1, 1020);
    assertThat(l.ackedCount()).isEqualTo(1);
    assertThat(e1.ackedAt()).isEqualTo(1010);
    assertThat(l.unackedSince(2000)).containsExactly(e2);
    assertThat(l.unackedSince(500)).isEmpty();
    l.attempt(e2, 3000);
    assertThat(l.republishedCount()).isEqualTo(1);
    assertThat(e2.phase()).isEqualTo("x");
  }

  @Test
  void percentilesAreNearestRank() {
    long[] v = new long[100];
    for (int i = 0; i < 100; i++) {
      v[i] = 100 - i; // 1..100, unsorted
    }
    Percentiles p = new Percentiles(v);
    assertThat(p.at(50)).isEqualTo(50);
    assertThat(p.at(90)).isEqualTo(90);
    assertThat(p.at(99)).isEqualTo(99);
    assertThat(p.max()).isEqualTo(100);
    assertThat(new Percentiles(new long[] {7}).at(99)).isEqualTo(7);
    assertThat(new Percentiles(new long[0]).summary()).isEqualTo("no samples");
  }

  @Test
  void notStoredListsTheAcknowledgedUnstoredReadingsOfThePhaseEarliestFirst() {
    StoredIndex store = new StoredIndex();
    List<Ledger.Entry> entries =
        List.of(
            entry("d:1:1", "a", 3000, 3001), // not stored, published last
            entry("d:1:2", "a", 1000, 1001), // not stored, published first
            entry("d:1:3", "a", 2000, 2001), // stored
            entry("d:1:4", "a", 500, 0), // not acknowledged: not listed
            entry("d:1:5", "b", 100, 101)); // other phase
    store.add("d:1:3", "obs3", 2100);
    assertThat(Tally.notStored("a", entries, store, 5))
        .extracting(Ledger.Entry::identity)
        .containsExactly("d:1:2", "d:1:1");
    assertThat(Tally.notStored("a", entries, store, 1))
        .extracting(Ledger.Entry::identity)
        .containsExactly("d:1:2");
  }
}
