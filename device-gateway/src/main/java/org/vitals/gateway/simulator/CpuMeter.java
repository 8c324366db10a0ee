package org.vitals.gateway.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time of the benchmark's processes from {@code /proc/<pid>/stat} (user + system), so that each
 * case can say how many CPU microseconds every component spent per reading: the gateway, the
 * simulator (this process), the broker, the FHIR server and the PostgreSQL backends of the
 * benchmark's database; and the whole machine's busy time from {@code /proc/stat}, which shows how
 * much went to anything else. Linux only; without {@code /proc} it measures nothing.
 */
final class CpuMeter {
  /** USER_HZ; 100 on every Linux this runs on (getconf CLK_TCK). */
  private static final double TICK_MICROS = 10_000;

  private final Map<String, Long> pids;
  private final String pgDatabase;
  private final List<String> lines = new ArrayList<>();

  private CpuMeter(Map<String, Long> pids, String pgDatabase) {
    this.pids = pids;
    this.pgDatabase = pgDatabase;
  }

  /** {@code spec}: {@code name=pid,...}; the simulator (this JVM) is always measured. */
  static CpuMeter parse(String spec, String pgDatabase) {
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("simulator", ProcessHandle.current().pid());
    for (String part : spec.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        pids.put(part.substring(0, eq).trim(), Long.parseLong(part.substring(eq + 1).trim()));
      }
    }
    return new CpuMeter(pids, pgDatabase == null || pgDatabase.isBlank() ? null : pgDatabase);
  }

  /**
   * CPU ticks per component at one moment, per thread group of the Java components (thread names
   * without their numbers: compiler, GC, MQTT, writer threads), and the machine's busy ticks.
   */
  record Snapshot(
      Map<String, Long> ticks,
      Map<String, Long> threads,
      Map<Long, Long> backends,
      long machineBusy,
      long machineNiced,
      long nanos) {}

  Snapshot snapshot() {
    Map<String, Long> ticks = new LinkedHashMap<>();
    Map<String, Long> threads = new LinkedHashMap<>();
    pids.forEach(
        (name, pid) -> {
          ticks.put(name, processTicks(pid));
          if (name.equals("simulator") || name.equals("gateway")) {
            threadTicks(pid).forEach((t, v) -> threads.merge(name + ": " + t, v, Long::sum));
          }
        });
    if (pgDatabase != null) {
      ticks.put("postgresql", 0L); // from the per-backend ticks below
      ticks.put(
          "postgresql wal/checkpoint (shared)",
          sum(postgresTicks(": walwriter", ": checkpointer", ": background writer")));
    }
    long[] machine = machine();
    Map<Long, Long> backends =
        pgDatabase == null ? Map.of() : postgresTicks(" " + pgDatabase + " ");
    return new Snapshot(ticks, threads, backends, machine[0], machine[1], System.nanoTime());
  }

  /** Notes the CPU microseconds per reading of each component between two snapshots. */
  void record(String what, Snapshot a, Snapshot b, long readings) {
    if (readings <= 0) {
      return;
    }
    StringBuilder sb = new StringBuilder("| ").append(what).append(" | ").append(readings);
    double seconds = (b.nanos() - a.nanos()) / 1e9;
    sb.append(String.format(Locale.ROOT, " | %.1f", seconds));
    long sum = 0;
    for (String name : a.ticks().keySet()) {
      long d =
          name.equals("postgresql")
              ? backendDelta(a.backends(), b.backends())
              : b.ticks().get(name) - a.ticks().get(name);
      sum += d;
      sb.append(String.format(Locale.ROOT, " | %.0f", d * TICK_MICROS / readings));
    }
    long niced = b.machineNiced() - a.machineNiced();
    long other = (b.machineBusy() - a.machineBusy()) - sum - niced;
    sb.append(String.format(Locale.ROOT, " | %.0f", niced * TICK_MICROS / readings));
    sb.append(String.format(Locale.ROOT, " | %.0f", Math.max(0, other) * TICK_MICROS / readings));
    sb.append(
        String.format(
            Locale.ROOT,
            " | %.2f |",
            (b.machineBusy() - a.machineBusy()) / 100.0 / Math.max(seconds, 1e-9)));
    lines.add(sb.toString());
    List<Map.Entry<String, Long>> byThread = new ArrayList<>();
    b.threads()
        .forEach(
            (t, v) -> {
              // A thread that ended between the snapshots is missing from b: not counted.
              long d = v - a.threads().getOrDefault(t, 0L);
              if (d > 0) {
                byThread.add(Map.entry(t, d));
              }
            });
    byThread.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    StringBuilder tl = new StringBuilder("  - ").append(what).append(", by thread:");
    for (var e : byThread.subList(0, Math.min(12, byThread.size()))) {
      tl.append(
          String.format(
              Locale.ROOT, " %s %.0f;", e.getKey(), e.getValue() * TICK_MICROS / readings));
    }
    threadLines.add(tl.toString());
  }

  private final List<String> threadLines = new ArrayList<>();

  /** utime + stime per thread name (digits and '#' dropped) of a process. */
  static Map<String, Long> threadTicks(long pid) {
    Map<String, Long> out = new LinkedHashMap<>();
    try (var tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : tasks) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          out.merge(comm.replaceAll("[0-9#]+", "").trim(), ticks(stat), Long::sum);
        } catch (IOException | RuntimeException e) {
          // ended in between
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** Prints the recorded lines as a Markdown table. */
  void print() {
    if (lines.isEmpty()) {
      return;
    }
    Snapshot s = snapshot();
    StringBuilder head = new StringBuilder("| CPU µs per reading published | readings | wall s");
    for (String name : s.ticks().keySet()) {
      head.append(" | ").append(name);
    }
    head.append(" | niced processes (others' work at nice 19) | everything else (kernel, other")
        .append(" processes) | cores busy (of ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(") |");
    System.out.println();
    System.out.println(head);
    System.out.println("|---".repeat(s.ticks().size() + 6) + "|");
    lines.forEach(System.out::println);
    lines.clear();
    System.out.println();
    System.out.println("CPU µs per reading by thread (gateway and simulator, top 12):");
    threadLines.forEach(System.out::println);
    threadLines.clear();
  }

  static long processTicks(long pid) {
    try {
      return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line. */
  static long ticks(String stat) {
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /**
   * CPU of the backends between two snapshots: a backend that started in between counts in full;
   * one that ended in between (a short ANALYZE connection) is lost, not subtracted.
   */
  static long backendDelta(Map<Long, Long> a, Map<Long, Long> b) {
    long d = 0;
    for (var e : b.entrySet()) {
      d += Math.max(0, e.getValue() - a.getOrDefault(e.getKey(), 0L));
    }
    return d;
  }

  private static long sum(Map<Long, Long> ticks) {
    return ticks.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Ticks per process of the PostgreSQL processes whose title holds one of the marks: the backends
   * of the benchmark's database (title "postgres: user db host state"), or the server's shared
   * writers.
   */
  private static Map<Long, Long> postgresTicks(String... marks) {
    Map<Long, Long> out = new java.util.HashMap<>();
    try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path d : dirs) {
        try {
          String cmd = new String(Files.readAllBytes(d.resolve("cmdline"))).replace('\0', ' ');
          if (cmd.startsWith("postgres: ")) {
            for (String mark : marks) {
              if ((" " + cmd + " ").contains(mark)) {
                out.put(
                    Long.parseLong(d.getFileName().toString()),
                    ticks(Files.readString(d.resolve("stat"))));
                break;
              }
            }
          }
        } catch (IOException | RuntimeException e) {
          // gone in between
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /**
   * Busy ticks of all CPUs (the first line of /proc/stat less idle, iowait and steal) and the ticks
   * of niced processes among them.
   */
  static long[] machine() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        total += Long.parseLong(f[i]);
      }
      // user nice system idle iowait irq softirq steal: busy = all but idle, iowait and steal
      return new long[] {
        total - Long.parseLong(f[4]) - Long.parseLong(f[5]) - Long.parseLong(f[8]),
        Long.parseLong(f[2])
      };
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }
}
