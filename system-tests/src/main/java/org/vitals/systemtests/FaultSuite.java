package org.vitals.systemtests;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * scripts/fault-suite: the whole system on its own PostgreSQL and Mosquitto, simulated patients
 * streaming, and one fault after the other while readings flow: gateway SIGKILL and restart, broker
 * restart, FHIR server restart, PostgreSQL restart, FHIR server unreachable for 60 s (SIGSTOP,
 * SIGCONT), a burst of 10 times the normal rate. After each: every acknowledged reading is stored
 * exactly once, and a patient who starts to desaturate after the fault gets an alert (DetectedIssue
 * from the CDS monitor). Prints the table and, last, {@code faults: N, readings acknowledged: A,
 * lost: L, doubled: D}; exit 1 on any loss, double or missing alert.
 */
public final class FaultSuite {
  private FaultSuite() {}

  interface Injection {
    String inject() throws Exception;
  }

  /** {@code key}: the short name {@code --faults} selects it by. */
  record Fault(String key, String name, Injection injection) {}

  /**
   * The faults {@code spec} names (comma-separated keys, in the suite's order whatever the order
   * given; {@code null} or {@code all}: every fault). An unknown key is an error that lists the
   * known ones.
   */
  static List<Fault> select(List<Fault> faults, String spec) {
    if (spec == null || spec.isBlank() || spec.trim().equals("all")) {
      return faults;
    }
    java.util.Set<String> wanted = new java.util.LinkedHashSet<>();
    for (String k : spec.split(",")) {
      String key = k.trim();
      if (key.isEmpty()) {
        continue;
      }
      if (faults.stream().noneMatch(f -> f.key().equals(key))) {
        throw new IllegalArgumentException(
            "--faults: unknown fault '"
                + key
                + "'; known: "
                + String.join(", ", faults.stream().map(Fault::key).toList()));
      }
      wanted.add(key);
    }
    if (wanted.isEmpty()) {
      throw new IllegalArgumentException("--faults: no fault named");
    }
    return faults.stream().filter(f -> wanted.contains(f.key())).toList();
  }

  private static final long T0 = System.currentTimeMillis();

  /** Seconds the per-phase line waits for the phase's readings; the final count waits longer. */
  static final int SETTLE = 120;

  static void say(String fmt, Object... args) {
    System.out.printf(
        "[%4d s] %s%n", (System.currentTimeMillis() - T0) / 1000, String.format(fmt, args));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = LoadTool.parse(args);
    Path work = Path.of(a.get("--work"));
    Path repo = Path.of(a.getOrDefault("--repo", "."));
    int patients = Integer.parseInt(a.getOrDefault("--patients", "5"));
    int outage = Integer.parseInt(a.getOrDefault("--outage-seconds", "60"));
    String only = a.get("--faults");
    try {
      // checked before anything starts: a typo must not cost a FHIR server start
      select(faults(null, null, outage), only);
    } catch (IllegalArgumentException e) {
      System.out.println("fault-suite: " + e.getMessage());
      System.exit(2);
    }
    int code;
    LocalSystem sys = new LocalSystem(work, repo);
    Thread hook = new Thread(sys::close, "fault-suite-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      code = run(sys, patients, outage, only);
    } catch (Exception e) {
      System.out.println("fault-suite: FAILED: " + e.getMessage());
      if (!(e instanceof java.io.IOException)) {
        e.printStackTrace(System.out);
      }
      code = 2;
    } finally {
      say("stopping everything the suite started");
      sys.close();
    }
    System.exit(code);
  }

  static int run(LocalSystem sys, int patients, int outage, String only) throws Exception {
    say(
        "starting PostgreSQL (port %d) and Mosquitto (port %d) of our own",
        sys.pgPort, sys.mqttPort);
    sys.startPostgres();
    sys.startMosquitto();
    // All three at once: the gateway keeps readings in the broker and the CDS monitor retries its
    // Subscriptions until the FHIR server answers; the starts overlap on a busy machine.
    say(
        "starting the FHIR server (:%d, PostgreSQL, security off), the device gateway (:%d) and"
            + " the CDS services (:%d)",
        sys.fhirPort, sys.gatewayPort, sys.cdsPort);
    sys.startFhir();
    sys.startGateway();
    sys.startCds();
    sys.waitFhir(1200);
    say("FHIR server up");
    sys.waitGateway(600);
    sys.waitCds(600);
    Fhir fhir = new Fhir(sys.fhirBase(), null);
    waitFor(
        "the CDS monitor's Subscriptions",
        300,
        () -> fhir.count("Subscription?status=active") >= 2);
    say("system up");

    Ledger ledger = new Ledger();
    String run = "fs" + Long.toString(System.currentTimeMillis(), 36);
    // the ward is built below; the burst needs it
    Ward[] wardRef = new Ward[1];
    List<Fault> faults = select(faults(sys, wardRef, outage), only);

    // patients 0..n-1 stream normal values; patient n+i desaturates after fault i
    try (Ward ward = new Ward(sys.mqttUrl(), run, patients + faults.size(), ledger)) {
      wardRef[0] = ward;
      ward.register(fhir);
      for (int i = 0; i < faults.size(); i++) {
        ward.silence(patients + i);
      }
      Instant since = Instant.now().minusSeconds(1);
      StoredIndex store = new StoredIndex();
      ledger.phase(faults.get(0).name());
      ward.start();
      say(
          "%d patients streaming (about %.0f readings/s); %d more start, desaturated, one after each"
              + " fault",
          patients, patients * 4.067, faults.size());

      Map<String, Boolean> alert = new LinkedHashMap<>();
      Map<String, String> notes = new LinkedHashMap<>();
      for (int i = 0; i < faults.size(); i++) {
        Fault f = faults.get(i);
        ledger.phase(f.name()); // already begun, except for the first fault
        Thread.sleep(10_000);
        say("fault %d/%d: %s", i + 1, faults.size(), f.name());
        String note = f.injection().inject();
        say("  %s", note);
        Thread.sleep(3000);
        int p = patients + i;
        ward.desaturate(p, true);
        long desat = System.currentTimeMillis();
        boolean ok =
            waitQuietly(
                180, () -> fhir.count("DetectedIssue?patient=Patient/" + ward.patientId(p)) > 0);
        say(
            "  alert for the patient desaturating after the fault: %s",
            ok ? "raised after " + secs(desat) + " s" : "NONE within 180 s");
        alert.put(f.name(), ok);
        notes.put(
            f.name(),
            note + (ok ? "; alert " + secs(desat) + " s after desaturation" : "; no alert"));
        // The next phase begins now, while this one is still being counted below.
        ledger.phase(i + 1 < faults.size() ? faults.get(i + 1).name() : "after the faults");
        Settled settled =
            settle(fhir, ward, ledger, store, f.name(), sweepFrom(ledger, f.name()), SETTLE);
        Tally t = settled.tally();
        say("  %s", FaultTable.phaseLine(f.name(), t, SETTLE));
        if (settled.failedReads() > 0) {
          say(
              "  %d reads of the FHIR server failed while settling; the last: %s",
              settled.failedReads(), settled.lastError());
        }
        if (t.lost() > 0) {
          say(
              "  not stored yet, earliest published first: %s",
              Tally.notStored(f.name(), ledger.entries(), store, 5).stream()
                  .map(e -> e.identity() + " (published " + Instant.ofEpochMilli(e.sentAt()) + ")")
                  .collect(java.util.stream.Collectors.joining(", ")));
        }
      }
      Thread.sleep(10_000);
      say("stopping the stream; waiting for the last acknowledgements");
      ward.stop(60_000);
      drain(fhir, ward, ledger, store, since);
      Thread.sleep(5000); // a redelivery still in flight would show as a second copy
      store = new StoredIndex();
      long read = fhir.sweep(since, ward::mine, store);
      say("final count: %d Observations read back from the FHIR server", read);

      FaultTable table = new FaultTable();
      for (Fault f : faults) {
        table.add(
            new FaultTable.Row(
                f.name(),
                true,
                Tally.of(f.name(), ledger.entries(), store),
                alert.get(f.name()),
                notes.get(f.name())));
      }
      table.add(
          new FaultTable.Row(
              "after the faults",
              false,
              Tally.of("after the faults", ledger.entries(), store),
              null,
              null));
      Tally all = Tally.of(null, ledger.entries(), store);
      System.out.println();
      System.out.print(table.render());
      System.out.printf(
          "not acknowledged by the broker: %d (%d of them stored anyway); republished: %d;"
              + " latency publish to stored over the run: %s%n",
          all.sent() - all.acked(),
          all.storedUnacked(),
          ledger.republishedCount(),
          all.latency().summary());
      System.out.printf(
          "suite duration: %d s; load average %s%n",
          secs(T0), java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
      System.out.println(table.passed() ? "fault-suite: PASSED" : "fault-suite: FAILED");
      System.out.println(table.summary());
      return table.passed() ? 0 : 1;
    }
  }

  /** Every fault, in the order they run ({@code sys} and {@code ward} are used when injecting). */
  static List<Fault> faults(LocalSystem sys, Ward[] wardRef, int outage) {
    List<Fault> faults = new ArrayList<>();
    faults.add(
        new Fault(
            "gateway-kill",
            "gateway SIGKILL + restart",
            () -> {
              long t = System.currentTimeMillis();
              sys.gateway.kill();
              sys.startGateway();
              sys.waitGateway(600);
              return "gateway killed and up again after " + secs(t) + " s";
            }));
    faults.add(
        new Fault(
            "broker-restart",
            "broker restart",
            () -> {
              long t = System.currentTimeMillis();
              sys.restartMosquitto();
              sys.waitGateway(300);
              return "Mosquitto stopped (SIGTERM) and up again after " + secs(t) + " s";
            }));
    faults.add(
        new Fault(
            "fhir-restart",
            "FHIR server restart",
            () -> {
              long t = System.currentTimeMillis();
              sys.fhirServer.stop(60);
              sys.startFhir();
              sys.waitFhir(1200);
              return "FHIR server stopped (SIGTERM) and healthy again after " + secs(t) + " s";
            }));
    faults.add(
        new Fault(
            "postgres-restart",
            "PostgreSQL restart",
            () -> {
              long t = System.currentTimeMillis();
              sys.restartPostgres();
              return "pg_ctl restart -m fast took " + secs(t) + " s";
            }));
    faults.add(
        new Fault(
            "fhir-unreachable",
            "FHIR unreachable " + outage + " s",
            () -> {
              sys.fhirServer.signal("STOP");
              try {
                Thread.sleep(outage * 1000L);
              } finally {
                sys.fhirServer.signal("CONT");
              }
              return "FHIR server process stopped (SIGSTOP) for " + outage + " s, then SIGCONT";
            }));
    faults.add(
        new Fault(
            "burst",
            "burst 10x for 15 s",
            () -> {
              wardRef[0].rate(10);
              try {
                Thread.sleep(15_000);
              } finally {
                wardRef[0].rate(1);
              }
              return "10 ticks a second instead of 1 for 15 s";
            }));

    return faults;
  }

  /**
   * Waits until every acknowledged reading is stored: as long as the backlog shrinks (more stored
   * within each 90 s), at most 15 minutes. A slow machine shows a backlog, not a loss.
   */
  static void drain(Fhir fhir, Ward ward, Ledger ledger, StoredIndex store, Instant since)
      throws InterruptedException {
    long until = System.currentTimeMillis() + 15 * 60_000L;
    long lastGrowth = System.currentTimeMillis();
    long missing = Long.MAX_VALUE;
    while (System.currentTimeMillis() < until && System.currentTimeMillis() - lastGrowth < 90_000) {
      try {
        fhir.sweep(since, ward::mine, store);
        long now = Tally.of(null, ledger.entries(), store).lost();
        if (now == 0) {
          return;
        }
        if (now < missing) {
          missing = now;
          lastGrowth = System.currentTimeMillis();
          say("  %d acknowledged readings not stored yet", now);
        }
      } catch (java.io.IOException e) {
        // the FHIR server may be busy: try again
      }
      Thread.sleep(5000);
    }
  }

  /**
   * A phase's counts after {@link #settle}: {@code failedReads} sweeps of the FHIR server failed
   * (the last with {@code lastError}); the counts include what the last successful sweep read.
   */
  record Settled(Tally tally, int failedReads, String lastError) {}

  /**
   * Where the sweeps that count a phase start: a second before the phase began in the ledger (and
   * before its earliest reading). Not when the suite turned to the phase: it begins at the previous
   * fault's alert, and readings published and stored while the previous phase was still being
   * counted fall before that moment. Counted from there, a phase after a slow count showed readings
   * stored within a second as "lost" (decision 0911).
   */
  static Instant sweepFrom(Ledger ledger, String phase) {
    long from = ledger.phaseStart(phase);
    for (Ledger.Entry e : ledger.entries()) {
      if (phase.equals(e.phase()) && (from < 0 || e.sentAt() < from)) {
        from = e.sentAt();
      }
    }
    if (from < 0) {
      throw new IllegalStateException("phase '" + phase + "' never began");
    }
    return Instant.ofEpochMilli(from).minusSeconds(1);
  }

  /** Sweeps until every acknowledged reading of the phase is stored, at most {@code seconds}. */
  static Settled settle(
      Fhir fhir,
      Ward ward,
      Ledger ledger,
      StoredIndex store,
      String phase,
      Instant from,
      int seconds)
      throws InterruptedException {
    long until = System.currentTimeMillis() + seconds * 1000L;
    int failed = 0;
    String lastError = null;
    while (true) {
      try {
        fhir.sweep(from, ward::mine, store);
      } catch (java.io.IOException e) {
        // the FHIR server may be busy or still recovering: counted, and read again
        failed++;
        lastError = e.getMessage();
      }
      // what the sweeps read so far, also the pages of a sweep that failed later
      Tally t = Tally.of(phase, ledger.entries(), store);
      if (t.lost() == 0 || System.currentTimeMillis() > until) {
        return new Settled(t, failed, lastError);
      }
      Thread.sleep(3000);
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static boolean waitQuietly(int seconds, Check c) throws InterruptedException {
    long until = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < until) {
      try {
        if (c.ok()) {
          return true;
        }
      } catch (Exception e) {
        // not yet: the service may still be coming back
      }
      Thread.sleep(2000);
    }
    return false;
  }

  static void waitFor(String what, int seconds, Check c) throws Exception {
    if (!waitQuietly(seconds, c)) {
      throw new IllegalStateException(what + ": not there after " + seconds + " s");
    }
  }

  static long secs(long since) {
    return Math.round((System.currentTimeMillis() - since) / 1000.0);
  }
}
