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

  record Sample(long serverMillis, long databaseMillis) {}

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
    return new Sample(cpuMillis(serverPid), db);
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
  private static long cpuMillis(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
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
