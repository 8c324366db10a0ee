package org.vitals.fhir.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.vitals.fhir.VitalSignsFixtures;

/**
 * Measures vital-sign Observation ingestion into a running FHIR server, in committed Observations
 * per second: one POST per Observation (the naive client), transaction Bundles of 50, 200 and 500,
 * and conditional-create Bundles. Not a test: run it with {@code scripts/bench-fhir-ingest}, which
 * starts the server on a fresh PostgreSQL database. Request bodies are encoded before the clock
 * starts, so the figures are the server's.
 *
 * <p>Arguments: base URL, observations per bundle case, client threads, and optionally the server's
 * process id and database name: then each case also prints the CPU milliseconds the server and its
 * PostgreSQL backends spent per Observation, and the rate two otherwise idle cores would sustain at
 * that cost (the machine may be shared while this runs).
 */
public final class IngestBenchmark {

  static final FhirContext FHIR = FhirContext.forR4Cached();
  static final int PATIENTS = 100;

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final List<String> patients = new ArrayList<>();
  private final List<String> devices = new ArrayList<>();
  private long clock = System.currentTimeMillis() - 86_400_000L;

  IngestBenchmark(String base) {
    this.base = base;
  }

  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "http://localhost:8080/fhir";
    int perCase = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    IngestBenchmark bench = new IngestBenchmark(base);
    if (args.length > 4) {
      bench.cpu = new CpuMeter(Long.parseLong(args[3]), args[4]);
    }
    bench.setUp();
    System.out.printf(
        "%-34s %8s %8s %10s %8s %10s %8s %8s %10s %12s %12s%n",
        "case",
        "obs",
        "seconds",
        "obs/s",
        "x naive",
        "server ms",
        "jit ms",
        "gc ms",
        "db ms",
        "2-core cap",
        "cap w/o JIT");
    // BENCH_WARMUP_ROUNDS repeats the warm-up: C2 keeps compiling HAPI's code for minutes, and
    // its CPU counts in the server's until it settles.
    int warmUps = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_ROUNDS", "1"));
    for (int i = 0; i < warmUps; i++) {
      bench.warmUp(threads);
    }
    // BENCH_CASES (comma list of naive,b50,b200,b500,cond,notify) runs a subset, e.g. under a
    // profiler.
    Set<String> cases =
        Set.of(
            System.getenv()
                .getOrDefault("BENCH_CASES", "naive,b50,b200,b500,cond,notify")
                .split(","));
    double naive =
        cases.contains("naive")
            ? bench.run("one POST per Observation", bench.singles(perCase / 4), threads * 2, 0)
            : -1;
    if (cases.contains("b50")) {
      bench.run("transaction bundles of 50", bench.bundles(perCase, 50, false), threads, naive);
    }
    if (cases.contains("b200")) {
      bench.run("transaction bundles of 200", bench.bundles(perCase, 200, false), threads, naive);
    }
    if (cases.contains("b500")) {
      bench.run("transaction bundles of 500", bench.bundles(perCase, 500, false), threads, naive);
    }
    if (cases.contains("cond")) {
      bench.run("conditional bundles of 200", bench.bundles(perCase, 200, true), threads, naive);
      bench.run("conditional bundles of 200, replay", bench.replayOfLast, threads, naive);
    }
    if (cases.contains("notify")) {
      bench.notificationLatency(100);
    }
  }

  /**
   * Write-to-notification latency: a rest-hook Subscription on one patient, then single
   * Observations one after another; each is timed from just before the POST to its arrival at a
   * local hook. Prints percentiles in milliseconds.
   */
  void notificationLatency(int writes) throws Exception {
    java.util.concurrent.BlockingQueue<Long> arrivals =
        new java.util.concurrent.LinkedBlockingQueue<>();
    com.sun.net.httpserver.HttpServer hook =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/hook",
        exchange -> {
          long now = System.nanoTime();
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
          arrivals.add(now);
        });
    hook.start();
    try {
      String patient = patients.get(0);
      org.hl7.fhir.r4.model.Subscription subscription = new org.hl7.fhir.r4.model.Subscription();
      subscription.setStatus(org.hl7.fhir.r4.model.Subscription.SubscriptionStatus.REQUESTED);
      subscription.setReason("benchmark");
      subscription.setCriteria("Observation?subject=" + patient);
      subscription
          .getChannel()
          .setType(org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType.RESTHOOK)
          .setEndpoint("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook")
          .setPayload("application/fhir+json");
      post("/Subscription", encode(subscription));
      Thread.sleep(5_000); // the new Subscription turns active
      arrivals.clear();
      long[] millis = new long[writes];
      int delivered = 0;
      for (int i = 0; i < writes; i++) {
        Observation o = observation(i * PATIENTS, false); // i * PATIENTS: always patient 0
        long start = System.nanoTime();
        post("/Observation", encode(o));
        Long arrived = arrivals.poll(30, TimeUnit.SECONDS);
        if (arrived != null) {
          millis[delivered++] = (arrived - start) / 1_000_000;
        }
      }
      long[] got = java.util.Arrays.copyOf(millis, delivered);
      java.util.Arrays.sort(got);
      System.out.printf(
          Locale.ROOT,
          "%-34s %8d delivered of %d, ms p50 %d, p90 %d, p99 %d, max %d%n",
          "rest-hook notification latency",
          delivered,
          writes,
          delivered == 0 ? -1 : got[delivered / 2],
          delivered == 0 ? -1 : got[(int) (delivered * 0.9)],
          delivered == 0 ? -1 : got[Math.min(delivered - 1, (int) (delivered * 0.99))],
          delivered == 0 ? -1 : got[delivered - 1]);
    } finally {
      hook.stop(0);
    }
  }

  private List<Request> replayOfLast = List.of();
  private CpuMeter cpu;

  void setUp() throws Exception {
    for (int i = 0; i < PATIENTS; i++) {
      Patient patient = new Patient();
      patient.addIdentifier().setSystem("urn:vitals:bench").setValue(UUID.randomUUID().toString());
      patients.add(post("/Patient", encode(patient)));
      Device device = new Device();
      device.addIdentifier().setSystem("urn:vitals:device").setValue(UUID.randomUUID().toString());
      devices.add(post("/Device", encode(device)));
    }
  }

  void warmUp(int threads) throws Exception {
    execute(bundles(2_000, 200, false), threads);
    execute(bundles(1_000, 200, true), threads);
    execute(singles(500), threads);
  }

  /** Runs the requests, prints the case line, returns Observations per second. */
  double run(String name, List<Request> requests, int threads, double naive) throws Exception {
    int observations = requests.stream().mapToInt(Request::observations).sum();
    CpuMeter.Sample before = cpu == null ? null : cpu.sample();
    long start = System.nanoTime();
    execute(requests, threads);
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = observations / seconds;
    String serverMs = "-";
    String jitMs = "-";
    String gcMs = "-";
    String dbMs = "-";
    String capacity = "-";
    String steadyCapacity = "-";
    if (cpu != null) {
      CpuMeter.Sample after = cpu.sample();
      double server = (after.serverMillis() - before.serverMillis()) / (double) observations;
      double db = (after.databaseMillis() - before.databaseMillis()) / (double) observations;
      double jit = (after.jitMillis() - before.jitMillis()) / (double) observations;
      double gc = (after.gcMillis() - before.gcMillis()) / (double) observations;
      serverMs = String.format(Locale.ROOT, "%.3f", server);
      jitMs = String.format(Locale.ROOT, "%.3f", jit);
      gcMs = String.format(Locale.ROOT, "%.3f", gc);
      dbMs = String.format(Locale.ROOT, "%.3f", db);
      // Without the JIT compiler's share: what the server costs once compilation has settled.
      steadyCapacity = String.format(Locale.ROOT, "%.0f", 2000.0 / (server - jit + db));
      // Two cores' worth of CPU time divided by the CPU the server and PostgreSQL spend per
      // Observation: the rate this machine sustains when nothing else runs on it.
      capacity = String.format(Locale.ROOT, "%.0f", 2000.0 / (server + db));
    }
    System.out.printf(
        Locale.ROOT,
        "%-34s %8d %8.1f %10.0f %8s %10s %8s %8s %10s %12s %12s%n",
        name,
        observations,
        seconds,
        rate,
        naive > 0 ? String.format(Locale.ROOT, "%.1f", rate / naive) : naive == 0 ? "1.0" : "-",
        serverMs,
        jitMs,
        gcMs,
        dbMs,
        capacity,
        steadyCapacity);
    return rate;
  }

  private void execute(List<Request> requests, int threads) throws Exception {
    ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>(requests);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger failures = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                Request next;
                while ((next = queue.poll()) != null) {
                  HttpResponse<String> response = send(next.path, next.body);
                  if (response.statusCode() >= 300) {
                    failures.incrementAndGet();
                    System.err.println(
                        "HTTP "
                            + response.statusCode()
                            + ": "
                            + response
                                .body()
                                .substring(0, Math.min(300, response.body().length())));
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " requests failed");
    }
  }

  List<Request> singles(int count) {
    List<Request> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      requests.add(new Request("/Observation", encode(observation(i, false)), 1));
    }
    return requests;
  }

  List<Request> bundles(int observations, int size, boolean conditional) {
    List<Request> requests = new ArrayList<>();
    for (int done = 0; done < observations; done += size) {
      Bundle tx = new Bundle().setType(BundleType.TRANSACTION);
      for (int i = 0; i < size; i++) {
        Observation o = observation(done + i, conditional);
        var request =
            tx.addEntry()
                .setResource(o)
                .getRequest()
                .setMethod(HTTPVerb.POST)
                .setUrl("Observation");
        if (conditional) {
          request.setIfNoneExist(
              "identifier="
                  + VitalSignsFixtures.READING_ID_SYSTEM
                  + "|"
                  + o.getIdentifierFirstRep().getValue());
        }
      }
      requests.add(new Request("", encode(tx), size));
    }
    if (conditional) {
      replayOfLast = requests;
    }
    return requests;
  }

  /** A realistic mix: heart rate, SpO2, respiratory rate, temperature and blood pressure. */
  Observation observation(int i, boolean withIdentity) {
    String patient = patients.get(i % PATIENTS);
    Observation o =
        switch (i % 5) {
          case 0 -> VitalSignsFixtures.heartRate(patient, 60 + i % 40);
          case 1 -> VitalSignsFixtures.spo2(patient, 90 + i % 10);
          case 2 -> VitalSignsFixtures.vital(patient, "9279-1", "151562", 12 + i % 10, "/min");
          case 3 ->
              VitalSignsFixtures.vital(patient, "8310-5", "150364", 36.5 + (i % 20) / 10.0, "Cel");
          default -> VitalSignsFixtures.bloodPressure(patient, 110 + i % 40, 70 + i % 20);
        };
    o.setDevice(new Reference(devices.get(i % PATIENTS)));
    o.setEffective(new DateTimeType(new java.util.Date(clock += 1000)));
    // Every Observation carries its reading identity, as the gateway's do.
    o.addIdentifier()
        .setSystem(VitalSignsFixtures.READING_ID_SYSTEM)
        .setValue(UUID.randomUUID().toString());
    return o;
  }

  private String post(String path, String body) throws Exception {
    HttpResponse<String> response = send(path, body);
    if (response.statusCode() >= 300) {
      throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
    }
    // With Prefer: return=minimal the new id is only in Location: .../Patient/123/_history/1
    String location = response.headers().firstValue("Location").orElseThrow();
    return new org.hl7.fhir.r4.model.IdType(location).toUnqualifiedVersionless().getValue();
  }

  private HttpResponse<String> send(String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofMinutes(5))
            .header("Content-Type", "application/fhir+json")
            .header("Prefer", "return=minimal")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    // With security on, a SMART access token (e.g. a backend-services token with system/*.cruds).
    String token = System.getenv("VITALS_BENCH_TOKEN");
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String encode(org.hl7.fhir.instance.model.api.IBaseResource resource) {
    IParser parser = FHIR.newJsonParser();
    return parser.encodeResourceToString(resource);
  }

  record Request(String path, String body, int observations) {}
}
