package org.vitals.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultSelectionTest {
  private static final List<FaultSuite.Fault> ALL = FaultSuite.faults(null, null, 60);

  private static List<String> keys(List<FaultSuite.Fault> faults) {
    return faults.stream().map(FaultSuite.Fault::key).toList();
  }

  @Test
  void withoutASelectionEveryFaultRunsInTheSuitesOrder() {
    assertThat(keys(FaultSuite.select(ALL, null)))
        .containsExactly(
            "gateway-kill",
            "broker-restart",
            "fhir-restart",
            "postgres-restart",
            "fhir-unreachable",
            "burst");
    assertThat(FaultSuite.select(ALL, "all")).isEqualTo(ALL);
    assertThat(ALL.get(4).name()).isEqualTo("FHIR unreachable 60 s");
  }

  @Test
  void aSelectionKeepsTheSuitesOrderWhateverTheOrderGiven() {
    assertThat(keys(FaultSuite.select(ALL, "postgres-restart")))
        .containsExactly("postgres-restart");
    assertThat(keys(FaultSuite.select(ALL, " burst,gateway-kill ,burst")))
        .containsExactly("gateway-kill", "burst");
  }

  @Test
  void anUnknownKeyIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> FaultSuite.select(ALL, "postgres"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown fault 'postgres'")
        .hasMessageContaining("postgres-restart");
    assertThatThrownBy(() -> FaultSuite.select(ALL, " , "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no fault named");
  }
}
