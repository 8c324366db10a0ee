package org.vitals.systemtests;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * scripts/load: drives a running system from simulated patients for a bounded time and prints a
 * progress line every few seconds, then throughput, publish-to-stored latency percentiles, errors
 * and losses (docs/load-and-faults.md).
 */
public final class LoadTool {
  private LoadTool() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    String fhirUrl = a.getOrDefault("--fhir", "http://localhost:8080/fhir");
    String mqtt = a.getOrDefault("--mqtt", "tcp://127.0.0.1:1883");
    int patients = Integer.parseInt(a.getOrDefault("--patients", "10"));
    int seconds = Integer.parseInt(a.getOrDefault("--seconds", "60"));
    int every = Integer.parseInt(a.getOrDefault("--progress", "5"));
    int drain = Integer.parseInt(a.getOrDefault("--drain", "120"));
    if (patients < 1 || patients > 5000 || seconds < 1 || seconds > 3600 || every < 1) {
      System.err.println("load: --patients 1..5000, --seconds 1..3600, --progress >= 1");
      System.exit(2);
    }
    String run = a.getOrDefault("--run-id", "load" + Long.toString(System.currentTimeMillis(), 36));
    System.exit(run(fhirUrl, mqtt, patients, seconds, every, drain, run) ? 0 : 1);
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      a.put(args[i], args[++i]);
    }
    return a;
  }

  static boolean run(
      String fhirUrl, String mqtt, int patients, int seconds, int every, int drain, String run)
      throws Exception {
    Fhir fhir = new Fhir(fhirUrl, System.getenv("VITALS_FHIR_TOKEN"));
    Ledger ledger = new Ledger();
    ledger.phase("load");
    StoredIndex store = new StoredIndex();
    long errors = 0;
    try (Ward ward = new Ward(mqtt, run, patients, ledger)) {
      long t0 = System.currentTimeMillis();
      ward.register(fhir);
      System.out.printf(
          "load: %d patients (run %s) registered in %.1f s; publishing about %.0f readings/s for %d s to %s%n",
          patients,
          run,
          (System.currentTimeMillis() - t0) / 1000.0,
          patients * 4.067,
          seconds,
          mqtt);
      Instant since = Instant.now().minusSeconds(1);
      ward.start();
      long start = System.currentTimeMillis();
      long end = start + seconds * 1000L;
      Poller poll = new Poller(fhir, ward, store, since);
      while (System.currentTimeMillis() < end) {
        Thread.sleep(Math.min(every * 1000L, Math.max(1, end - System.currentTimeMillis())));
        if (!poll.sweep()) {
          errors++;
        }
        progress(ledger, store, start, errors);
      }
      long published = System.currentTimeMillis();
      System.out.println(
          "load: publishing stopped; waiting for the last acknowledgements and writes");
      ward.stop(30_000);
      long acked = ledger.ackedCount();
      long drainEnd = System.currentTimeMillis() + drain * 1000L;
      while (true) {
        if (!poll.sweep()) {
          errors++;
        }
        Tally t = Tally.of(null, ledger.entries(), store);
        if (t.lost() == 0 || System.currentTimeMillis() > drainEnd) {
          break;
        }
        progress(ledger, store, start, errors);
        Thread.sleep(2000);
      }
      long drained = System.currentTimeMillis();
      // A last full pass from the start: every copy of every reading, whenever it was written.
      Thread.sleep(3000);
      fhir.sweep(since, ward::mine, store);
      Tally t = Tally.of(null, ledger.entries(), store);
      double pubS = (published - start) / 1000.0;
      double allS = (drained - start) / 1000.0;
      System.out.println();
      System.out.printf(
          "load: %d patients, %.0f s of publishing, %.0f s until everything acknowledged was stored%n",
          patients, pubS, allS);
      System.out.printf(
          "throughput: sent %.1f/s, acknowledged %.1f/s, stored %.1f/s (over %.0f s)%n",
          t.sent() / pubS, acked / pubS, t.stored() / allS, allS);
      System.out.printf(
          "readings: sent %d, acknowledged %d, stored %d, lost %d, doubled %d, not acknowledged %d"
              + " (%d stored anyway), republished %d, publisher ticks dropped %d%n",
          t.sent(),
          t.acked(),
          t.stored(),
          t.lost(),
          t.doubled(),
          t.sent() - t.acked(),
          t.storedUnacked(),
          ledger.republishedCount(),
          ward.ticksSkipped());
      System.out.println("latency publish to stored: " + t.latency().summary());
      System.out.println(
          "errors: "
              + errors
              + " FHIR polls failed"
              + (poll.lastError == null ? "" : " (last: " + poll.lastError + ")"));
      System.out.println(
          "load average: "
              + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
      return t.exact() && t.acked() == t.sent();
    }
  }

  /**
   * Reads what was stored since the previous poll (20 s of overlap: a transaction's lastUpdated is
   * its start, it may commit later) into the index.
   */
  private static final class Poller {
    final Fhir fhir;
    final Ward ward;
    final StoredIndex store;
    final Instant since;
    long last;
    String lastError;

    Poller(Fhir fhir, Ward ward, StoredIndex store, Instant since) {
      this.fhir = fhir;
      this.ward = ward;
      this.store = store;
      this.since = since;
      this.last = since.toEpochMilli();
    }

    boolean sweep() {
      long started = System.currentTimeMillis();
      try {
        fhir.sweep(
            Instant.ofEpochMilli(Math.max(since.toEpochMilli(), last - 20_000)), ward::mine, store);
        last = started;
        return true;
      } catch (java.io.IOException e) {
        lastError = e.getMessage();
        return false;
      }
    }
  }

  private static void progress(Ledger ledger, StoredIndex store, long start, long errors) {
    double s = (System.currentTimeMillis() - start) / 1000.0;
    System.out.printf(
        "[%5.0f s] sent %d (%.0f/s), acknowledged %d, stored %d (%.0f/s), awaiting PUBACK %d, poll errors %d%n",
        s,
        ledger.sentCount(),
        ledger.sentCount() / s,
        ledger.ackedCount(),
        store.size(),
        store.size() / s,
        ledger.pendingCount(),
        errors);
  }
}
