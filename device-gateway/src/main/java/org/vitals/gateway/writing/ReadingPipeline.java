package org.vitals.gateway.writing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitals.gateway.deadletter.DeadLetterReason;
import org.vitals.gateway.deadletter.DeadLetterStore;
import org.vitals.gateway.deadletter.ReadingRejectedException;
import org.vitals.gateway.ecg.StripAssembler;
import org.vitals.gateway.mapping.DevicePayloadReader;
import org.vitals.gateway.mapping.DeviceTemplate;
import org.vitals.gateway.mapping.TemplateSet;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Metric;
import org.vitals.gateway.wire.WireReadingParser;

/**
 * The path every inbound message takes: parse and normalise (native wire format, or a device
 * template for third-party JSON), ECG chunks into strips, then the batcher and FHIR writer.
 * Whatever cannot be written lands in the dead-letter store; the message's ticket settles (and the
 * MQTT message is acknowledged) only when all its readings are written or dead-lettered.
 */
public class ReadingPipeline implements FhirBatchWriter.DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(ReadingPipeline.class);

  private final WireReadingParser parser;
  private final DevicePayloadReader deviceReader;
  private final Supplier<TemplateSet> templates;
  private final DeadLetterStore store;
  private final GatewayMetrics metrics;
  private final ReadingBatcher batcher;
  private final StripAssembler strips;

  public ReadingPipeline(
      WireReadingParser parser,
      Supplier<TemplateSet> templates,
      DeadLetterStore store,
      GatewayMetrics metrics,
      java.util.function.Function<FhirBatchWriter.DeadLetters, ReadingBatcher> batcherFactory,
      int ecgStripSeconds) {
    this.parser = parser;
    this.deviceReader = new DevicePayloadReader(parser);
    this.templates = templates;
    this.store = store;
    this.metrics = metrics;
    this.batcher = batcherFactory.apply(this);
    this.strips = new StripAssembler(ecgStripSeconds, 2000, batcher::add);
  }

  public StripAssembler strips() {
    return strips;
  }

  public ReadingBatcher batcher() {
    return batcher;
  }

  /** Takes one inbound message; the ticket settles once everything it carried is durable. */
  public void submit(Ticket ticket) {
    metrics.received.increment();
    List<Measurement> measurements;
    long t0 = System.nanoTime();
    try {
      measurements = normalise(ticket.topic(), ticket.payload(), ticket.receivedAt());
    } catch (ReadingRejectedException e) {
      store.add(
          ticket.source(),
          ticket.topic(),
          ticket.payload(),
          ticket.receivedAt(),
          e.reason(),
          e.getMessage(),
          null);
      metrics.deadLettered(e.reason());
      ticket.settle();
      return;
    } finally {
      metrics.parseTime.record(Duration.ofNanos(System.nanoTime() - t0));
    }
    metrics.normalised.increment();
    ticket.expect(measurements.size());
    for (Measurement m : measurements) {
      if (m.metric() == Metric.ECG) {
        strips.add(m, ticket);
      } else {
        batcher.add(new PendingMeasurement(m, List.of(ticket), System.nanoTime()));
      }
    }
    ticket.settle(); // the message itself; its measurements settle it fully
  }

  /** Parses a message without writing it (also used by the mapping test harness). */
  public List<Measurement> normalise(String topic, byte[] payload, Instant receivedAt) {
    if (topic != null && topic.startsWith("vitals/v1/")) {
      return parser.parse(topic, payload, receivedAt);
    }
    for (DeviceTemplate t : templates.get().devices()) {
      if (topic != null && DevicePayloadReader.topicMatches(t.topic(), topic)) {
        return deviceReader.read(t, payload, receivedAt);
      }
    }
    throw new ReadingRejectedException(
        DeadLetterReason.NO_TEMPLATE, "no device template matches topic '" + topic + "'");
  }

  @Override
  public void add(PendingMeasurement p, DeadLetterReason reason, String detail) {
    metrics.deadLettered(reason);
    for (Ticket t : p.tickets()) {
      store.add(
          t.source(),
          t.topic(),
          t.payload(),
          t.receivedAt(),
          reason,
          detail,
          p.measurement().identity());
    }
    log.debug("dead-lettered {}: {}", p.measurement().identity(), reason.code());
  }
}
