package org.vitals.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FaultTableTest {
  static Tally tally(String phase, long sent, long acked, long stored, long lost, long doubled) {
    return new Tally(
        phase, sent, acked, stored, lost, doubled, 0, new Percentiles(new long[] {10, 20}));
  }

  @Test
  void summaryLineCountsFaultsAndSumsEveryRow() {
    FaultTable t = new FaultTable();
    t.add(
        new FaultTable.Row(
            "gateway SIGKILL + restart",
            true,
            tally("g", 100, 100, 100, 0, 0),
            true,
            "up after 30 s"));
    t.add(new FaultTable.Row("broker restart", true, tally("b", 50, 48, 48, 0, 0), true, null));
    t.add(new FaultTable.Row("after the faults", false, tally("x", 10, 10, 10, 0, 0), null, null));
    assertThat(t.faults()).isEqualTo(2);
    assertThat(t.summary()).isEqualTo("faults: 2, readings acknowledged: 158, lost: 0, doubled: 0");
    assertThat(t.passed()).isTrue();

    String table = t.render();
    assertThat(table.lines().findFirst().orElseThrow())
        .contains("fault", "sent", "acknowledged", "stored", "lost", "doubled", "alert ok");
    assertThat(table).contains("gateway SIGKILL + restart").contains("yes").contains("total");
    assertThat(table).containsPattern("broker restart\\s+50\\s+48\\s+48\\s+0\\s+0\\s+yes");
    assertThat(table).contains("gateway SIGKILL + restart: up after 30 s");
  }

  @Test
  void aLossADoubleOrAMissingAlertFails() {
    FaultTable lost = new FaultTable();
    lost.add(new FaultTable.Row("f", true, tally("f", 10, 10, 9, 1, 0), true, null));
    assertThat(lost.passed()).isFalse();
    assertThat(lost.summary()).endsWith("lost: 1, doubled: 0");

    FaultTable doubled = new FaultTable();
    doubled.add(new FaultTable.Row("f", true, tally("f", 10, 10, 10, 0, 2), true, null));
    assertThat(doubled.passed()).isFalse();

    FaultTable noAlert = new FaultTable();
    noAlert.add(new FaultTable.Row("f", true, tally("f", 10, 10, 10, 0, 0), false, null));
    assertThat(noAlert.passed()).isFalse();
    assertThat(noAlert.render()).contains("NO");
  }

  @Test
  void thePhaseLineSaysNotStoredYetRatherThanLost() {
    String late =
        FaultTable.phaseLine("PostgreSQL restart", tally("p", 1206, 1206, 1175, 31, 0), 120);
    assertThat(late)
        .startsWith(
            "PostgreSQL restart: sent 1206, acknowledged 1206, stored 1175, not stored yet 31")
        .contains("after 120 s")
        .doesNotContain("lost");
    String done = FaultTable.phaseLine("broker restart", tally("b", 50, 48, 48, 0, 0), 120);
    assertThat(done)
        .contains("stored 48 (every acknowledged reading)")
        .doesNotContain("not stored");
    assertThat(done).contains("publish to stored p50 10 ms");
  }
}
