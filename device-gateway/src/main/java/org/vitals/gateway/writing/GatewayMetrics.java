package org.vitals.gateway.writing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.vitals.gateway.deadletter.DeadLetterReason;

/** Per-stage counters and timers, the reading-to-commit latency histogram and batch sizes. */
public class GatewayMetrics {
  private final MeterRegistry registry;
  public final Counter received;
  public final Counter normalised;
  public final Counter mapped;
  public final Counter written;
  public final Counter duplicates;
  public final Counter deadLettered;
  public final Timer parseTime;
  public final Timer resolveTime;
  public final Timer mapTime;
  public final Timer writeTime;
  public final Timer commitLatency;
  public final Timer readingAge;
  public final DistributionSummary batchSize;
  public final Counter fhirRetries;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    received =
        Counter.builder("vitals.gateway.readings").tag("stage", "received").register(registry);
    normalised =
        Counter.builder("vitals.gateway.readings").tag("stage", "normalised").register(registry);
    mapped = Counter.builder("vitals.gateway.readings").tag("stage", "mapped").register(registry);
    written = Counter.builder("vitals.gateway.readings").tag("stage", "written").register(registry);
    duplicates =
        Counter.builder("vitals.gateway.readings.duplicate")
            .description("readings whose Observation already existed")
            .register(registry);
    deadLettered =
        Counter.builder("vitals.gateway.readings").tag("stage", "dead-lettered").register(registry);
    parseTime = stage("parse");
    resolveTime = stage("resolve");
    mapTime = stage("map");
    writeTime = stage("write");
    commitLatency =
        Timer.builder("vitals.gateway.commit.latency")
            .description("from MQTT receipt to FHIR commit")
            .publishPercentiles(0.5, 0.99)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry);
    readingAge =
        Timer.builder("vitals.gateway.reading.age")
            .description("from the device timestamp to FHIR commit")
            .publishPercentiles(0.5, 0.99)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry);
    batchSize =
        DistributionSummary.builder("vitals.gateway.batch.size")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    fhirRetries = Counter.builder("vitals.gateway.fhir.retries").register(registry);
  }

  private Timer stage(String stage) {
    return Timer.builder("vitals.gateway.stage.time").tag("stage", stage).register(registry);
  }

  public void deadLettered(DeadLetterReason reason) {
    deadLettered.increment();
    // A separate name: Prometheus needs one tag-key set per meter name.
    Counter.builder("vitals.gateway.dead.letters")
        .tag("reason", reason.code())
        .register(registry)
        .increment();
  }
}
