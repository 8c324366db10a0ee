package org.vitals.gateway.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.vitals.gateway.ingest.serial.SerialPortReader;
import org.vitals.gateway.ingest.serial.SerialSession;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.wire.WireReadingParser;

/**
 * Records a serial port that speaks the serial line protocol (decision 0501), decoded by the
 * gateway's own {@link SerialSession}: ECG waveform records go to WFDB ({@link WfdbEcgWriter}, one
 * writer per device and lead), every other record to NDJSON as the v1 MQTT reading the gateway
 * would publish (topic {@code vitals/v1/{gatewayId}/{dev}/{metric}}) with the raw line beside it;
 * rejected lines are kept with their reason.
 */
public final class SerialRecorder implements AutoCloseable {
  private final String port;
  private final String gatewayId;
  private final RecordFile out;
  private final Manifest manifest;
  private final Rotation rotation;
  private final Map<String, WfdbEcgWriter> ecg = new ConcurrentHashMap<>();
  private final AtomicLong readings = new AtomicLong();
  private final AtomicLong ecgSamples = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final SerialSession session;
  private SerialPortReader reader;

  public SerialRecorder(
      String port, int baud, String gatewayId, RecordFile out, Manifest manifest, Rotation rot) {
    this.port = port;
    this.gatewayId = gatewayId;
    this.out = out;
    this.manifest = manifest;
    this.rotation = rot;
    this.session = new SerialSession(gatewayId, new WireReadingParser(), new Output());
    this.reader = new SerialPortReader(port, baud, session, Duration.ofMillis(500));
  }

  public SerialRecorder start() {
    reader.start();
    return this;
  }

  public boolean connected() {
    return reader.connected();
  }

  public SerialSession session() {
    return session;
  }

  public long readings() {
    return readings.get();
  }

  public long ecgSamples() {
    return ecgSamples.get();
  }

  public long rejected() {
    return rejected.get();
  }

  public long failed() {
    return failed.get();
  }

  /** The ECG writers, for the timer's rotation and flush. */
  public List<WfdbEcgWriter> ecgWriters() {
    return new ArrayList<>(ecg.values());
  }

  /** Where the session's decoded records go. */
  private final class Output implements SerialSession.Output {
    @Override
    public void readings(
        String line, ObjectNode reading, Instant receivedAt, List<Measurement> measurements) {
      long now = receivedAt.toEpochMilli();
      String dev = reading.get("dev").asText();
      String metric = reading.get("metric").asText();
      try {
        if (metric.equals("ecg")) {
          ecg(dev, reading, now);
        } else {
          ObjectNode l =
              RecordedLine.of(
                  "serial",
                  now,
                  "vitals/v1/" + gatewayId + "/" + dev + "/" + metric,
                  RecordedLine.JSON.writeValueAsBytes(reading));
          l.put("port", port);
          l.put("line", line);
          out.write(RecordedLine.bytes(l), now, false);
          readings.incrementAndGet();
        }
      } catch (IOException | RuntimeException e) {
        failed.incrementAndGet();
        System.err.println("collect: cannot record a serial line: " + e.getMessage());
      }
    }

    @Override
    public void rejected(String line, Instant receivedAt, String reason, String detail) {
      long now = receivedAt.toEpochMilli();
      ObjectNode l = RecordedLine.JSON.createObjectNode();
      l.put("rt", receivedAt.toString());
      l.put("rtMs", now);
      l.put("stream", "serial");
      l.put("port", port);
      l.put("line", line);
      l.put("rejected", reason);
      l.put("detail", detail);
      try {
        out.write(RecordedLine.bytes(l), now, false);
        rejected.incrementAndGet();
      } catch (IOException e) {
        failed.incrementAndGet();
      }
    }
  }

  private void ecg(String dev, ObjectNode r, long receivedMs) throws IOException {
    JsonNode lead = r.get("leads").get(0);
    int mdc = lead.get("mdc").asInt();
    JsonNode data = lead.get("data");
    int[] samples = new int[data.size()];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = data.get(i).asInt();
    }
    WfdbEcgWriter.Settings s =
        new WfdbEcgWriter.Settings(
            r.get("boot").asLong(),
            new BigDecimal(r.get("period").asText()),
            new BigDecimal(r.get("factor").asText()),
            new BigDecimal(r.get("origin").asText()));
    WfdbEcgWriter w =
        ecg.computeIfAbsent(
            dev + "/" + mdc, k -> new WfdbEcgWriter(manifest, rotation, gatewayId, dev, mdc));
    w.append(
        s, r.get("seq").asLong(), r.get("up").asLong(), r.get("ts").asLong(), samples, receivedMs);
    ecgSamples.addAndGet(samples.length);
  }

  /** Stops reading and closes the ECG records (the NDJSON file belongs to the caller). */
  @Override
  public void close() throws IOException {
    reader.close();
    for (WfdbEcgWriter w : ecg.values()) {
      w.close();
    }
  }
}
