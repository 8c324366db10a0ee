package org.vitals.gateway.ingest.mqtt;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Says which broker the gateway uses (the embedded broker's port may have been chosen at start).
 */
@RestController
public class BrokerController {
  private final BrokerAddress broker;

  public BrokerController(BrokerAddress broker) {
    this.broker = broker;
  }

  @GetMapping("/api/broker")
  public Map<String, Object> broker() {
    return Map.of("url", broker.url(), "embedded", broker.embedded());
  }
}
