package org.vitals.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.identity.DeviceIdentity.Assignment;

class DeviceIdentityTest {
  private final Instant t1 = Instant.parse("2026-11-27T01:00:00Z");
  private final Instant t2 = Instant.parse("2026-11-27T02:00:00Z");

  @Test
  void theIntervalCoveringTheReadingTimeDecides() {
    DeviceIdentity d =
        new DeviceIdentity(
            "Device/1",
            "Patient/b",
            List.of(new Assignment("Patient/a", t1, t2), new Assignment("Patient/b", t2, null)));
    assertThat(d.patientAt(t1.plusSeconds(10))).contains("Patient/a");
    assertThat(d.patientAt(t2)).contains("Patient/b");
    assertThat(d.patientAt(t2.plusSeconds(86400))).contains("Patient/b");
  }

  @Test
  void beforeAnyIntervalDevicePatientApplies() {
    DeviceIdentity d =
        new DeviceIdentity("Device/1", "Patient/c", List.of(new Assignment("Patient/a", t1, t2)));
    assertThat(d.patientAt(t1.minusSeconds(1))).contains("Patient/c");
  }

  @Test
  void noAssignmentMeansUnassigned() {
    assertThat(new DeviceIdentity("Device/1", null, List.of()).patientAt(t1)).isEmpty();
    assertThat(
            new DeviceIdentity("Device/1", null, List.of(new Assignment("Patient/a", t1, t2)))
                .patientAt(t2))
        .isEmpty();
  }
}
