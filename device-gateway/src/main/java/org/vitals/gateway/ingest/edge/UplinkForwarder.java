package org.vitals.gateway.ingest.edge;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitals.gateway.ingest.mqtt.MqttConnectionSettings;

/**
 * Sends the journal to the central broker in order, one QoS 1 publish at a time, removing each
 * reading only after its PUBACK. While the uplink is down it retries with backoff; the journal
 * keeps everything meanwhile. A reading may be sent twice after a failure between PUBACK and
 * removal; the central gateway writes each reading identity once.
 */
public class UplinkForwarder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UplinkForwarder.class);

  private final ReadingJournal journal;
  private final String url;
  private final String clientId;
  private final Duration maxBackoff;
  private final MqttConnectionSettings connectionSettings;
  private final AtomicLong sent = new AtomicLong();
  private volatile boolean running = true;
  private volatile boolean connected;
  private MqttClient client;
  private Thread thread;

  public UplinkForwarder(ReadingJournal journal, String url, String clientId, Duration maxBackoff) {
    this(journal, url, clientId, maxBackoff, MqttConnectionSettings.NONE);
  }

  /** {@code connectionSettings}: the edge node's credentials and TLS at the central broker. */
  public UplinkForwarder(
      ReadingJournal journal,
      String url,
      String clientId,
      Duration maxBackoff,
      MqttConnectionSettings connectionSettings) {
    connectionSettings.check(url);
    this.journal = journal;
    this.url = url;
    this.clientId = clientId;
    this.maxBackoff = maxBackoff;
    this.connectionSettings = connectionSettings;
  }

  public UplinkForwarder start() {
    thread = new Thread(this::run, "edge-uplink");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  public long sent() {
    return sent.get();
  }

  public boolean connected() {
    return connected;
  }

  private void run() {
    long backoff = 100;
    while (running) {
      try {
        ensureConnected();
        List<ReadingJournal.Entry> batch = journal.oldest(100);
        if (batch.isEmpty()) {
          Thread.sleep(50);
          continue;
        }
        for (ReadingJournal.Entry e : batch) {
          client.publish(e.topic(), e.payload(), 1, false); // returns after the PUBACK
          journal.remove(e.id());
          sent.incrementAndGet();
        }
        backoff = 100;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (MqttException | RuntimeException e) {
        connected = false;
        closeClient();
        log.warn(
            "uplink {} unavailable ({}); {} readings journaled; retry in {} ms",
            url,
            e.getMessage(),
            journal.size(),
            backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(backoff * 2, maxBackoff.toMillis());
      }
    }
  }

  private void ensureConnected() throws MqttException {
    if (client != null && client.isConnected()) {
      return;
    }
    closeClient();
    client = new MqttClient(url, clientId, new MemoryPersistence());
    client.setTimeToWait(10_000);
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    o.setAutomaticReconnect(false);
    o.setConnectionTimeout(5);
    o.setKeepAliveInterval(30);
    connectionSettings.applyTo(o, url);
    client.connect(o);
    connected = true;
    log.info("uplink {} connected; {} readings to send", url, journal.size());
  }

  private void closeClient() {
    if (client != null) {
      try {
        if (client.isConnected()) {
          client.disconnectForcibly(100, 100, false);
        }
        client.close(true);
      } catch (MqttException | RuntimeException ignored) {
        // already gone
      }
      client = null;
    }
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeClient();
  }
}
