package org.vitals.gateway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmark's CPU accounting reads /proc the way Linux writes it. */
class CpuMeterTest {

  @Test
  void readsUserAndSystemTicksPastAThreadNameWithSpacesAndParentheses() {
    String stat =
        "4242 (MQTT Call: a) b) S 1 4242 4242 0 -1 4194560 1234 0 0 0 517 83 0 0 20 0 40 0 100 0 0";

    assertThat(CpuMeter.ticks(stat)).isEqualTo(517 + 83);
  }

  @Test
  void aBackendThatStartedCountsInFullAndOneThatEndedIsNotSubtracted() {
    var before = java.util.Map.of(10L, 500L, 11L, 900L);
    var after = java.util.Map.of(10L, 530L, 12L, 40L); // 11 ended, 12 started

    assertThat(CpuMeter.backendDelta(before, after)).isEqualTo(30 + 40);
  }

  @Test
  void groupsThisProcesssThreadsByNameWithoutTheirNumbers() throws Exception {
    Thread a = new Thread(() -> sleep(), "bench-worker-1");
    Thread b = new Thread(() -> sleep(), "bench-worker-2");
    a.start();
    b.start();
    try {
      var threads = CpuMeter.threadTicks(ProcessHandle.current().pid());
      assertThat(threads).containsKey("bench-worker-").doesNotContainKey("bench-worker-1");
    } finally {
      a.interrupt();
      b.interrupt();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
