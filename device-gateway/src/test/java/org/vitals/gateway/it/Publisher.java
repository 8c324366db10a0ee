package org.vitals.gateway.it;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** A QoS 1 test publisher that counts the broker's acknowledgements. */
public final class Publisher implements AutoCloseable {
  private final MqttAsyncClient client;
  private final Semaphore window = new Semaphore(500);
  private final AtomicInteger acked = new AtomicInteger();

  public Publisher(String url) throws Exception {
    client = new MqttAsyncClient(url, "it-pub-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    client.connect(o).waitForCompletion(10_000);
  }

  public void publish(String topic, byte[] payload) throws Exception {
    MqttMessage m = new MqttMessage(payload);
    m.setQos(1);
    MqttActionListener listener =
        new MqttActionListener() {
          @Override
          public void onSuccess(IMqttToken t) {
            acked.incrementAndGet();
            window.release();
          }

          @Override
          public void onFailure(IMqttToken t, Throwable e) {
            window.release();
          }
        };
    while (true) {
      window.acquire();
      try {
        client.publish(topic, m, null, listener);
        return;
      } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
        window.release();
        if (e.getReasonCode()
            != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT) {
          throw e;
        }
        Thread.sleep(1);
      }
    }
  }

  public void publish(String topic, String payload) throws Exception {
    publish(topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  /** Waits until every publish so far is acknowledged by the broker; returns the count. */
  public int flush() throws Exception {
    if (!window.tryAcquire(500, 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("broker did not acknowledge the publishes within 60 s");
    }
    window.release(500);
    return acked.get();
  }

  /** Ends a persistent session a test left on the broker, so it does not queue messages forever. */
  public static void removeSession(String url, String clientId) {
    try {
      MqttAsyncClient c = new MqttAsyncClient(url, clientId, new MemoryPersistence());
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setCleanStart(true);
      o.setSessionExpiryInterval(0L);
      c.connect(o).waitForCompletion(10_000);
      c.disconnect().waitForCompletion(5000);
      c.close();
    } catch (Exception e) {
      // best effort: a leftover session only costs the broker memory
    }
  }

  public int acked() {
    return acked.get();
  }

  @Override
  public void close() throws Exception {
    client.disconnect().waitForCompletion(5000);
    client.close();
  }
}
