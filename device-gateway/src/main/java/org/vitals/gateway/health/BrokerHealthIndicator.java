package org.vitals.gateway.health;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;
import org.vitals.gateway.ingest.mqtt.BrokerAddress;

/** Says whether the MQTT broker accepts connections and the readings route is running. */
@Component("mqttBroker")
public class BrokerHealthIndicator implements HealthIndicator {
  private final BrokerAddress broker;
  private final CamelContext camel;

  public BrokerHealthIndicator(BrokerAddress broker, CamelContext camel) {
    this.broker = broker;
    this.camel = camel;
  }

  @Override
  public Health health() {
    URI uri = URI.create(broker.url());
    ServiceStatus route = camel.getRouteController().getRouteStatus("mqtt-readings");
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
      return (route != null && route.isStarted() ? Health.up() : Health.down())
          .withDetail("url", broker.url())
          .withDetail("embedded", broker.embedded())
          .withDetail("route", String.valueOf(route))
          .build();
    } catch (Exception e) {
      return Health.down()
          .withDetail("url", broker.url())
          .withDetail("error", e.toString())
          .build();
    }
  }
}
