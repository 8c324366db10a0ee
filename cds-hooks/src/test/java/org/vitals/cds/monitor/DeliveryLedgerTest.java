package org.vitals.cds.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {

  static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

  @Test
  void nothingIsDueBeforeTheFirstCatchUpSetsWhereChecksBegin() {
    DeliveryLedger l = new DeliveryLedger(Duration.ofSeconds(30));
    l.received("a", T0.plusSeconds(5));
    assertThat(l.due(T0.plusSeconds(600))).isEmpty();
  }

  @Test
  void settledWindowsFromTheFirstWholeOneCountDistinctIds() {
    DeliveryLedger l = new DeliveryLedger(Duration.ofSeconds(30));
    l.checkFrom(T0.plusSeconds(10)); // the window [0, 30) is the catch-up's
    l.received("a", T0.plusSeconds(31));
    l.received("a", T0.plusSeconds(31)); // a replay of the same Observation
    l.received("b", T0.plusSeconds(59));
    l.received("c", T0.plusSeconds(60));
    List<DeliveryLedger.Window> due = l.due(T0.plusSeconds(91));
    assertThat(due)
        .containsExactly(
            new DeliveryLedger.Window(T0.plusSeconds(30), T0.plusSeconds(60), 2),
            new DeliveryLedger.Window(T0.plusSeconds(60), T0.plusSeconds(90), 1));
    assertThat(l.due(T0.plusSeconds(89))).hasSize(1); // [60, 90) has not ended yet
  }

  @Test
  void checkedWindowsAreNotDueAgainAndLateArrivalsForThemAreIgnored() {
    DeliveryLedger l = new DeliveryLedger(Duration.ofSeconds(30));
    l.checkFrom(T0);
    l.received("a", T0.plusSeconds(40));
    l.checked(T0.plusSeconds(30));
    l.received("late", T0.plusSeconds(45));
    assertThat(l.due(T0.plusSeconds(120)))
        .containsExactly(
            new DeliveryLedger.Window(T0.plusSeconds(60), T0.plusSeconds(90), 0),
            new DeliveryLedger.Window(T0.plusSeconds(90), T0.plusSeconds(120), 0));
    l.checkFrom(T0.plusSeconds(300)); // only the first call counts
    assertThat(l.due(T0.plusSeconds(120))).hasSize(2);
  }
}
