package org.vitals.gateway.simulator;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * End-to-end benchmark (not a test): readings per second from MQTT to committed Observations and
 * reading-to-commit latency (device timestamp to commit, from the gateway's histogram) for vitals
 * only and vitals plus 250-Hz ECG at several patient counts; beside it, in the same run, the naive
 * path (one conditional FHIR POST per reading) and the FHIR server's own bundle ingest rate
 * (transactions of 200 conditional creates, sent directly). Needs a running FHIR server and
 * gateway; scripts/bench-gateway starts both.
 */
public final class GatewayBenchmark {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** How long before its readings a case's devices are registered: the change margin and 2 s. */
  static final Duration REGISTERED_BEFORE =
      org.vitals.gateway.identity.DeviceDirectory.CHANGE_MARGIN.plusSeconds(2);

  /** Conditional POSTs of the naive path. */
  static final int NAIVE_COUNT = 1000;

  private GatewayBenchmark() {}

  public static int run(String[] args) throws Exception {
    String fhirUrl = arg(args, "--fhir", "http://localhost:8080/fhir");
    String gateway = arg(args, "--gateway", "http://localhost:8081");
    String mqtt = arg(args, "--mqtt", "tcp://127.0.0.1:1883");
    int seconds = Integer.parseInt(arg(args, "--seconds", "20"));
    String data = arg(args, "--data", System.getProperty("vitals.data.dir", "../shared/data"));
    List<Integer> counts = new ArrayList<>();
    for (String c : arg(args, "--patients", "10,100,1000").split(",")) {
      counts.add(Integer.parseInt(c.trim()));
    }
    // Enough bundles for about half a minute each: a few seconds were too short to measure on a
    // shared machine (another process's burst, the 30-s ANALYZE).
    int direct = Integer.parseInt(arg(args, "--direct", "20000"));
    String cases = arg(args, "--cases", "both");
    CpuMeter cpu = CpuMeter.parse(arg(args, "--cpu", ""), arg(args, "--pg-db", ""));
    int warmup = Integer.parseInt(arg(args, "--warmup", "0"));
    boolean summaryMode = arg(args, "--storage", "every-reading").equals("minute-summary");
    if (warmup > 0) {
      // Fresh JVMs (gateway, FHIR server) spend their first minutes compiling: a warm-up of the
      // same kind, not recorded, so that the figures are the steady state's.
      System.out.printf(Locale.ROOT, "warm-up (not recorded): 100 patients for %d s%n", warmup);
      if (summaryMode) {
        minuteSummaries(fhirUrl, gateway, mqtt, Path.of(data), 100, warmup, null);
      } else {
        endToEnd(fhirUrl, gateway, mqtt, Path.of(data), 100, warmup, true, null, 0, null);
        IGenericClient fhir = client(fhirUrl);
        bundles(fhir, subject(fhir), 2000, 200, 2);
      }
    }
    if (summaryMode) {
      System.out.println(
          "| case (minute-summary storage) | patients | readings published | stored at once"
              + " (exceptions) | minute summaries | stored at once p50 / p99 | summary commit after"
              + " minute end p50 / p99 | load avg at end (1/5/15 min) |");
      System.out.println("|---|---|---|---|---|---|---|---|");
      for (int n : counts) {
        minuteSummaries(fhirUrl, gateway, mqtt, Path.of(data), n, seconds, cpu);
      }
      cpu.print();
      return 0;
    }
    System.out.println(
        "| case | patients | readings published | Observations written | written/s | p50 | p99 |"
            + " load avg at end (1/5/15 min) |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    int largest = counts.stream().mapToInt(Integer::intValue).max().orElse(0);
    StringBuilder comparison = new StringBuilder();
    for (boolean ecg : new boolean[] {false, true}) {
      if (cases.equals(ecg ? "vitals" : "ecg")) {
        continue;
      }
      for (int n : counts) {
        // The ratio the issue asks for, measured fairly: the server's own rate on the bundles the
        // gateway sends for this case, before and after it (decision 0212).
        boolean bracket = !ecg && n == largest;
        endToEnd(
            fhirUrl,
            gateway,
            mqtt,
            Path.of(data),
            n,
            seconds,
            ecg,
            cpu,
            bracket ? direct : 0,
            bracket ? comparison : null);
      }
    }
    System.out.print(comparison);
    IGenericClient fhir = client(fhirUrl);
    String[] refs = subject(fhir);
    CpuMeter.Snapshot n0 = cpu.snapshot();
    double naive = naive(fhir, refs, NAIVE_COUNT, 2);
    CpuMeter.Snapshot n1 = cpu.snapshot();
    double bundles = bundles(fhir, refs, direct, 200, 2);
    CpuMeter.Snapshot n2 = cpu.snapshot();
    double gatewayShaped =
        bundles(fhir, refs, direct, 200, 2, GatewayBenchmark::gatewayObservation);
    CpuMeter.Snapshot n3 = cpu.snapshot();
    cpu.record(
        "naive path (per Observation; simulator = the benchmark client)", n0, n1, NAIVE_COUNT);
    cpu.record(
        "FHIR server bundle ingest (per Observation; simulator = the benchmark client)",
        n1,
        n2,
        direct / 200 * 200);
    cpu.record(
        "FHIR server bundle ingest of gateway-shaped Observations (per Observation)",
        n2,
        n3,
        direct / 200 * 200);
    System.out.printf(
        Locale.ROOT,
        "%nnaive path, one conditional POST per reading, 2 threads: %.0f Observations/s (load %s)%n",
        naive,
        loadAverage());
    System.out.printf(
        Locale.ROOT,
        "FHIR server bundle ingest, transactions of 200 conditional creates, 2 threads: %.0f"
            + " Observations/s (load %s)%n",
        bundles,
        loadAverage());
    System.out.printf(
        Locale.ROOT,
        "FHIR server bundle ingest, the same with Observations as the gateway maps them (profile,"
            + " LOINC + MDC codings, gateway-device extension): %.0f Observations/s (load %s)%n",
        gatewayShaped,
        loadAverage());
    cpu.print();
    return 0;
  }

  private static void endToEnd(
      String fhirUrl,
      String gateway,
      String mqtt,
      Path data,
      int patients,
      int seconds,
      boolean ecg,
      CpuMeter meter,
      int serverOwn,
      StringBuilder comparison)
      throws Exception {
    boolean warmUp = meter == null;
    CpuMeter cpu = warmUp ? CpuMeter.parse("", "") : meter;
    Simulator.Run sim = prepare(fhirUrl, mqtt, data, patients, seconds, ecg);
    long registered = System.nanoTime();
    Measured before = null;
    IGenericClient fhir = serverOwn > 0 ? client(fhirUrl) : null;
    if (serverOwn > 0) {
      // Runs while the devices' change margin passes (the gateway is idle then).
      before = serverOwnIngest(fhir, cpu, sim, serverOwn, 1001);
    }
    awaitRegistered(registered);
    double written0 = counter(gateway, "written");
    double[] batches0 = summary(gateway, "vitals.gateway.batch.size");
    double[] resolve0 = summary(gateway, "vitals.gateway.stage.time?tag=stage:resolve");
    double summaries0 = meter(gateway, "vitals.gateway.summaries");
    double checks0 = meter(gateway, "vitals.gateway.device.change.checks");
    double searches0 = meter(gateway, "vitals.gateway.device.searches");
    double received0 = counter(gateway, "received");
    TreeMap<Double, Double> buckets0 = buckets(gateway);
    CpuMeter.Snapshot cpu0 = cpu.snapshot();
    long start = System.nanoTime();
    long published = sim.publishAll();
    CpuMeter.Snapshot cpuPublished = cpu.snapshot();
    // Drained: every published message received and nothing pending in the gateway (queued, in
    // a transaction, or in an open ECG strip).
    double lastWritten = -1;
    double lastDead = counter(gateway, "dead-lettered");
    long lastChange = System.nanoTime();
    // Polled every 500 ms, one request while readings are being written: the metrics requests
    // cost the gateway CPU too (20 a second took a sixth of its Java CPU), which the figures must
    // not include.
    while (true) {
      double w = counter(gateway, "written");
      double d = w == lastWritten ? counter(gateway, "dead-lettered") : lastDead;
      if (w != lastWritten || d != lastDead) {
        lastWritten = w;
        lastDead = d;
        lastChange = System.nanoTime();
      } else if (counter(gateway, "received") - received0 >= published && pending(gateway) == 0) {
        break;
      }
      if (System.nanoTime() - start > 900e9) {
        System.out.println("(gave up waiting after 900 s)");
        break;
      }
      Thread.sleep(500);
    }
    CpuMeter.Snapshot cpu1 = cpu.snapshot();
    if (warmUp) {
      return;
    }
    String name = (ecg ? "vitals + ECG 250 Hz, " : "vitals, ") + patients + " patients";
    cpu.record(name + ", publishing", cpu0, cpuPublished, published);
    cpu.record(name + ", drain after publishing", cpuPublished, cpu1, published);
    cpu.record(name + ", whole case", cpu0, cpu1, published);
    double written = counter(gateway, "written") - written0;
    double elapsed = (lastChange - start) / 1e9;
    double[] batches1 = summary(gateway, "vitals.gateway.batch.size");
    double[] resolve1 = summary(gateway, "vitals.gateway.stage.time?tag=stage:resolve");
    double summaries = meter(gateway, "vitals.gateway.summaries") - summaries0;
    double checks = meter(gateway, "vitals.gateway.device.change.checks") - checks0;
    double searches = meter(gateway, "vitals.gateway.device.searches") - searches0;
    TreeMap<Double, Double> buckets1 = buckets(gateway);
    String endToEndLoad = loadAverage();
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %d | %.0f | %.0f | %s | %s | %s |%n",
        ecg ? "vitals + ECG 250 Hz" : "vitals",
        patients,
        published,
        written,
        written / elapsed,
        quantile(buckets0, buckets1, 0.5),
        quantile(buckets0, buckets1, 0.99),
        endToEndLoad);
    if (serverOwn > 0) {
      Measured after = serverOwnIngest(fhir, cpu, sim, serverOwn, 1002);
      double mean = (before.rate() + after.rate()) / 2;
      double batchMean = (batches1[1] - batches0[1]) / Math.max(1, batches1[0] - batches0[0]);
      comparison.append(
          String.format(
              Locale.ROOT,
              "%nThe ratio (issue 3), vitals, %d patients: the FHIR server's own ingest of the"
                  + " gateway's bundles for this case (the same patients, devices and readings'"
                  + " Observations as the gateway maps them, in transactions of %d conditional"
                  + " creates as the gateway sends them, 2 threads like the gateway's 2 writers),"
                  + " before and after the end-to-end case:%n%n"
                  + "| measurement | Observations | per second | load avg at end (1/5/15 min) |%n"
                  + "|---|---|---|---|%n"
                  + "| server's own, before | %d | %.0f | %s |%n"
                  + "| end to end (%.0f batches, mean %.0f Observations; device lookup %.1f ms a"
                  + " batch: %.0f change checks, %.0f device searches; %.0f minute summaries"
                  + " besides) | %.0f | %.0f | %s |%n"
                  + "| server's own, after | %d | %.0f | %s |%n"
                  + "| end to end / mean of before and after (%.0f/s) | | %.0f %% | |%n",
              patients,
              SERVER_OWN_BATCH,
              before.observations(),
              before.rate(),
              before.load(),
              batches1[0] - batches0[0],
              batchMean,
              1000 * (resolve1[1] - resolve0[1]) / Math.max(1, resolve1[0] - resolve0[0]),
              checks,
              searches,
              summaries,
              written,
              written / elapsed,
              endToEndLoad,
              after.observations(),
              after.rate(),
              after.load(),
              mean,
              100 * (written / elapsed) / mean));
    }
  }

  /** Transaction size and concurrency of the gateway's defaults (VITALS_BATCH_SIZE, writers). */
  static final int SERVER_OWN_BATCH = 200;

  static final int SERVER_OWN_THREADS = 2;

  /** One measurement of the server's own ingest: Observations, per second, load at its end. */
  record Measured(int observations, double rate, String load) {}

  /**
   * The FHIR server's own ingest of what the gateway sends for this case: readings the simulator
   * would publish for it (other identities), parsed and mapped by the gateway's own code for the
   * case's patients and devices, in the gateway's transactions; encoded before the clock starts.
   */
  private static Measured serverOwnIngest(
      IGenericClient fhir, CpuMeter cpu, Simulator.Run sim, int count, long boot) throws Exception {
    List<String> bodies = gatewayBundles(fhir, sim, count, SERVER_OWN_BATCH, boot);
    int observations = bodies.size() * SERVER_OWN_BATCH;
    CpuMeter.Snapshot c0 = cpu.snapshot();
    double rate =
        timed(
            SERVER_OWN_THREADS,
            bodies.size(),
            i -> {
              fhir.transaction().withBundle(bodies.get(i)).execute();
              return SERVER_OWN_BATCH;
            });
    CpuMeter.Snapshot c1 = cpu.snapshot();
    cpu.record(
        "FHIR server's own ingest of the gateway's bundles, "
            + (boot == 1001 ? "before" : "after")
            + " the end-to-end case (per Observation; simulator = the benchmark client)",
        c0,
        c1,
        observations);
    return new Measured(observations, rate, loadAverage());
  }

  /**
   * The gateway's transactions (as JSON text, as it sends them) for {@code count} Observations of
   * the simulated ward's vitals: the simulator's payloads, the gateway's parser, templates, mapper
   * and transaction shape.
   */
  static List<String> gatewayBundles(
      IGenericClient fhir, Simulator.Run sim, int count, int size, long boot) {
    // Each second gives at least four readings per patient.
    int seconds = count / (4 * Math.max(1, sim.patients())) + 1;
    return gatewayBundles(
        sim.payloads(seconds, boot),
        sim::patientReference,
        sim::deviceReference,
        gatewayDevice(fhir),
        count,
        size);
  }

  /**
   * The gateway's transactions for the first {@code count} Observations (whole transactions of
   * {@code size}) that these MQTT readings (topic, payload) map to.
   */
  static List<String> gatewayBundles(
      List<String[]> payloads,
      java.util.function.Function<String, String> patientOfDevice,
      java.util.function.Function<String, String> deviceReference,
      String gatewayReference,
      int count,
      int size) {
    org.vitals.gateway.wire.WireReadingParser parser =
        new org.vitals.gateway.wire.WireReadingParser();
    var templates = BUILT_IN_TEMPLATES.get();
    var json = FhirContext.forR4Cached().newJsonParser();
    List<Observation> observations = new ArrayList<>();
    for (String[] tp : payloads) {
      for (var m :
          parser.parse(tp[0], tp[1].getBytes(java.nio.charset.StandardCharsets.UTF_8), now())) {
        observations.add(
            org.vitals.gateway.mapping.ObservationMapper.map(
                m,
                templates,
                new org.vitals.gateway.mapping.MappingContext(
                    patientOfDevice.apply(m.deviceId()),
                    deviceReference.apply(m.deviceId()),
                    gatewayReference)));
      }
    }
    List<String> bodies = new ArrayList<>();
    for (int from = 0; from + size <= Math.min(count, observations.size()); from += size) {
      bodies.add(
          json.encodeResourceToString(
              org.vitals.gateway.writing.FhirBatchWriter.transactionOf(
                  observations.subList(from, from + size))));
    }
    return bodies;
  }

  private static java.time.Instant now() {
    return java.time.Instant.now();
  }

  /** The gateway Device of the benchmark's gateway id, as the gateway creates it. */
  private static String gatewayDevice(IGenericClient fhir) {
    Device d = new Device();
    d.addIdentifier()
        .setSystem(org.vitals.gateway.identity.DeviceDirectory.GATEWAY_ID_SYSTEM)
        .setValue("bench-gw");
    d.setStatus(Device.FHIRDeviceStatus.ACTIVE);
    d.addDeviceName().setName("bench-gw").setType(Device.DeviceNameType.USERFRIENDLYNAME);
    return fhir.create()
        .resource(d)
        .conditionalByUrl(
            "Device?identifier="
                + org.vitals.gateway.identity.DeviceDirectory.GATEWAY_ID_SYSTEM
                + "|bench-gw")
        .execute()
        .getId()
        .toUnqualifiedVersionless()
        .getValue();
  }

  /** COUNT and TOTAL (seconds for a timer) of a distribution summary or timer of the gateway's. */
  static double[] summary(String gateway, String name) throws Exception {
    String body = get(gateway + "/actuator/metrics/" + name);
    double[] out = new double[2];
    Matcher m =
        Pattern.compile("\\{\"statistic\":\"(COUNT|TOTAL|TOTAL_TIME)\",\"value\":([0-9.Ee+-]+)\\}")
            .matcher(body);
    while (m.find()) {
      out[m.group(1).equals("COUNT") ? 0 : 1] = Double.parseDouble(m.group(2));
    }
    return out;
  }

  /**
   * The gateway in minute-summary mode (decision 0209): vitals only; the readings stored at once
   * (abnormal, changes, first of a stream) with their device-to-commit latency, and the minute
   * summaries with the delay of their commit after the minute's end.
   */
  private static void minuteSummaries(
      String fhirUrl,
      String gateway,
      String mqtt,
      Path data,
      int patients,
      int seconds,
      CpuMeter meter)
      throws Exception {
    boolean warmUp = meter == null;
    CpuMeter cpu = warmUp ? CpuMeter.parse("", "") : meter;
    Simulator.Run sim = prepare(fhirUrl, mqtt, data, patients, seconds, false);
    awaitRegistered(System.nanoTime());
    double written0 = counter(gateway, "written");
    double only0 = counter(gateway, "summarised-only");
    double received0 = counter(gateway, "received");
    double summaries0 = meter(gateway, "vitals.gateway.summaries");
    double checks0 = meter(gateway, "vitals.gateway.device.change.checks");
    double searches0 = meter(gateway, "vitals.gateway.device.searches");
    TreeMap<Double, Double> age0 = buckets(gateway, "vitals_gateway_reading_age_seconds");
    TreeMap<Double, Double> sum0 = buckets(gateway, "vitals_gateway_summary_latency_seconds");
    CpuMeter.Snapshot cpu0 = cpu.snapshot();
    long start = System.nanoTime();
    long published = sim.publishAll();
    CpuMeter.Snapshot cpuPublished = cpu.snapshot();
    while (counter(gateway, "received") - received0 < published || pending(gateway) > 0) {
      if (System.nanoTime() - start > 900e9) {
        System.out.println("(gave up waiting after 900 s)");
        break;
      }
      Thread.sleep(500);
    }
    // Every minute of the run summarised: nothing left in open minutes.
    while (meter(gateway, "vitals.gateway.summary.open") > 0
        && System.nanoTime() - start < 1200e9) {
      Thread.sleep(500);
    }
    CpuMeter.Snapshot cpu1 = cpu.snapshot();
    if (warmUp) {
      return;
    }
    String name = "minute-summary, " + patients + " patients";
    cpu.record(name + ", publishing", cpu0, cpuPublished, published);
    cpu.record(name + ", until every minute is summarised", cpuPublished, cpu1, published);
    cpu.record(name + ", whole case", cpu0, cpu1, published);
    double written = counter(gateway, "written") - written0;
    double only = counter(gateway, "summarised-only") - only0;
    System.out.printf(
        Locale.ROOT,
        "| vitals | %d | %d | %.0f (%.1f %%; %.0f in summaries only) | %.0f | %s / %s | %s / %s | %s |%n",
        patients,
        published,
        written,
        100 * written / Math.max(1, published),
        only,
        meter(gateway, "vitals.gateway.summaries") - summaries0,
        quantile(age0, buckets(gateway, "vitals_gateway_reading_age_seconds"), 0.5),
        quantile(age0, buckets(gateway, "vitals_gateway_reading_age_seconds"), 0.99),
        quantile(sum0, buckets(gateway, "vitals_gateway_summary_latency_seconds"), 0.5),
        quantile(sum0, buckets(gateway, "vitals_gateway_summary_latency_seconds"), 0.99),
        loadAverage());
  }

  static double meter(String gateway, String name) throws Exception {
    String body = get(gateway + "/actuator/metrics/" + name);
    Matcher m = Pattern.compile("\"value\":([0-9.Ee+-]+)").matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** The benchmark's simulated ward (its gateway id bench-gw), patients and devices created. */
  private static Simulator.Run prepare(
      String fhirUrl, String mqtt, Path data, int patients, int seconds, boolean ecg)
      throws Exception {
    String run = "b" + Long.toString(System.currentTimeMillis(), 36);
    Simulator.Run sim =
        new Simulator.Run(
            new Simulator.Options(
                patients,
                seconds,
                mqtt,
                fhirUrl,
                data,
                ecg,
                null,
                1.0,
                0,
                run,
                "bench-gw",
                true,
                60,
                60,
                30,
                null));
    sim.prepare();
    return sim;
  }

  /**
   * A ward's monitors are registered and assigned before their readings flow; for a minute after
   * any Device or DeviceUseStatement change the gateway searches devices for every batch (decision
   * 0208), which is not the steady state the figures are for.
   */
  private static void awaitRegistered(long registeredNanos) throws InterruptedException {
    long left = REGISTERED_BEFORE.toNanos() - (System.nanoTime() - registeredNanos);
    if (left > 0) {
      Thread.sleep(left / 1_000_000);
    }
  }

  /** The machine's load average (1, 5, 15 min), recorded beside each figure: it is shared. */
  static String loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (Exception e) {
      return "n/a";
    }
  }

  /** Quantile of the reading-age histogram over the run, as the upper bound of its bucket. */
  static String quantile(TreeMap<Double, Double> before, TreeMap<Double, Double> after, double q) {
    double total = after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
    if (total <= 0) {
      return "n/a";
    }
    for (var e : after.entrySet()) {
      double cum = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      if (cum >= q * total) {
        return Double.isInfinite(e.getKey())
            ? "> 60 s"
            : String.format(Locale.ROOT, "≤ %.0f ms", e.getKey() * 1000);
      }
    }
    return "n/a";
  }

  static TreeMap<Double, Double> buckets(String gateway) throws Exception {
    return buckets(gateway, "vitals_gateway_reading_age_seconds");
  }

  static TreeMap<Double, Double> buckets(String gateway, String histogram) throws Exception {
    String text = get(gateway + "/actuator/prometheus");
    Pattern p =
        Pattern.compile(
            "^" + histogram + "_bucket\\{.*le=\"([^\"]+)\".*\\} ([0-9.Ee+-]+)$", Pattern.MULTILINE);
    Matcher m = p.matcher(text);
    TreeMap<Double, Double> out = new TreeMap<>();
    while (m.find()) {
      double le =
          m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
      out.put(le, Double.parseDouble(m.group(2)));
    }
    if (out.isEmpty()) {
      out.put(Double.POSITIVE_INFINITY, 0.0);
    }
    return out;
  }

  static double pending(String gateway) throws Exception {
    String body = get(gateway + "/actuator/metrics/vitals.gateway.pending");
    Matcher m = Pattern.compile("\"value\":([0-9.Ee+-]+)").matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  static double counter(String gateway, String stage) throws Exception {
    String body = get(gateway + "/actuator/metrics/vitals.gateway.readings?tag=stage:" + stage);
    Matcher m = Pattern.compile("\"value\":([0-9.Ee+-]+)").matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /**
   * A GET of the gateway's metrics, retried: one request once waited forever on a connection the
   * busy gateway never answered, so each attempt has a deadline.
   */
  static String get(String url) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : "";
      } catch (java.net.http.HttpTimeoutException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  static IGenericClient client(String url) {
    FhirContext ctx = FhirContext.forR4Cached();
    ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    ctx.getRestfulClientFactory().setSocketTimeout(300_000);
    IGenericClient client = ctx.newRestfulGenericClient(url);
    client.registerInterceptor(
        new org.vitals.gateway.security.BearerTokenInterceptor(
            org.vitals.gateway.security.FhirAccess.fromEnvironment(
                url, "system/Patient.cruds system/Device.cruds system/Observation.cruds")));
    return client;
  }

  private static String[] subject(IGenericClient fhir) {
    Patient p = new Patient();
    p.addName().setFamily("Benchmark");
    String patient =
        fhir.create().resource(p).execute().getId().toUnqualifiedVersionless().getValue();
    Device d = new Device();
    d.addIdentifier()
        .setSystem("urn:vitals:sid:device-id")
        .setValue("bench-direct-" + System.nanoTime());
    String device =
        fhir.create().resource(d).execute().getId().toUnqualifiedVersionless().getValue();
    return new String[] {patient, device};
  }

  private static final AtomicInteger SEQ = new AtomicInteger();

  /** A heart-rate Observation like the gateway writes. */
  static Observation observation(String[] refs, String tag) {
    Observation o = new Observation();
    o.addIdentifier()
        .setSystem("urn:vitals:sid:reading")
        .setValue(tag + ":1:" + SEQ.incrementAndGet());
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.addCategory(
        new CodeableConcept()
            .addCoding(
                new Coding(
                    "http://terminology.hl7.org/CodeSystem/observation-category",
                    "vital-signs",
                    "Vital Signs")));
    o.setCode(
        new CodeableConcept()
            .addCoding(new Coding("http://loinc.org", "8867-4", "Heart rate"))
            .addCoding(new Coding("urn:iso:std:iso:11073:10101", "147842", "MDC_ECG_HEART_RATE")));
    o.setSubject(new Reference(refs[0]));
    o.setDevice(new Reference(refs[1]));
    o.setEffective(new DateTimeType(new Date()));
    o.setValue(
        new Quantity()
            .setValue(new BigDecimal(72))
            .setUnit("beats/minute")
            .setSystem("http://unitsofmeasure.org")
            .setCode("/min"));
    return o;
  }

  static double naive(IGenericClient fhir, String[] refs, int count, int threads) throws Exception {
    String tag = "bench-naive-" + System.nanoTime();
    return timed(
        threads,
        count,
        i -> {
          Observation o = observation(refs, tag);
          fhir.create()
              .resource(o)
              .conditionalByUrl(
                  "Observation?identifier=urn:vitals:sid:reading|"
                      + o.getIdentifierFirstRep().getValue())
              .execute();
          return 1;
        });
  }

  static double bundles(IGenericClient fhir, String[] refs, int count, int size, int threads)
      throws Exception {
    return bundles(fhir, refs, count, size, threads, GatewayBenchmark::observation);
  }

  /**
   * A heart-rate Observation exactly as the gateway maps one (its templates: profile, LOINC and MDC
   * codings, gateway-device extension), for the server's rate on the gateway's own resources.
   */
  static Observation gatewayObservation(String[] refs, String tag) {
    java.time.Instant now = java.time.Instant.now();
    var m =
        new org.vitals.gateway.measurement.Measurement(
            tag + ":1:" + SEQ.incrementAndGet(),
            "bench-gw",
            "bench-dev",
            org.vitals.gateway.measurement.Metric.HR,
            org.vitals.gateway.measurement.Metric.HR.defaultMdc(),
            now,
            org.vitals.gateway.measurement.Measurement.TimeQuality.NTP,
            null,
            new BigDecimal(72),
            java.util.Map.of(),
            null,
            List.of("valid"),
            null);
    return org.vitals.gateway.mapping.ObservationMapper.map(
        m,
        BUILT_IN_TEMPLATES.get(),
        new org.vitals.gateway.mapping.MappingContext(refs[0], refs[1], refs[1]));
  }

  /** The gateway's built-in mapping templates, loaded once. */
  private static final java.util.function.Supplier<org.vitals.gateway.mapping.TemplateSet>
      BUILT_IN_TEMPLATES =
          new java.util.function.Supplier<>() {
            private org.vitals.gateway.mapping.TemplateSet set;

            @Override
            public synchronized org.vitals.gateway.mapping.TemplateSet get() {
              if (set == null) {
                try {
                  Path empty = java.nio.file.Files.createTempDirectory("bench-templates");
                  set = new org.vitals.gateway.mapping.TemplateRegistry(empty).current();
                  java.nio.file.Files.delete(empty);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
              return set;
            }
          };

  static double bundles(
      IGenericClient fhir,
      String[] refs,
      int count,
      int size,
      int threads,
      java.util.function.BiFunction<String[], String, Observation> observations)
      throws Exception {
    String tag = "bench-bundle-" + System.nanoTime();
    return timed(
        threads,
        count / size,
        i -> {
          Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
          for (int k = 0; k < size; k++) {
            Observation o = observations.apply(refs, tag);
            tx.addEntry()
                .setFullUrl("urn:uuid:" + java.util.UUID.randomUUID())
                .setResource(o)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation")
                .setIfNoneExist(
                    "identifier=urn:vitals:sid:reading|" + o.getIdentifierFirstRep().getValue());
          }
          fhir.transaction().withBundle(tx).execute();
          return size;
        });
  }

  interface Job {
    int run(int i) throws Exception;
  }

  static double timed(int threads, int jobs, Job job) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      fs.add(
          pool.submit(
              () -> {
                int i;
                while ((i = next.getAndIncrement()) < jobs) {
                  done.addAndGet(job.run(i));
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  private static String arg(String[] args, String name, String dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }
}
