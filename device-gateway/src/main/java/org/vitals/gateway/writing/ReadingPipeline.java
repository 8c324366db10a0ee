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
import org.vitals.gateway.summary.MinuteSummaries;
import org.vitals.gateway.summary.SummaryJournal;
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

  private volatile MinuteSummaries summaries;

  /** From now on, numerics also go to (or, in minute-summary mode, only to) minute summaries. */
  public void useSummaries(MinuteSummaries summaries) {
    this.summaries = summaries;
  }

  /**
   * Stores journaled readings on their own (those a minute's summary could not take) and waits
   * until each is written or dead-lettered.
   */
  public void storeAndWait(List<SummaryJournal.Line> lines) {
    java.util.concurrent.CountDownLatch done =
        new java.util.concurrent.CountDownLatch(lines.size());
    for (SummaryJournal.Line l : lines) {
      byte[] payload = l.payload();
      Ticket t =
          new Ticket(
              "minute-summary",
              l.topic(),
              payload == null ? new byte[0] : payload,
              Instant.now(),
              done::countDown);
      batcher.add(new PendingMeasurement(l.m(), List.of(t), System.nanoTime()));
    }
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while storing readings of a minute", e);
    }
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
      ticket.rejected(e.reason().code(), e.getMessage());
      ticket.settle();
      return;
    } finally {
      metrics.parseTime.record(Duration.ofNanos(System.nanoTime() - t0));
    }
    submitNormalised(ticket, measurements, true);
  }

  /**
   * Takes measurements an input adapter (serial, HL7 v2, I2C sensors) has already normalised;
   * {@code joinEcgChunks} false writes each ECG measurement as its own strip (HL7 waveform
   * segments, whose sender waits for the ACK).
   */
  public void submitNormalised(
      Ticket ticket, List<Measurement> measurements, boolean joinEcgChunks) {
    metrics.normalised.increment();
    ticket.expect(measurements.size());
    MinuteSummaries summaries = this.summaries;
    for (Measurement m : measurements) {
      if (m.metric() == Metric.ECG && joinEcgChunks) {
        strips.add(m, ticket);
      } else if (summaries == null || summaries.offer(m, ticket)) {
        batcher.add(new PendingMeasurement(m, List.of(ticket), System.nanoTime()));
      } else {
        ticket.settle(); // in its minute's summary only: settled by the journal
      }
    }
    ticket.settle(); // the message itself; its measurements settle it fully
  }

  /** Records a message an input adapter rejected before normalisation (bad frame, bad HL7). */
  public void reject(Ticket ticket, DeadLetterReason reason, String detail) {
    metrics.received.increment();
    store.add(
        ticket.source(),
        ticket.topic(),
        ticket.payload(),
        ticket.receivedAt(),
        reason,
        detail,
        null);
    metrics.deadLettered(reason);
    ticket.rejected(reason.code(), detail);
    ticket.settle();
  }

  /** Decodes another payload kind on native topics (e.g. Bluetooth GATT bytes), checked first. */
  public interface PayloadDecoder {
    boolean accepts(String topic);

    List<Measurement> decode(String topic, byte[] payload, Instant receivedAt);
  }

  private final List<PayloadDecoder> decoders = new java.util.concurrent.CopyOnWriteArrayList<>();

  public void addDecoder(PayloadDecoder decoder) {
    decoders.add(decoder);
  }

  /** Parses a message without writing it (also used by the mapping test harness). */
  public List<Measurement> normalise(String topic, byte[] payload, Instant receivedAt) {
    for (PayloadDecoder d : decoders) {
      if (topic != null && d.accepts(topic)) {
        return d.decode(topic, payload, receivedAt);
      }
    }
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
      t.rejected(reason.code(), detail);
      store.add(
          t.source(),
          t.topic(),
          t.payload(),
          t.receivedAt(),
          reason,
          detail,
          p.measurement().identity(),
          p.measurement().deviceId());
    }
    log.debug("dead-lettered {}: {}", p.measurement().identity(), reason.code());
  }
}
