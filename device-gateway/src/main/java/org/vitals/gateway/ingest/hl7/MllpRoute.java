package org.vitals.gateway.ingest.hl7;

import java.time.Instant;
import org.apache.camel.builder.RouteBuilder;

/**
 * The MLLP listener (camel-mllp): each framed message goes to {@link Hl7Ingest} and its ACK is sent
 * back on the same connection (auto-acknowledgement off: we answer only after the commit).
 */
public class MllpRoute extends RouteBuilder {
  static final String ACK_PROPERTY = "CamelMllpAcknowledgementString";

  private final Hl7Ingest ingest;
  private final int port;

  public MllpRoute(Hl7Ingest ingest, int port) {
    this.ingest = ingest;
    this.port = port;
  }

  @Override
  public void configure() {
    from("mllp://0.0.0.0:"
            + port
            + "?autoAck=false&exchangePattern=InOut&validatePayload=false&requireEndOfData=false"
            + "&maxConcurrentConsumers=20&hl7Headers=false")
        .routeId("hl7-mllp")
        .process(
            ex -> {
              byte[] body = ex.getIn().getBody(byte[].class);
              String ack = ingest.handle(body == null ? new byte[0] : body, Instant.now());
              ex.setProperty(ACK_PROPERTY, ack);
              ex.getMessage().setBody(ack);
            });
  }
}
