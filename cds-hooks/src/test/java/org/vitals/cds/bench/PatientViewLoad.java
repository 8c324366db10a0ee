package org.vitals.cds.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.vitals.cds.it.FhirFixtures;
import org.vitals.cds.it.Prefetch;

/**
 * Load client for {@code patient-view} with full prefetch (not a test). Open loop: requests are
 * started at a fixed rate whatever the answers do, and latency counts from the planned start, so a
 * slow server cannot hide its queueing. Loopback only; the number of requests is fixed in advance.
 *
 * <pre>
 *   keys DIR                             writes DIR/jwks.json (public) and DIR/key.json (private)
 *   run BASE DIR [rate] [seconds] [warmup]  e.g. run http://127.0.0.1:18082 /tmp/x 50 60 10
 * </pre>
 */
public final class PatientViewLoad {

  static final String ISSUER = "https://bench.vitals.test";

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("keys")) {
      ECKey key = new ECKeyGenerator(Curve.P_384).keyID("bench").generate();
      Path dir = Path.of(args[1]);
      Files.writeString(dir.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString());
      Files.writeString(dir.resolve("key.json"), key.toJSONString());
      System.out.println(ISSUER + "=" + dir.resolve("jwks.json").toUri());
      return;
    }
    if (args.length < 3 || !args[0].equals("run")) {
      System.err.println("usage: keys DIR | run BASE DIR [rate] [seconds] [warmup]");
      System.exit(2);
    }
    String base = args[1].replaceAll("/+$", "");
    ECKey key = ECKey.parse(Files.readString(Path.of(args[2], "key.json")));
    int rate = args.length > 3 ? Integer.parseInt(args[3]) : 50;
    int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 60;
    int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 10;
    if (rate > 500 || seconds + warmup > 600) {
      throw new IllegalArgumentException("bounded: at most 500 requests/s for 600 s");
    }
    if (!URI.create(base).getHost().matches("127\\.\\d+\\.\\d+\\.\\d+|localhost|\\[::1]")) {
      throw new IllegalArgumentException("loopback only: " + base);
    }
    String url = base + "/cds-services/vitals-ai";
    String body = requestBody();
    // Encoded once: the client should cost as little CPU as it can on the machine it shares.
    byte[] bodyBytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    System.out.printf(
        Locale.ROOT, "request body: %.0f kB (prefetch of 13 keys)%n", body.length() / 1024.0);
    int total = rate * (seconds + warmup);
    String[] tokens = new String[total];
    for (int i = 0; i < total; i++) {
      tokens[i] = token(key, url);
    }
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    warmClient(http, bodyBytes);
    long[] latencyMicros = new long[total];
    // How late the client itself sent each request (ticker and HttpClient): if this grows, the
    // client distorts the figures; latency is counted from the planned time either way.
    long[] sendLagMicros = new long[total];
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger measuredErrors = new AtomicInteger();
    java.util.Map<String, Integer> errorKinds = new java.util.concurrent.ConcurrentSkipListMap<>();
    AtomicInteger cards = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(total);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    long periodNanos = 1_000_000_000L / rate;
    long t0 = System.nanoTime() + 200_000_000L;
    for (int i = 0; i < total; i++) {
      int n = i;
      long planned = t0 + n * periodNanos;
      ticker.schedule(
          () -> {
            HttpRequest req =
                HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + tokens[n])
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodyBytes))
                    .build();
            sendLagMicros[n] = (System.nanoTime() - planned) / 1000;
            http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
                .whenComplete(
                    (r, e) -> {
                      latencyMicros[n] = (System.nanoTime() - planned) / 1000;
                      if (e != null || r.statusCode() != 200) {
                        Throwable cause =
                            e instanceof java.util.concurrent.CompletionException
                                    && e.getCause() != null
                                ? e.getCause()
                                : e;
                        errorKinds.merge(
                            cause != null
                                ? cause.getClass().getSimpleName()
                                : "HTTP " + r.statusCode(),
                            1,
                            Integer::sum);
                        if (errors.incrementAndGet() == 1) {
                          System.out.println(
                              "first error: "
                                  + (e != null
                                      ? e.toString()
                                      : r.statusCode()
                                          + " "
                                          + r.body()
                                              .substring(0, Math.min(300, r.body().length()))));
                        }
                        latencyMicros[n] = Long.MAX_VALUE;
                        if (n >= rate * warmup) {
                          measuredErrors.incrementAndGet();
                        }
                      } else if (n == total - 1) {
                        cards.set(r.body().split("\"summary\"").length - 1);
                      }
                      done.countDown();
                    });
          },
          planned - System.nanoTime(),
          TimeUnit.NANOSECONDS);
    }
    done.await(seconds + warmup + 60L, TimeUnit.SECONDS);
    ticker.shutdown();
    long[] measured = Arrays.copyOfRange(latencyMicros, rate * warmup, total);
    Arrays.sort(measured);
    System.out.printf(
        Locale.ROOT,
        "patient-view with prefetch, %d requests/s open loop, %d s measured after %d s warm-up:"
            + " %d requests, %d errors (%d in the warm-up), %d cards per response%n",
        rate,
        seconds,
        warmup,
        measured.length,
        measuredErrors.get(),
        errors.get() - measuredErrors.get(),
        cards.get());
    System.out.printf(
        Locale.ROOT,
        "latency ms: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
        pct(measured, 50),
        pct(measured, 90),
        pct(measured, 99),
        pct(measured, 99.9),
        measured[measured.length - 1] / 1000.0);
    // Per 5-s window of planned send time: shows whether a tail is spread out or one bad stretch.
    StringBuilder windows = new StringBuilder("by 5-s window (p50/p99 ms, errors):");
    for (int w = 0; w * rate * 5 < total; w++) {
      long[] win =
          Arrays.copyOfRange(latencyMicros, w * rate * 5, Math.min(total, (w + 1) * rate * 5));
      int bad = 0;
      for (long v : win) {
        bad += v == Long.MAX_VALUE ? 1 : 0;
      }
      Arrays.sort(win);
      windows.append(String.format(Locale.ROOT, " %.0f/%.0f", pct(win, 50), pct(win, 99)));
      if (bad > 0) {
        windows.append("/").append(bad).append("e");
      }
    }
    System.out.println(windows);
    long[] lag = Arrays.copyOfRange(sendLagMicros, rate * warmup, total);
    Arrays.sort(lag);
    System.out.printf(
        Locale.ROOT,
        "client send lag behind the planned time, ms: p50 %.2f  p99 %.2f  max %.2f%n",
        pct(lag, 50),
        pct(lag, 99),
        lag[lag.length - 1] / 1000.0);
    if (!errorKinds.isEmpty()) {
      System.out.println("errors by kind (warm-up included): " + errorKinds);
    }
    System.exit(measuredErrors.get() == 0 ? 0 : 1);
  }

  /**
   * Warms the client's own sending and receiving code (its JIT) against a sink in this process, so
   * that a cold client does not add its start-up to the service's first latencies nor take CPU from
   * the service while the measurement runs; the service is not called.
   */
  static void warmClient(HttpClient http, byte[] body) throws Exception {
    com.sun.net.httpserver.HttpServer sink =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    byte[] answer = "{\"cards\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    sink.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders(200, answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    sink.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + sink.getAddress().getPort() + "/sink");
      long end = System.nanoTime() + 8_000_000_000L;
      int n = 0;
      while (System.nanoTime() < end && n < 2000) {
        HttpRequest req =
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).join();
        n++;
      }
      System.out.println("client warmed up against a local sink: " + n + " requests");
    } finally {
      sink.stop(0);
    }
  }

  static double pct(long[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
  }

  static String token(ECKey key, String aud) throws Exception {
    return org.vitals.cds.hooks.WarmUp.token(key, ISSUER, aud, 900);
  }

  /**
   * A deteriorating patient as a bedside client would prefetch them: 10 min of 1-Hz SpO2, the last
   * 20 heart and respiratory rates, 30 days of BP, 24 h of CGM, 60 s of ECG at 250 Hz, COPD and a
   * beta-blocker.
   */
  static String requestBody() throws Exception {
    String p = "bench";
    Instant now = Instant.now();
    List<Observation> obs = new ArrayList<>();
    for (int s = 599; s >= 0; s--) {
      obs.add(FhirFixtures.spo2(p, now.minusSeconds(s), s % 120 < 30 ? 86 : 93));
    }
    for (int s = 19; s >= 0; s--) {
      obs.add(FhirFixtures.heartRate(p, now.minusSeconds(s), 118));
      obs.add(FhirFixtures.respRate(p, now.minusSeconds(s), 24));
    }
    for (int i = 4; i >= 0; i--) {
      obs.add(FhirFixtures.temperature(p, now.minusSeconds(i * 3600L), 38.4));
    }
    for (int d = 99; d >= 0; d--) {
      obs.add(FhirFixtures.bloodPressure(p, now.minusSeconds(d * 7200L), 100 + (d % 7), 64));
    }
    for (int i = 287; i >= 0; i--) {
      obs.add(FhirFixtures.glucose(p, now.minusSeconds(i * 300L), 140 + 60 * Math.sin(i / 20.0)));
    }
    for (int s = 59; s >= 0; s--) {
      obs.add(FhirFixtures.ecgStrip(p, now.minusSeconds(s + 1), syntheticEcg(250, s), 250));
    }
    List<Condition> conditions = List.of(FhirFixtures.copd(p));
    List<MedicationStatement> meds = List.of(FhirFixtures.bisoprolol(p));
    ObjectNode body = Prefetch.request("patient-view", p, obs, conditions, meds);
    return new ObjectMapper().writeValueAsString(body);
  }

  /** One second of a plain synthetic ECG (QRS-like spikes at 75/min), in mV. */
  static double[] syntheticEcg(int fs, int second) {
    double[] x = new double[fs];
    for (int i = 0; i < fs; i++) {
      double t = second + (double) i / fs;
      double phase = (t % 0.8) - 0.4;
      x[i] =
          1.2 * Math.exp(-phase * phase / (2 * 0.012 * 0.012))
              + 0.1 * Math.sin(2 * Math.PI * 0.3 * t);
    }
    return x;
  }
}
