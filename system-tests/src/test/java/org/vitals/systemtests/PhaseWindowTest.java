package org.vitals.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The window a phase is counted in (decision 0911): a phase begins at the previous fault's alert,
 * while the previous phase is still being counted; its readings stored in that time must be inside
 * its sweeps, or the per-phase line calls them "not stored" although they were stored within a
 * second.
 */
class PhaseWindowTest {

  /** An Observation as the FHIR server holds it: lastUpdated, and when a search can see it. */
  record Stored(String identity, String id, long lastUpdated, long committedAt) {}

  /** What a sweep started at {@code at} reads: committed by then, lastUpdated at or after from. */
  static void sweep(List<Stored> server, Instant from, long at, StoredIndex into) {
    for (Stored s : server) {
      if (s.committedAt() <= at && s.lastUpdated() >= from.toEpochMilli()) {
        into.add(s.identity(), s.id(), s.lastUpdated());
      }
    }
  }

  @Test
  void readingsOfAPhaseStoredWhileThePreviousPhaseWasCountedAreInsideItsWindow() {
    Ledger ledger = new Ledger();
    List<Stored> server = new ArrayList<>();
    StoredIndex store = new StoredIndex();

    ledger.phase("FHIR server restart", 0);
    Ledger.Entry a = ledger.sent("r-p0-mon:1:1", "t", new byte[0], 1_000);
    ledger.acked(a, 1_010);
    server.add(new Stored(a.identity(), "1", 1_200, 1_300));

    // the alert of the FHIR server restart came: the PostgreSQL phase begins
    ledger.phase("PostgreSQL restart", 10_000);
    Ledger.Entry b = ledger.sent("r-p4-mon:1:710", "t", new byte[0], 10_500);
    ledger.acked(b, 10_510);
    // stored within a second, committed after the previous phase's last sweep had started
    server.add(new Stored(b.identity(), "2", 10_700, 11_000));
    sweep(server, FaultSuite.sweepFrom(ledger, "FHIR server restart"), 10_600, store);
    assertThat(Tally.of("FHIR server restart", ledger.entries(), store).lost()).isZero();

    // the previous phase's count ended at 13 s; the suite turns to the PostgreSQL fault
    ledger.phase("PostgreSQL restart", 13_000);
    Instant from = FaultSuite.sweepFrom(ledger, "PostgreSQL restart");
    sweep(server, from, 20_000, store);
    Tally t = Tally.of("PostgreSQL restart", ledger.entries(), store);
    assertThat(t.acked()).isEqualTo(1);
    assertThat(t.lost()).as("stored 200 ms after publish, so not lost").isZero();
    assertThat(from).isEqualTo(Instant.ofEpochMilli(9_000));
  }

  @Test
  void aPhaseStartsNoLaterThanItsEarliestReading() {
    Ledger ledger = new Ledger();
    ledger.phase("burst", 5_000);
    // a publisher that read the clock just before the switch and the phase just after it
    ledger.sent("r-p1-mon:1:9", "t", new byte[0], 4_990);
    assertThat(ledger.phaseStart("burst")).isEqualTo(5_000);
    assertThat(FaultSuite.sweepFrom(ledger, "burst")).isEqualTo(Instant.ofEpochMilli(3_990));
    assertThat(ledger.phaseStart("never")).isEqualTo(-1);
    assertThatThrownBy(() -> FaultSuite.sweepFrom(ledger, "never"))
        .hasMessageContaining("never began");
  }
}
