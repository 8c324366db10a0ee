package org.vitals.gateway.ingest.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.support.AsyncProcessorSupport;
import org.vitals.gateway.GatewayProperties;
import org.vitals.gateway.mapping.DeviceTemplate;
import org.vitals.gateway.mapping.TemplateRegistry;
import org.vitals.gateway.writing.ReadingPipeline;
import org.vitals.gateway.writing.Ticket;

/**
 * MQTT readings to the pipeline. The consumer uses an MQTT 5 persistent session (clean start off,
 * session expiry one week), QoS 1 and manual acknowledgements: the exchange completes, and Camel
 * sends the PUBACK, only when the pipeline has written every reading of the message to FHIR or to
 * the dead-letter store (docs/decisions/0200-mqtt-manual-acks.md).
 */
public class MqttReadingsRoute extends RouteBuilder {
  static final String NATIVE_TOPIC = "vitals/v1/+/+/+";

  private final BrokerAddress broker;
  private final GatewayProperties props;
  private final ReadingPipeline pipeline;
  private final TemplateRegistry templates;
  private final DeviceStatusBoard statusBoard;
  private final Map<String, String> deviceTemplateRoutes = new ConcurrentHashMap<>();

  public MqttReadingsRoute(
      BrokerAddress broker,
      GatewayProperties props,
      ReadingPipeline pipeline,
      TemplateRegistry templates,
      DeviceStatusBoard statusBoard) {
    this.broker = broker;
    this.props = props;
    this.pipeline = pipeline;
    this.templates = templates;
    this.statusBoard = statusBoard;
  }

  @Override
  public void configure() {
    from(endpoint(NATIVE_TOPIC, props.mqttClientId()))
        .routeId("mqtt-readings")
        .process(new IngestProcessor());
    for (DeviceTemplate t : templates.current().devices()) {
      addDeviceTemplateRoute(t);
    }
  }

  /** Subscribes to the topic of a device template added by a reload (called after reloads). */
  public void subscribeNewDeviceTemplates() throws Exception {
    for (DeviceTemplate t : templates.current().devices()) {
      if (!deviceTemplateRoutes.containsKey(t.topic())) {
        getContext()
            .addRoutes(
                new RouteBuilder() {
                  @Override
                  public void configure() {
                    addDeviceTemplateRoute(this, t);
                  }
                });
      }
    }
  }

  private void addDeviceTemplateRoute(DeviceTemplate t) {
    addDeviceTemplateRoute(this, t);
  }

  private void addDeviceTemplateRoute(RouteBuilder b, DeviceTemplate t) {
    String id = "mqtt-device-" + t.name().replaceAll("[^A-Za-z0-9_-]", "_");
    deviceTemplateRoutes.put(t.topic(), id);
    b.from(
            endpoint(
                t.topic(), props.mqttClientId() + "-" + t.name().replaceAll("[^A-Za-z0-9_-]", "_")))
        .routeId(id)
        .process(new IngestProcessor());
  }

  private String endpoint(String topic, String clientId) {
    return "paho-mqtt5:"
        + topic
        + "?brokerUrl="
        + broker.url()
        + "&clientId="
        + clientId
        + "&qos=1&cleanStart=false&sessionExpiryInterval=604800&manualAcksEnabled=true"
        + "&automaticReconnect=true&maxReconnectDelay=5000&keepAliveInterval=60"
        + "&receiveMaximum="
        + props.receiveMaximum();
  }

  /** Hands the message to the pipeline and completes the exchange when it has settled. */
  final class IngestProcessor extends AsyncProcessorSupport {
    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
      String topic = exchange.getIn().getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class);
      byte[] payload = exchange.getIn().getBody(byte[].class);
      if (topic != null && topic.startsWith("vitals/v1/") && topic.endsWith("/status")) {
        statusBoard.update(topic, new String(payload, StandardCharsets.UTF_8));
        callback.done(true);
        return true;
      }
      // Settled while still inside submit (e.g. dead-lettered at parsing): complete synchronously.
      java.util.concurrent.atomic.AtomicInteger state =
          new java.util.concurrent.atomic.AtomicInteger();
      try {
        pipeline.submit(
            new Ticket(
                "mqtt",
                topic,
                payload,
                Instant.now(),
                () -> {
                  if (!state.compareAndSet(0, 1)) {
                    callback.done(false);
                  }
                }));
      } catch (RuntimeException e) {
        exchange.setException(e); // not acknowledged: the broker redelivers it
        state.set(2);
        callback.done(true);
        return true;
      }
      if (!state.compareAndSet(0, 2)) {
        callback.done(true);
        return true;
      }
      return false;
    }
  }
}
