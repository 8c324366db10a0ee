package org.vitals.systemtests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system on private infrastructure, for the fault suite: its own PostgreSQL 15 cluster
 * (initdb and pg_ctl as user postgres, data under the work folder, a free port), its own Mosquitto
 * (persistence on, no queue limit, a free port), and the FHIR server (security off), the device
 * gateway and the CDS services from copies of the built jars. The machine's shared PostgreSQL and
 * Mosquitto are never touched. {@link #close} stops everything it started.
 */
final class LocalSystem implements AutoCloseable {
  static final String PG_BIN =
      System.getenv().getOrDefault("VITALS_PG_BIN", "/usr/lib/postgresql/15/bin");

  final Path work;
  final int pgPort = freePort();
  final int mqttPort = freePort();
  final int fhirPort = freePort();
  final int gatewayPort = freePort();
  final int cdsPort = freePort();
  final int mllpPort = freePort();
  private final Path pgData;
  private final Path jars;
  private final boolean root = "root".equals(System.getProperty("user.name"));
  Proc mosquitto;
  Proc fhirServer;
  Proc gateway;
  Proc cds;
  private boolean pgStarted;

  LocalSystem(Path work, Path repo) throws IOException {
    this.work = work;
    this.pgData = work.resolve("pg");
    this.jars = work.resolve("jars");
    Files.createDirectories(jars);
    Files.createDirectories(work.resolve("logs"));
    // Copies: a rebuild of target/*.jar while the suite runs must not break its processes.
    for (String m : new String[] {"fhir-server", "device-gateway", "cds-hooks"}) {
      String j = m + ".jar";
      Path src = repo.resolve(m).resolve("target").resolve(j);
      if (!Files.isRegularFile(src)) {
        throw new IOException(src + " is missing: build first (mvn -B -DskipTests package)");
      }
      Files.copy(src, jars.resolve(j), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  String fhirBase() {
    return "http://127.0.0.1:" + fhirPort + "/fhir";
  }

  String mqttUrl() {
    return "tcp://127.0.0.1:" + mqttPort;
  }

  // ---- PostgreSQL --------------------------------------------------------------------------

  private List<String> asPostgres(String... cmd) {
    List<String> c = new ArrayList<>();
    if (root) {
      c.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    c.addAll(List.of(cmd));
    return c;
  }

  void startPostgres() throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of(PG_BIN, "initdb"))) {
      throw new IOException("no PostgreSQL binaries at " + PG_BIN + " (set VITALS_PG_BIN)");
    }
    Files.createDirectories(pgData);
    if (root) {
      Proc.run(List.of("chown", "-R", "postgres:postgres", pgData.toString()), 30);
      // the work folder must be reachable for the postgres user
      Proc.run(List.of("chmod", "755", work.toString()), 10);
    }
    Proc.run(
        asPostgres(
            PG_BIN + "/initdb",
            "-D",
            pgData.toString(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-instructions"),
        120);
    startPg();
    Proc.run(
        List.of(
            PG_BIN + "/psql",
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(pgPort),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-qc",
            "CREATE DATABASE vitals"),
        60);
  }

  private void startPg() throws IOException, InterruptedException {
    // PostgreSQL's log beside the services' (kept on failure; the cluster folder is removed)
    Path log = work.resolve("logs").resolve("postgres.log");
    if (!Files.exists(log)) {
      Files.createFile(log);
    }
    if (root) {
      Proc.run(List.of("chown", "postgres:postgres", log.toString()), 10);
    }
    Proc.run(
        asPostgres(
            PG_BIN + "/pg_ctl",
            "-D",
            pgData.toString(),
            "-w",
            "-t",
            "60",
            "-l",
            log.toString(),
            "-o",
            "-p " + pgPort + " -k " + pgData + " -c listen_addresses=127.0.0.1",
            "start"),
        90);
    pgStarted = true;
    String pid = Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim();
    Files.writeString(
        work.resolve("pids"),
        "postgres " + pid + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  /** pg_ctl restart -m fast: open transactions are rolled back, connections dropped. */
  void restartPostgres() throws IOException, InterruptedException {
    Proc.run(
        asPostgres(PG_BIN + "/pg_ctl", "-D", pgData.toString(), "-w", "-m", "fast", "stop"), 90);
    pgStarted = false;
    startPg();
  }

  // ---- Mosquitto ---------------------------------------------------------------------------

  void startMosquitto() throws IOException {
    Path dir = work.resolve("mosquitto");
    Files.createDirectories(dir);
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "listener " + mqttPort + " 127.0.0.1",
            "allow_anonymous true",
            // the gateway's persistent session and its queued readings survive a restart
            "persistence true",
            "persistence_location " + dir + "/",
            // the default of 1000 drops readings for a gateway that is down or behind
            "max_queued_messages 0",
            "log_dest stdout",
            root ? "user root" : "",
            ""));
    mosquitto =
        new Proc(work, "mosquitto", List.of("mosquitto", "-c", conf.toString()), Map.of()).start();
    waitForPort(mqttPort, mosquitto, 30);
  }

  /** SIGTERM (Mosquitto writes its persistence file), then start again on the same port. */
  void restartMosquitto() throws IOException, InterruptedException {
    mosquitto.stop(30);
    startMosquittoAgain();
  }

  private void startMosquittoAgain() throws IOException {
    refuseWhenClosed();
    mosquitto = new Proc(work, "mosquitto", mosquitto.command, mosquitto.env).start();
    waitForPort(mqttPort, mosquitto, 30);
  }

  // ---- the three services ------------------------------------------------------------------

  void startFhir() throws IOException {
    fhirServer =
        service(
            "fhir-server",
            "-Xmx1g",
            Map.of(
                "SERVER_PORT",
                Integer.toString(fhirPort),
                "VITALS_DB_URL",
                "jdbc:postgresql://127.0.0.1:" + pgPort + "/vitals",
                "VITALS_DB_USER",
                "postgres",
                "VITALS_DB_PASSWORD",
                "",
                "VITALS_SECURITY",
                "off",
                "VITALS_DATA_DIR",
                work.resolve("fhir-data").toString()));
  }

  void startGateway() throws IOException {
    gateway =
        service(
            "device-gateway",
            "-Xmx512m",
            Map.of(
                "SERVER_PORT", Integer.toString(gatewayPort),
                "VITALS_FHIR_URL", fhirBase(),
                "VITALS_MQTT_URL", mqttUrl(),
                "VITALS_MQTT_CLIENT_ID", "fault-suite-gateway",
                "VITALS_DATA_DIR", work.resolve("gateway-data").toString(),
                "VITALS_MLLP_PORT", Integer.toString(mllpPort)));
  }

  void startCds() throws IOException {
    cds =
        service(
            "cds-hooks",
            "-Xmx512m",
            Map.of(
                "SERVER_PORT", Integer.toString(cdsPort),
                "VITALS_FHIR_URL", fhirBase(),
                "VITALS_CDS_DATA_DIR", work.resolve("cds-data").toString(),
                "VITALS_CDS_AUTH", "off",
                "VITALS_MONITOR_CALLBACK_URL", "http://127.0.0.1:" + cdsPort + "/monitor/hook"));
  }

  /** Starts the copy of {@code <module>.jar} with these settings only (no inherited VITALS_*). */
  private Proc service(String module, String heap, Map<String, String> settings)
      throws IOException {
    refuseWhenClosed();
    Map<String, String> env = new HashMap<>();
    System.getenv()
        .forEach(
            (k, v) -> {
              if (!k.startsWith("VITALS_") && !k.equals("SERVER_PORT")) {
                env.put(k, v);
              }
            });
    env.putAll(settings);
    List<String> command = new ArrayList<>(List.of("java", heap));
    command.addAll(jvmOptions(System.getenv("VITALS_FAULTS_JVM_OPTIONS")));
    command.addAll(List.of("-jar", jars.resolve(module + ".jar").toString()));
    return new Proc(work, module, command, env).start();
  }

  /**
   * Extra JVM options for the three services, separated by spaces (VITALS_FAULTS_JVM_OPTIONS).
   * scripts/test gives -XX:TieredStopAtLevel=1: the suite checks that nothing is lost, not how fast
   * the services are, and C1 alone halves the CPU a start costs on a 2-core machine.
   */
  static List<String> jvmOptions(String setting) {
    if (setting == null || setting.isBlank()) {
      return List.of();
    }
    return List.of(setting.trim().split("\\s+"));
  }

  /** Waits for {"status":"UP"} (or a body containing {@code also}) from /actuator/health. */
  void waitHealthy(Proc p, int port, String also, int seconds)
      throws IOException, InterruptedException {
    Fhir http = new Fhir("http://127.0.0.1:" + port, null);
    long until = System.currentTimeMillis() + seconds * 1000L;
    String last = "";
    while (System.currentTimeMillis() < until) {
      if (!p.alive()) {
        throw new IOException(p.name + " exited during start-up:\n" + p.tail(30));
      }
      try {
        // 503 when DOWN: the body still says which component is up
        last = http.body("actuator/health", Duration.ofSeconds(5), "application/json");
        if (last.startsWith("{\"status\":\"UP\"") || (also != null && last.contains(also))) {
          return;
        }
      } catch (IOException e) {
        last = String.valueOf(e);
      }
      Thread.sleep(1000);
    }
    throw new IOException(
        p.name + " not healthy after " + seconds + " s: " + last + "\n" + p.tail(30));
  }

  void waitFhir(int seconds) throws IOException, InterruptedException {
    waitHealthy(fhirServer, fhirPort, null, seconds);
  }

  /** The gateway is up when its MQTT route runs (its FHIR check may time out on a busy machine). */
  void waitGateway(int seconds) throws IOException, InterruptedException {
    waitHealthy(gateway, gatewayPort, "\"mqttBroker\":{\"status\":\"UP\"", seconds);
  }

  void waitCds(int seconds) throws IOException, InterruptedException {
    waitHealthy(cds, cdsPort, null, seconds);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  static void waitForPort(int port, Proc p, int seconds) throws IOException {
    long until = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < until) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        if (p != null && !p.alive()) {
          throw new IOException(p.name + " exited:\n" + p.tail(20));
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    throw new IOException("nothing listens on port " + port + " after " + seconds + " s");
  }

  private volatile boolean closed;

  /** After {@link #close} (the suite is being stopped) nothing new may start. */
  private void refuseWhenClosed() throws IOException {
    if (closed) {
      throw new IOException("the suite is stopping: nothing new is started");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Proc p : new Proc[] {gateway, cds, fhirServer, mosquitto}) {
      if (p == null) {
        continue;
      }
      try {
        p.signal("CONT"); // a stopped process cannot handle SIGTERM
      } catch (Exception e) {
        // not running
      }
      try {
        p.stop(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (pgStarted) {
      try {
        Proc.run(
            asPostgres(
                PG_BIN + "/pg_ctl", "-D", pgData.toString(), "-w", "-m", "immediate", "stop"),
            60);
        pgStarted = false;
      } catch (Exception e) {
        System.err.println("fault-suite: stopping PostgreSQL: " + e.getMessage());
      }
    }
  }
}
