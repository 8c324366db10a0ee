package org.vitals.gateway.simulator;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * Publishes QoS 1 messages without waiting for each PUBACK, at most {@code maxInflight} at a time,
 * and counts what the broker acknowledged (the simulator's and the replay's "published").
 */
final class AckedPublisher {
  private final int maxInflight;
  private final Semaphore inflight;
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  AckedPublisher(int maxInflight) {
    this.maxInflight = maxInflight;
    this.inflight = new Semaphore(maxInflight);
  }

  long acked() {
    return acked.get();
  }

  long failed() {
    return failed.get();
  }

  /**
   * Sends one message; {@code counted} messages add to {@link #acked()} when acknowledged. Waits
   * while the client's window is full or it is reconnecting.
   */
  void publish(MqttAsyncClient c, String topic, MqttMessage m, boolean counted) {
    while (true) {
      try {
        inflight.acquire();
        c.publish(
            topic,
            m,
            null,
            new MqttActionListener() {
              @Override
              public void onSuccess(IMqttToken t) {
                if (counted) {
                  acked.incrementAndGet();
                }
                inflight.release();
              }

              @Override
              public void onFailure(IMqttToken t, Throwable e) {
                failed.incrementAndGet();
                inflight.release();
              }
            });
        return;
      } catch (MqttException e) {
        inflight.release();
        if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT
            && e.getReasonCode() != MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED) {
          failed.incrementAndGet();
          return;
        }
        sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Waits up to {@code seconds} for every sent message's PUBACK. */
  void drain(int seconds) throws InterruptedException {
    if (inflight.tryAcquire(maxInflight, seconds, TimeUnit.SECONDS)) {
      inflight.release(maxInflight);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
