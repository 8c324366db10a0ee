package org.vitals.cds.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The project's real FHIR server ({@code fhir-server/target/fhir-server.jar}, built earlier in the
 * reactor) run as a child process on a fresh PostgreSQL database and a free port, with SMART
 * enforcement off. The jar is copied first, so a rebuild elsewhere cannot change it mid-test.
 * {@link #close} stops the server and drops its database. {@link #shared} is one such server for
 * the test classes of this JVM that need nothing of their own.
 */
public final class FhirServerProcess implements AutoCloseable {

  private final ProcessBuilder builder;
  private Process process;
  private final int port;
  private final Path log;
  private final TestPostgres.Database db;
  private boolean dropped;

  private static FhirServerProcess shared;

  private FhirServerProcess(ProcessBuilder builder, int port, Path log, TestPostgres.Database db)
      throws IOException {
    this.builder = builder;
    this.db = db;
    this.process = builder.start();
    this.port = port;
    this.log = log;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * One unsecured server for the test classes of this JVM that neither restart it nor change its
   * settings: a start costs about 30 CPU-seconds, most of an IT class's time on a 2-core machine.
   * Started by the first class that asks, stopped (its database dropped) when the JVM exits. Each
   * class works on patients of its own and stops its monitor when it ends (a Spring test context is
   * closed by {@code @DirtiesContext}); each later class that asks switches every Subscription off
   * first, as no monitor of the classes before runs any more, so that the server delivers nothing
   * to a monitor that is gone. A monitor that starts later catches up with the earlier classes'
   * readings, so the classes wait for their monitor's first catch-up to be evaluated ({@link
   * MonitorWrites#awaitFirstCatchUpEvaluated}).
   */
  public static synchronized FhirServerProcess shared() throws Exception {
    if (shared == null) {
      FhirServerProcess started = start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-fhir-server-stop"));
      shared = started;
    } else {
      MonitorWrites.switchOffSubscriptions(MonitorWrites.client(shared.base()), null);
    }
    return shared;
  }

  /** Starts the server and waits until /fhir/metadata answers (at most {@link #startTimeout}). */
  public static FhirServerProcess start() throws Exception {
    return start(Map.of("VITALS_SECURITY", "off"));
  }

  /**
   * Starts the server with SMART authorization enforced, with the clients of {@code realmFile}
   * (VITALS_SECURITY_REALM), and waits until it answers.
   */
  public static FhirServerProcess startSecured(Path realmFile) throws Exception {
    return start(Map.of("VITALS_SECURITY", "on", "VITALS_SECURITY_REALM", realmFile.toString()));
  }

  private static FhirServerProcess start(Map<String, String> settings) throws Exception {
    Path jar =
        Path.of(
            System.getProperty("vitals.fhir-server.jar", "../fhir-server/target/fhir-server.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "The end-to-end tests need the FHIR server jar at "
              + jar.toAbsolutePath()
              + ": build it first (mvn -B -DskipTests package at the root, or run the whole reactor)");
    }
    Path work = Files.createTempDirectory("cds-fhir-it");
    Path copy = work.resolve("fhir-server.jar");
    Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
    TestPostgres.Database db = TestPostgres.freshDatabase();
    int port = freePort();
    Path log = Path.of("target", "fhir-server-it-" + port + ".log");
    Files.createDirectories(log.getParent());
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx1g",
            // C1 only: C2 compilation costs a start 2-3 times the CPU on a 2-core CI machine; the
            // serial collector: G1's concurrent threads only compete with the tests for the cores.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            copy.toString());
    Map<String, String> env = pb.environment();
    env.put("SERVER_PORT", Integer.toString(port));
    env.put("VITALS_DB_URL", db.url());
    env.put("VITALS_DB_USER", db.user());
    env.put("VITALS_DB_PASSWORD", db.password());
    env.put("VITALS_DATA_DIR", work.resolve("data").toString());
    env.putAll(settings);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    FhirServerProcess server;
    try {
      server = new FhirServerProcess(pb, port, log, db);
    } catch (IOException | RuntimeException e) {
      TestPostgres.drop(db);
      throw e;
    }
    server.awaitReady(startTimeout()); // closes (and drops) when the server does not come up
    return server;
  }

  /**
   * Stops the server and starts it again on the same port, database and data folder (a restart
   * under a running client), waiting until it answers.
   */
  public void restart() throws Exception {
    stop();
    process = builder.start();
    awaitReady(startTimeout());
  }

  /** How long a start may take: 4 minutes, or {@code -Dvitals.fhir-server.start-timeout=PT10M}. */
  static Duration startTimeout() {
    return Duration.parse(System.getProperty("vitals.fhir-server.start-timeout", "PT4M"));
  }

  public String base() {
    return "http://127.0.0.1:" + port + "/fhir";
  }

  private void awaitReady(Duration max) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant until = Instant.now().plus(max);
    while (Instant.now().isBefore(until)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the FHIR server exited; see " + log.toAbsolutePath());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base() + "/metadata"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    close();
    throw new IllegalStateException(
        "the FHIR server did not answer within " + max + "; see " + log.toAbsolutePath());
  }

  /** Stops the server and drops its database (once; the database is gone after this). */
  @Override
  public synchronized void close() {
    stop();
    if (!dropped) {
      dropped = true;
      TestPostgres.drop(db);
    }
  }

  private void stop() {
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
