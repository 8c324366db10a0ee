package org.vitals.gateway.ingest.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.vitals.gateway.mapping.DeviceTemplate;
import org.vitals.gateway.mapping.TemplateRegistry;
import org.vitals.gateway.writing.ReadingPipeline;
import org.vitals.gateway.writing.Ticket;

/**
 * MQTT readings to the pipeline, with the gateway's own Paho MQTT 5 client
 * (docs/decisions/0204-own-mqtt-consumer.md): persistent session (clean start off, session expiry
 * one week, fixed client id), QoS 1, manual acknowledgements. A message's PUBACK goes out only when
 * the pipeline has written every reading it carried to FHIR or to the dead-letter store.
 *
 * <p>The callback and manual acks are set <em>before</em> the client connects: a broker that holds
 * a session sends the queued messages right after CONNACK, and a client without a callback at that
 * moment drops them unacknowledged (what camel-paho-mqtt5 4.17 does, decision 0204).
 *
 * <p>A PUBACK is sent only for a delivery that arrived on the current connection and whose packet
 * id was not acknowledged since it arrived; other deliveries are redelivered by the broker (same
 * packet id, DUP) after the reconnect and acknowledged then. So an acknowledgement never covers a
 * message that is not yet committed, even when the broker reuses a packet id.
 */
public class MqttReadingsSubscriber implements MqttCallback, SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(MqttReadingsSubscriber.class);
  static final long SESSION_EXPIRY_SECONDS = 604_800; // one week

  private final String url;
  private final MqttConnectionSettings connectionSettings;
  private final String clientId;
  private final String nativeTopic;
  private final int receiveMaximum;
  private final ReadingPipeline pipeline;
  private final TemplateRegistry templates;
  private final DeviceStatusBoard statusBoard;
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService reconnects =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "mqtt-reconnect");
            t.setDaemon(true);
            return t;
          });

  /** Bumped at every connection loss: deliveries of an older connection are not acknowledged. */
  private final AtomicLong connection = new AtomicLong();

  /** Counts deliveries; {@link #ackedAt} holds this count at the last PUBACK of a packet id. */
  private final AtomicLong arrivals = new AtomicLong();

  private final Map<Integer, Long> ackedAt = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicBoolean connectScheduled =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile MqttAsyncClient client;
  private volatile boolean running;
  private volatile boolean subscribed;
  private volatile String lastError;

  /** {@code connectionSettings}: credentials and TLS for an external broker (docs/security.md). */
  public MqttReadingsSubscriber(
      BrokerAddress broker,
      MqttConnectionSettings connectionSettings,
      String clientId,
      String nativeTopic,
      int receiveMaximum,
      ReadingPipeline pipeline,
      TemplateRegistry templates,
      DeviceStatusBoard statusBoard) {
    if (nativeTopic == null || !nativeTopic.startsWith("vitals/v1/")) {
      throw new IllegalArgumentException(
          "VITALS_MQTT_TOPIC must be a filter under vitals/v1/ (e.g. vitals/v1/+/+/+), not '"
              + nativeTopic
              + "'");
    }
    this.url = broker.url();
    connectionSettings.check(url);
    this.connectionSettings = connectionSettings;
    this.clientId = clientId;
    this.nativeTopic = nativeTopic;
    this.receiveMaximum = receiveMaximum;
    this.pipeline = pipeline;
    this.templates = templates;
    this.statusBoard = statusBoard;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    topics.add(nativeTopic);
    for (DeviceTemplate t : templates.current().devices()) {
      topics.add(t.topic());
    }
    try {
      client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalStateException("MQTT client for " + url + ": " + e.getMessage(), e);
    }
    client.setManualAcks(true);
    client.setCallback(this);
    connect(Duration.ZERO);
  }

  private MqttConnectionOptions options() {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(false);
    o.setSessionExpiryInterval(SESSION_EXPIRY_SECONDS);
    o.setKeepAliveInterval(60);
    o.setConnectionTimeout(10);
    o.setReceiveMaximum(receiveMaximum);
    // Reconnects are ours (connect below): the connection count must change before the broker
    // can send anything on the new connection.
    o.setAutomaticReconnect(false);
    connectionSettings.applyTo(o, url);
    return o;
  }

  private void connect(Duration delay) {
    if (!running || !connectScheduled.compareAndSet(false, true)) {
      return;
    }
    reconnects.schedule(
        () -> {
          connectScheduled.set(false);
          if (!running || client.isConnected()) {
            return;
          }
          connection.incrementAndGet();
          try {
            client.connect(options()).waitForCompletion(15_000);
          } catch (MqttException e) {
            lastError = e.toString();
            Duration next =
                delay.isZero()
                    ? Duration.ofMillis(500)
                    : delay.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                        ? Duration.ofSeconds(5)
                        : delay.multipliedBy(2);
            log.warn("MQTT broker {} not reachable ({}); retrying in {}", url, e, next);
            connect(next);
          }
        },
        delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void connectComplete(boolean reconnect, String serverURI) {
    lastError = null;
    log.info("Connected to MQTT broker {} as {}", serverURI, clientId);
    // Subscriptions live in the persistent session; subscribing again is harmless and restores
    // them when the broker lost the session (expired, or a broker without persistence restarted).
    for (String t : topics) {
      subscribe(t);
    }
    subscribed = true;
  }

  private void subscribe(String topic) {
    try {
      client.subscribe(topic, 1);
    } catch (MqttException e) {
      log.error("MQTT subscribe to {} failed: {}", topic, e.toString());
    }
  }

  /** Subscribes to the topic of a device template added by a reload (called after reloads). */
  public void subscribeNewDeviceTemplates() {
    for (DeviceTemplate t : templates.current().devices()) {
      if (topics.add(t.topic()) && client != null && client.isConnected()) {
        subscribe(t.topic());
      }
    }
  }

  @Override
  public void disconnected(MqttDisconnectResponse response) {
    subscribed = false;
    connection.incrementAndGet();
    lastError = String.valueOf(response);
    if (running) {
      log.warn("MQTT connection to {} lost ({}); reconnecting", url, response);
      connect(Duration.ofMillis(500));
    }
  }

  @Override
  public void mqttErrorOccurred(MqttException exception) {
    log.warn("MQTT error: {}", exception.toString());
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    long conn = connection.get();
    long arrival = arrivals.incrementAndGet();
    int id = message.getId();
    int qos = message.getQos();
    byte[] payload = message.getPayload();
    if (topic.startsWith("vitals/v1/") && topic.endsWith("/status")) {
      statusBoard.update(topic, new String(payload, StandardCharsets.UTF_8));
      acknowledge(conn, arrival, id, qos);
      return;
    }
    try {
      pipeline.submit(
          new Ticket(
              "mqtt", topic, payload, Instant.now(), () -> acknowledge(conn, arrival, id, qos)));
    } catch (RuntimeException e) {
      // Not acknowledged: the broker redelivers it after the next reconnect.
      log.error("reading on {} not taken: {}", topic, e.toString());
    }
  }

  /** Sends the PUBACK of a settled delivery, unless the broker will redeliver it anyway. */
  void acknowledge(long conn, long arrival, int id, int qos) {
    if (qos == 0) {
      return;
    }
    synchronized (ackedAt) {
      if (conn != connection.get()) {
        return; // arrived on an earlier connection: the broker resends it on this one
      }
      Long last = ackedAt.get(id);
      if (last != null && last >= arrival) {
        return; // an earlier copy of the same message was acknowledged after this one arrived
      }
      MqttAsyncClient c = client;
      try {
        c.messageArrivedComplete(id, qos);
        ackedAt.put(id, arrivals.get());
      } catch (MqttException | RuntimeException e) {
        log.debug("PUBACK {} not sent ({}); the broker will redeliver", id, e.toString());
      }
    }
  }

  @Override
  public void deliveryComplete(IMqttToken token) {}

  @Override
  public void authPacketArrived(int reasonCode, MqttProperties properties) {}

  public boolean connected() {
    MqttAsyncClient c = client;
    return c != null && c.isConnected() && subscribed;
  }

  public String lastError() {
    return lastError;
  }

  public Set<String> topics() {
    return Set.copyOf(topics);
  }

  @Override
  public synchronized void stop() {
    running = false;
    reconnects.shutdownNow();
    MqttAsyncClient c = client;
    if (c != null) {
      try {
        // No unsubscribe: the session and its subscriptions stay on the broker, which keeps
        // queuing readings for us; what is not acknowledged yet is redelivered at the next start.
        if (c.isConnected()) {
          c.disconnect(2000).waitForCompletion(3000);
        }
      } catch (MqttException e) {
        log.debug("MQTT disconnect: {}", e.toString());
      }
      try {
        c.close(true);
      } catch (MqttException e) {
        log.debug("MQTT close: {}", e.toString());
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Starts after the pipeline and the embedded broker, stops before them. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 1000;
  }
}
