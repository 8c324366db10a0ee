package org.vitals.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JvmOptionsTest {

  @Test
  void noSettingAddsNothing() {
    assertThat(LocalSystem.jvmOptions(null)).isEmpty();
    assertThat(LocalSystem.jvmOptions("  ")).isEmpty();
  }

  @Test
  void optionsAreSeparatedBySpaces() {
    assertThat(LocalSystem.jvmOptions(" -XX:TieredStopAtLevel=1   -XX:+UseSerialGC "))
        .containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  }
}
