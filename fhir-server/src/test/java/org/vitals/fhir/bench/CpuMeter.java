package org.vitals.fhir.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time (user + system, from /proc) of the FHIR server process and of the PostgreSQL backends
 * serving its database, so a benchmark on a shared machine can still say what one Observation
 * costs.
 */
final class CpuMeter {

  /** Linux USER_HZ: /proc/[pid]/stat counts CPU time in ticks of 10 ms. */
  private static final double MILLIS_PER_TICK = 10.0;

  /**
   * Server CPU in all, the part of it spent by the JIT compiler and by the garbage collector (their
   * threads are named "C1/C2 CompilerThread" and "GC Thread"/"G1 ..."), and PostgreSQL's. JIT time
   * falls as the server warms up, so the rest is the steady-state cost per write.
   */
  record Sample(long serverMillis, long jitMillis, long gcMillis, long databaseMillis) {}

  private final long serverPid;
  private final String database;

  CpuMeter(long serverPid, String database) {
    this.serverPid = serverPid;
    this.database = database;
  }

  Sample sample() throws IOException, SQLException {
    long db = 0;
    for (long pid : backendPids()) {
      db += cpuMillis(pid);
    }
    long jit = 0;
    long gc = 0;
    Path tasks = Path.of("/proc", Long.toString(serverPid), "task");
    if (Files.isDirectory(tasks)) {
      try (var threads = Files.list(tasks)) {
        for (Path task : threads.toList()) {
          String name = threadName(task);
          if (name.contains("CompilerThre")) {
            jit += cpuMillis(task.resolve("stat"));
          } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            gc += cpuMillis(task.resolve("stat"));
          }
        }
      }
    }
    return new Sample(cpuMillis(serverPid), jit, gc, db);
  }

  private static String threadName(Path task) {
    try {
      return Files.readString(task.resolve("comm")).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private List<Long> backendPids() throws SQLException {
    List<Long> pids = new ArrayList<>();
    String host = System.getenv().getOrDefault("VITALS_TEST_PG_HOST", "127.0.0.1");
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + host + ":5432/postgres", "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE datname = '"
                    + database.replace("'", "")
                    + "'")) {
      while (rs.next()) {
        pids.add(rs.getLong(1));
      }
    }
    return pids;
  }

  /** utime + stime of a process; 0 for a process that has gone (a closed connection). */
  private static long cpuMillis(long pid) {
    return cpuMillis(Path.of("/proc", Long.toString(pid), "stat"));
  }

  /** utime + stime from a /proc stat file; 0 for a process or thread that has gone. */
  private static long cpuMillis(Path stat) {
    if (!Files.exists(stat)) {
      return 0;
    }
    String line;
    try {
      line = Files.readString(stat);
    } catch (IOException e) {
      return 0;
    }
    // Fields after the command name, which is in parentheses and may contain spaces.
    String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return Math.round(ticks * MILLIS_PER_TICK);
  }
}
