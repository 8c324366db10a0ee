package org.vitals.gateway.ingest.serial;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vitals.gateway.deadletter.DeadLetterReason;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.wire.WireReadingParser;
import org.vitals.gateway.writing.ReadingPipeline;
import org.vitals.gateway.writing.Ticket;

/**
 * Starts a serial reader for each port in {@code VITALS_SERIAL_PORTS} (comma-separated device
 * paths, none by default); their readings and rejected lines go into the shared pipeline.
 */
@Configuration
public class SerialConfig {

  /** The readers of this gateway (empty when no port is configured). */
  public record SerialReaders(List<SerialPortReader> readers) implements AutoCloseable {
    @Override
    public void close() {
      readers.forEach(SerialPortReader::close);
    }
  }

  @Bean(destroyMethod = "close")
  SerialReaders serialReaders(
      ReadingPipeline pipeline,
      org.vitals.gateway.ingest.edge.EdgeConfig.EdgeUplink edge,
      @Value("${vitals.gateway.serial.ports:${VITALS_SERIAL_PORTS:}}") String ports,
      @Value("${vitals.gateway.serial.baud:${VITALS_SERIAL_BAUD:115200}}") int baud,
      @Value("${vitals.gateway.gateway-id:${VITALS_GATEWAY_ID:vitals-gateway}}") String gatewayId,
      @Value("${vitals.gateway.serial.retry:1s}") Duration retry) {
    List<SerialPortReader> readers = new ArrayList<>();
    for (String port :
        Arrays.stream(ports.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
      SerialSession session =
          new SerialSession(
              gatewayId,
              new WireReadingParser(),
              edge.enabled() ? toEdge(pipeline, edge, port) : toPipeline(pipeline, port));
      readers.add(new SerialPortReader(port, baud, session, retry).start());
    }
    return new SerialReaders(List.copyOf(readers));
  }

  /** Edge mode: valid readings go to the uplink journal, rejected lines to the local store. */
  static SerialSession.Output toEdge(
      ReadingPipeline pipeline,
      org.vitals.gateway.ingest.edge.EdgeConfig.EdgeUplink edge,
      String port) {
    SerialSession.Output local = toPipeline(pipeline, port);
    return new SerialSession.Output() {
      @Override
      public void readings(
          String line,
          com.fasterxml.jackson.databind.node.ObjectNode reading,
          Instant at,
          List<Measurement> ms) {
        edge.forward(reading);
      }

      @Override
      public void rejected(String line, Instant at, String reason, String detail) {
        local.rejected(line, at, reason, detail);
      }
    };
  }

  /** Readings become a ticket per line; rejected lines are dead-lettered with the raw line. */
  public static SerialSession.Output toPipeline(ReadingPipeline pipeline, String port) {
    String topic = "serial:" + port;
    return new SerialSession.Output() {
      @Override
      public void readings(
          String line,
          com.fasterxml.jackson.databind.node.ObjectNode reading,
          Instant at,
          List<Measurement> ms) {
        // The ticket carries the v1 reading on its native topic: an unassigned-device dead
        // letter then replays through the normal parser once the device is assigned.
        String topic =
            "vitals/v1/"
                + ms.get(0).gatewayId()
                + "/"
                + reading.get("dev").asText()
                + "/"
                + reading.get("metric").asText();
        pipeline.submitNormalised(
            new Ticket(
                "serial", topic, reading.toString().getBytes(StandardCharsets.UTF_8), at, () -> {}),
            ms,
            true);
      }

      @Override
      public void rejected(String line, Instant at, String reason, String detail) {
        pipeline.reject(ticket(line, at), DeadLetterReason.fromCode(reason), detail);
      }

      private Ticket ticket(String line, Instant at) {
        return new Ticket(
            "serial", topic, line.getBytes(StandardCharsets.ISO_8859_1), at, () -> {});
      }
    };
  }
}
