package org.vitals.gateway.health;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;
import org.vitals.gateway.ingest.mqtt.BrokerAddress;
import org.vitals.gateway.ingest.mqtt.MqttReadingsSubscriber;

/** Says whether the gateway is connected to the MQTT broker and subscribed to its topics. */
@Component("mqttBroker")
public class BrokerHealthIndicator implements HealthIndicator {
  private final BrokerAddress broker;
  private final MqttReadingsSubscriber subscriber;

  public BrokerHealthIndicator(BrokerAddress broker, MqttReadingsSubscriber subscriber) {
    this.broker = broker;
    this.subscriber = subscriber;
  }

  @Override
  public Health health() {
    Health.Builder h =
        (subscriber.connected() ? Health.up() : Health.down())
            .withDetail("url", broker.url())
            .withDetail("embedded", broker.embedded())
            .withDetail("topics", subscriber.topics());
    String error = subscriber.lastError();
    if (!subscriber.connected() && error != null) {
      h.withDetail("error", error);
    }
    return h.build();
  }
}
