package org.vitals.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitals.gateway.deadletter.DeadLetterReason;
import org.vitals.gateway.deadletter.ReadingRejectedException;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Metric;
import org.vitals.gateway.wire.WireReadingParser;

/** A third-party device needs a template file, not code; edits are picked up without a restart. */
class DeviceTemplateTest {
  @TempDir Path dir;

  private static final String ACME =
      """
      devices:
        - name: acme-oximeter
          topic: "acme/+/telemetry"
          gatewayId: "acme-bridge"
          deviceId: "$.serial"
          seq: "$.counter"
          timestamp: "$.measured"
          timestampFormat: iso8601
          values:
            - { metric: spo2, value: "$.readings.sat", unit: "%" }
            - { metric: pr, value: "$.readings.pulse", unit: "/min" }
            - { metric: temp, value: "$.readings.skinTempF", unit: "[degF]" }
      """;

  private static final byte[] PAYLOAD =
      """
      {"serial": "ACME-0042", "counter": 981, "measured": "2026-11-27T05:00:00.250Z",
       "readings": {"sat": 96, "pulse": 88, "skinTempF": 99.5}}
      """
          .getBytes(StandardCharsets.UTF_8);

  @Test
  void thirdPartyJsonBecomesMeasurementsThroughJsonPath() throws Exception {
    Files.writeString(dir.resolve("acme.yaml"), ACME);
    TemplateRegistry registry = new TemplateRegistry(dir);
    DeviceTemplate t = registry.current().devices().get(0);
    List<Measurement> ms =
        new DevicePayloadReader(new WireReadingParser()).read(t, PAYLOAD, Instant.now());
    assertThat(ms).hasSize(3);
    assertThat(ms)
        .extracting(Measurement::metric)
        .containsExactly(Metric.SPO2, Metric.PR, Metric.TEMP);
    assertThat(ms.get(0).identity()).isEqualTo("ACME-0042:0:981:spo2");
    assertThat(ms.get(0).gatewayId()).isEqualTo("acme-bridge");
    assertThat(ms.get(0).time()).isEqualTo(Instant.parse("2026-11-27T05:00:00.250Z"));
    assertThat(ms.get(2).value()).isEqualByComparingTo("37.5");
  }

  @Test
  void templateValuesGoThroughTheSameChecks() throws Exception {
    Files.writeString(dir.resolve("acme.yaml"), ACME);
    DeviceTemplate t = new TemplateRegistry(dir).current().devices().get(0);
    byte[] bad =
        "{\"serial\":\"A\",\"counter\":1,\"measured\":\"2026-11-27T05:00:00Z\",\"readings\":{\"sat\":140,\"pulse\":80,\"skinTempF\":98}}"
            .getBytes(StandardCharsets.UTF_8);
    try {
      new DevicePayloadReader(new WireReadingParser()).read(t, bad, Instant.now());
      throw new AssertionError("expected rejection");
    } catch (ReadingRejectedException e) {
      assertThat(e.reason()).isEqualTo(DeadLetterReason.IMPLAUSIBLE_VALUE);
    }
  }

  @Test
  void topicFiltersMatchLikeMqtt() {
    assertThat(DevicePayloadReader.topicMatches("acme/+/telemetry", "acme/ward3/telemetry"))
        .isTrue();
    assertThat(DevicePayloadReader.topicMatches("acme/+/telemetry", "acme/ward3/other")).isFalse();
    assertThat(DevicePayloadReader.topicMatches("acme/#", "acme/a/b/c")).isTrue();
    assertThat(DevicePayloadReader.topicMatches("acme/+", "acme/a/b")).isFalse();
  }

  @Test
  void editedTemplatesAreReloadedAndABrokenFileKeepsThePreviousSet() throws Exception {
    TemplateRegistry registry = new TemplateRegistry(dir);
    assertThat(registry.current().devices()).isEmpty();
    assertThat(registry.current().forMetric("hr").orElseThrow().codings().get(0).code())
        .isEqualTo("8867-4");

    Path f = dir.resolve("override.yaml");
    Files.writeString(
        f,
        """
        observations:
          - metric: hr
            category: [vital-signs]
            profile: http://hl7.org/fhir/StructureDefinition/heartrate
            codings: [ { system: "http://loinc.org", code: "8867-4", display: "Heart rate (ward override)" } ]
            unitDisplay: "/min"
        """);
    assertThat(registry.reloadIfChanged()).isTrue();
    assertThat(registry.current().forMetric("hr").orElseThrow().codings().get(0).display())
        .isEqualTo("Heart rate (ward override)");
    assertThat(registry.reloadIfChanged()).isFalse();

    Files.writeString(f, "observations: [ { metric: hr, nonsense: 1 } ]");
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
    try {
      registry.reloadIfChanged();
      throw new AssertionError("a broken template file must be reported");
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).contains("override.yaml");
    }
    assertThat(registry.current().forMetric("hr").orElseThrow().codings().get(0).display())
        .isEqualTo("Heart rate (ward override)");
  }
}
