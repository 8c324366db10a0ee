package org.vitals.systemtests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Simulated patients publishing wire format v1 readings over MQTT 5 with QoS 1, as bedside devices
 * do (docs/wire-format.md): per patient a monitor (SpO2, pulse, heart and respiratory rate each
 * second, temperature every 30 s), a BP cuff and a glucose meter (every 60 s): about 4.07 readings
 * a second. Values stay normal (NEWS2 0) unless a patient is switched to desaturation (SpO2 84 to
 * 86 %, NEWS2 SpO2 sub-score 3: the monitor raises an alert after 15 s).
 *
 * <p>Every reading goes into the {@link Ledger}; a reading without a PUBACK after 10 s is published
 * again with the same identity, as a device resends its buffer after a reconnect, until {@link
 * #stop} is called.
 */
public final class Ward implements AutoCloseable {
  static final String DEVICE_SYSTEM = "urn:vitals:sid:device-id";
  private static final long RESEND_AFTER_MS = 10_000;

  private final String mqttUrl;
  private final String run;
  private final int patients;
  private final Ledger ledger;
  private final List<MqttAsyncClient> clients = new ArrayList<>();
  private final ConcurrentHashMap<Integer, Boolean> desaturating = new ConcurrentHashMap<>();
  private final java.util.Set<Integer> silent = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Long> seq = new ConcurrentHashMap<>();
  private final AtomicLong ticksSkipped = new AtomicLong();
  private volatile int rate = 1;
  private volatile boolean running;
  private volatile boolean resending = true;
  private Thread ticker;
  private Thread resender;

  public Ward(String mqttUrl, String run, int patients, Ledger ledger) {
    this.mqttUrl = mqttUrl;
    this.run = run;
    this.patients = patients;
    this.ledger = ledger;
  }

  public String gatewayId() {
    return run;
  }

  public String patientId(int p) {
    return run + "-p" + p;
  }

  String deviceId(int p, String kind) {
    return run + "-p" + p + "-" + kind;
  }

  /** Does this reading identity belong to this ward's devices? */
  public boolean mine(String identity) {
    return identity.startsWith(run + "-p");
  }

  /**
   * A transaction Bundle creating the patients (tagged HTEST), an in-progress Encounter each, and
   * their devices with {@code Device.patient}: what the gateway needs to assign readings.
   */
  public String registrationBundle(int from, int to) {
    StringBuilder sb =
        new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
    boolean first = true;
    for (int p = from; p < to; p++) {
      String id = patientId(p);
      List<String> entries = new ArrayList<>();
      entries.add(
          "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\""
              + id
              + "\",\"meta\":{\"security\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActReason\",\"code\":\"HTEST\"}]},"
              + "\"name\":[{\"family\":\"Load "
              + p
              + "\",\"given\":[\"Simulated\"]}]},\"request\":{\"method\":\"PUT\",\"url\":\"Patient/"
              + id
              + "\"}}");
      entries.add(
          "{\"resource\":{\"resourceType\":\"Encounter\",\"id\":\""
              + id
              + "-ward\",\"status\":\"in-progress\",\"class\":{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"IMP\"},"
              + "\"subject\":{\"reference\":\"Patient/"
              + id
              + "\"}},\"request\":{\"method\":\"PUT\",\"url\":\"Encounter/"
              + id
              + "-ward\"}}");
      for (String kind : new String[] {"mon", "bp", "glu"}) {
        String dev = deviceId(p, kind);
        entries.add(
            "{\"resource\":{\"resourceType\":\"Device\",\"identifier\":[{\"system\":\""
                + DEVICE_SYSTEM
                + "\",\"value\":\""
                + dev
                + "\"}],\"status\":\"active\",\"patient\":{\"reference\":\"Patient/"
                + id
                + "\"}},\"request\":{\"method\":\"POST\",\"url\":\"Device\",\"ifNoneExist\":\"identifier="
                + DEVICE_SYSTEM
                + "|"
                + dev
                + "\"}}");
      }
      for (String e : entries) {
        sb.append(first ? "" : ",").append(e);
        first = false;
      }
    }
    return sb.append("]}").toString();
  }

  /** Registers the patients and devices on the FHIR server, 50 patients a transaction. */
  public void register(Fhir fhir) throws java.io.IOException {
    for (int from = 0; from < patients; from += 50) {
      fhir.transaction(registrationBundle(from, Math.min(patients, from + 50)));
    }
  }

  /** Readings per tick multiplier: 1 is the normal rate, 10 a burst of ten times as many. */
  public void rate(int multiplier) {
    if (multiplier < 1 || multiplier > 100) {
      throw new IllegalArgumentException("rate multiplier 1..100: " + multiplier);
    }
    this.rate = multiplier;
  }

  /** Switches a patient's SpO2 to 84 to 86 % (or back to normal); a silent patient starts. */
  public void desaturate(int patient, boolean on) {
    desaturating.put(patient, on);
    silent.remove(patient);
  }

  /** The patient's devices publish nothing until {@link #desaturate} switches them on. */
  public void silence(int patient) {
    silent.add(patient);
  }

  /** Connects and starts publishing in the background. */
  public void start() throws MqttException {
    int n = Math.max(1, Math.min(4, 1 + patients / 50));
    for (int i = 0; i < n; i++) {
      MqttAsyncClient c = new MqttAsyncClient(mqttUrl, run + "-pub-" + i, new MemoryPersistence());
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setCleanStart(true);
      o.setAutomaticReconnect(true);
      o.setAutomaticReconnectDelay(1, 2);
      o.setKeepAliveInterval(10);
      o.setConnectionTimeout(5);
      c.connect(o).waitForCompletion(15_000);
      clients.add(c);
    }
    running = true;
    ticker = new Thread(this::tickLoop, "ward-ticker");
    ticker.setDaemon(true);
    ticker.start();
    resender = new Thread(this::resendLoop, "ward-resender");
    resender.setDaemon(true);
    resender.start();
  }

  /** Ticks behind schedule that were dropped (the publisher could not keep up). */
  public long ticksSkipped() {
    return ticksSkipped.get();
  }

  private void tickLoop() {
    long tick = 0;
    int currentRate = rate;
    long base = System.nanoTime();
    long ticksAtBase = 0;
    while (running) {
      if (rate != currentRate) {
        currentRate = rate;
        base = System.nanoTime();
        ticksAtBase = 0;
      }
      long due = base + (long) (ticksAtBase * 1e9 / currentRate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        sleepNanos(wait);
        continue;
      }
      if (-wait > 5_000_000_000L) { // more than 5 s behind: drop the backlog of ticks
        long behind = (long) (-wait / 1e9 * currentRate);
        ticksSkipped.addAndGet(behind);
        ticksAtBase += behind;
      }
      long ts = System.currentTimeMillis();
      for (int p = 0; p < patients && running; p++) {
        if (!silent.contains(p)) {
          publishPatient(p, tick, ts);
        }
      }
      tick++;
      ticksAtBase++;
    }
  }

  private void publishPatient(int p, long tick, long ts) {
    int i = (int) ((tick + p * 37L) % 600);
    boolean desat = desaturating.getOrDefault(p, false);
    double spo2 = desat ? 84 + (tick % 3) : 96 + (i % 4);
    double pulse = 66 + (i * 7 + p) % 18;
    double hr = pulse + (i % 3) - 1;
    double rr = 14 + (i * 3 + p) % 5;
    String mon = deviceId(p, "mon");
    numeric(mon, "spo2", spo2, "%", ts);
    numeric(mon, "pr", pulse, "/min", ts);
    numeric(mon, "hr", hr, "/min", ts);
    numeric(mon, "rr", rr, "/min", ts);
    if ((tick + p) % 30 == 0) {
      numeric(mon, "temp", 36.6 + ((p * 13 + tick) % 5) / 10.0, "Cel", ts);
    }
    if ((tick + p) % 60 == 0) {
      String dev = deviceId(p, "bp");
      long q = next(dev);
      int sys = 115 + (int) ((p * 7 + tick) % 20);
      int dia = 70 + (int) ((p * 3 + tick) % 12);
      publish(
          dev,
          q,
          "bp",
          String.format(
              Locale.ROOT,
              "{\"v\":1,\"dev\":\"%s\",\"boot\":1,\"seq\":%d,\"ts\":%d,\"metric\":\"bp\",\"unit\":\"mm[Hg]\","
                  + "\"cmp\":{\"150021\":%d,\"150022\":%d,\"150023\":%d},\"st\":[\"valid\"]}",
              dev,
              q,
              ts,
              sys,
              dia,
              Math.round(dia + (sys - dia) / 3f)));
    }
    if ((tick + p) % 60 == 30) {
      numeric(deviceId(p, "glu"), "glucose", 95 + (p * 11 + tick) % 60, "mg/dL", ts);
    }
  }

  private void numeric(String dev, String metric, double value, String unit, long ts) {
    long q = next(dev);
    String val =
        value == Math.rint(value)
            ? Long.toString((long) value)
            : String.format(Locale.ROOT, "%.1f", value);
    publish(
        dev,
        q,
        metric,
        String.format(
            Locale.ROOT,
            "{\"v\":1,\"dev\":\"%s\",\"boot\":1,\"seq\":%d,\"ts\":%d,\"tsq\":\"ntp\",\"metric\":\"%s\",\"val\":%s,\"unit\":\"%s\",\"st\":[\"valid\"]}",
            dev,
            q,
            ts,
            metric,
            val,
            unit));
  }

  private long next(String dev) {
    return seq.merge(dev, 1L, Long::sum);
  }

  private void publish(String dev, long q, String metric, String body) {
    String topic = "vitals/v1/" + run + "/" + dev + "/" + metric;
    Ledger.Entry e =
        ledger.sent(
            dev + ":1:" + q,
            topic,
            body.getBytes(StandardCharsets.UTF_8),
            System.currentTimeMillis());
    send(e);
  }

  private void send(Ledger.Entry e) {
    MqttAsyncClient c = clients.get(Math.floorMod(e.topic.hashCode(), clients.size()));
    ledger.attempt(e, System.currentTimeMillis());
    long giveUp = System.currentTimeMillis() + 2000;
    while (true) {
      try {
        c.publish(
            e.topic,
            e.payload,
            1,
            false,
            null,
            new MqttActionListener() {
              @Override
              public void onSuccess(IMqttToken t) {
                ledger.acked(e, System.currentTimeMillis());
              }

              @Override
              public void onFailure(IMqttToken t, Throwable ex) {
                // left pending: the resender publishes it again
              }
            });
        return;
      } catch (MqttException ex) {
        if (ex.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT
            || System.currentTimeMillis() > giveUp) {
          return; // not connected (broker restarting): left pending, resent later
        }
        sleepNanos(500_000);
      }
    }
  }

  private void resendLoop() {
    while (resending) {
      sleepNanos(2_000_000_000L);
      long now = System.currentTimeMillis();
      for (Ledger.Entry e : ledger.unackedSince(now - RESEND_AFTER_MS)) {
        if (!resending) {
          return;
        }
        send(e);
      }
    }
  }

  /**
   * Stops publishing new readings, then keeps resending unacknowledged ones for at most {@code
   * waitMs} until every reading is acknowledged.
   */
  public void stop(long waitMs) {
    running = false;
    if (ticker != null) {
      try {
        ticker.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long until = System.currentTimeMillis() + waitMs;
    while (ledger.pendingCount() > 0 && System.currentTimeMillis() < until) {
      sleepNanos(200_000_000L);
    }
    resending = false;
  }

  @Override
  public void close() {
    running = false;
    resending = false;
    for (MqttAsyncClient c : clients) {
      try {
        c.disconnect().waitForCompletion(3000);
      } catch (MqttException e) {
        // closing anyway
      }
      try {
        c.close(true);
      } catch (MqttException e) {
        // closing anyway
      }
    }
    clients.clear();
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
