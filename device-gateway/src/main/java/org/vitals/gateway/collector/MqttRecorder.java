package org.vitals.gateway.collector;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.vitals.gateway.ingest.mqtt.MqttConnectionSettings;

/**
 * Records MQTT messages of some topic filters (QoS 1) to NDJSON, one {@link RecordedLine} per
 * message with the receive time. The line is written before the callback returns, so Paho's PUBACK
 * follows the write. Reconnects by itself and subscribes again (clean start: the collector records
 * what flows while it runs, it does not queue).
 */
public final class MqttRecorder implements AutoCloseable {
  private final String url;
  private final List<String> filters;
  private final RecordFile out;
  private final String clientId;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private MqttAsyncClient client;

  public MqttRecorder(String url, List<String> filters, RecordFile out, String clientId) {
    this.url = url;
    this.filters = filters;
    this.out = out;
    this.clientId = clientId;
  }

  public long received() {
    return received.get();
  }

  public long failed() {
    return failed.get();
  }

  public MqttRecorder start() throws MqttException {
    client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void messageArrived(String topic, MqttMessage m) {
            long now = System.currentTimeMillis();
            try {
              var line = RecordedLine.of("mqtt", now, topic, m.getPayload());
              line.put("qos", m.getQos());
              if (m.isRetained()) {
                line.put("retained", true);
              }
              out.write(RecordedLine.bytes(line), now, false);
              received.incrementAndGet();
            } catch (IOException e) {
              failed.incrementAndGet();
              System.err.println("collect: cannot write an MQTT message: " + e.getMessage());
            }
          }

          @Override
          public void connectComplete(boolean reconnect, String serverURI) {
            if (reconnect) {
              subscribe();
            }
          }

          @Override
          public void disconnected(MqttDisconnectResponse r) {
            System.err.println("collect: MQTT connection lost (" + r.getReasonString() + ")");
          }

          @Override
          public void mqttErrorOccurred(MqttException e) {
            System.err.println("collect: MQTT error: " + e.getMessage());
          }

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    MqttConnectionOptions o = connectionOptions(url);
    try {
      client.connect(o).waitForCompletion(10_000);
    } catch (MqttException e) {
      throw new IllegalStateException(
          "cannot connect to the MQTT broker " + url + " (--mqtt): " + e.getMessage(), e);
    }
    subscribe();
    return this;
  }

  /**
   * Clean start, automatic reconnect, and the gateway's broker credentials and TLS settings from
   * the environment ({@code VITALS_MQTT_USERNAME}, {@code VITALS_MQTT_PASSWORD}, {@code
   * VITALS_MQTT_TRUSTSTORE}, ...: {@link MqttConnectionSettings}); the replay uses the same.
   */
  public static MqttConnectionOptions connectionOptions(String url) {
    MqttConnectionSettings settings =
        new MqttConnectionSettings(
            System.getenv("VITALS_MQTT_USERNAME"),
            System.getenv("VITALS_MQTT_PASSWORD"),
            System.getenv("VITALS_MQTT_TRUSTSTORE"),
            System.getenv("VITALS_MQTT_TRUSTSTORE_PASSWORD"),
            System.getenv("VITALS_MQTT_KEYSTORE"),
            System.getenv("VITALS_MQTT_KEYSTORE_PASSWORD"));
    settings.check(url);
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    o.setAutomaticReconnect(true);
    o.setKeepAliveInterval(30);
    settings.applyTo(o, url);
    return o;
  }

  private void subscribe() {
    try {
      int[] qos = new int[filters.size()];
      java.util.Arrays.fill(qos, 1);
      client.subscribe(filters.toArray(String[]::new), qos).waitForCompletion(10_000);
    } catch (MqttException e) {
      System.err.println("collect: cannot subscribe to " + filters + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    if (client == null) {
      return;
    }
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(5_000);
      }
      client.close();
    } catch (MqttException e) {
      // closing anyway; what was received is in the file
    }
  }
}
