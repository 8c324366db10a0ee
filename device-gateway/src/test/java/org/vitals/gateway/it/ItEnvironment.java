package org.vitals.gateway.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.vitals.gateway.security.BearerTokenInterceptor;
import org.vitals.gateway.security.SmartBackendToken;

/**
 * The real services the integration tests run against: PostgreSQL at 127.0.0.1:5432 (a database of
 * our own), the FHIR server jar of this build as a process with SMART security on (its default) and
 * a test realm, Mosquitto at 127.0.0.1:1883, and the gateway jar as a process that gets its token
 * by SMART Backend Services as the realm's gateway client. A missing service fails the test with a
 * message that says what to start.
 */
public final class ItEnvironment {
  public static final String MOSQUITTO = "tcp://127.0.0.1:1883";
  // Another name for a second run on the same PostgreSQL (-Dvitals.it.db=...): each run drops it.
  static final String DB = System.getProperty("vitals.it.db", "vitals_gateway_it");
  static final Path LOGS = Path.of("target/it-logs");
  private static FhirServer fhir;

  /** The gateway's backend client in the test realm, with the scopes the gateway asks for. */
  public static final String GATEWAY_CLIENT = "it-gateway";

  /** The tests' own backend client (patients, counting Observations). */
  static final String TEST_CLIENT = "it-admin";

  public static final ECKey GATEWAY_KEY = newKey("it-gateway-key");
  static final ECKey TEST_KEY = newKey("it-admin-key");

  /** The gateway's default VITALS_FHIR_SCOPES (application.yaml). */
  public static final String GATEWAY_SCOPES =
      "system/Observation.cruds system/Device.cruds system/DeviceUseStatement.cruds"
          + " system/Patient.rs";

  private ItEnvironment() {}

  private static ECKey newKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_384).keyID(kid).generate();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A realm file as an operator writes one (VITALS_SECURITY_REALM): the gateway's backend client
   * with exactly the gateway's scopes, and the tests' own backend client.
   */
  static Path realmFile() throws IOException {
    String realm =
        "{\"users\": [], \"clients\": ["
            + backendClient(GATEWAY_CLIENT, GATEWAY_KEY, GATEWAY_SCOPES)
            + ","
            + backendClient(TEST_CLIENT, TEST_KEY, "system/*.cruds")
            + "]}";
    Path file = Files.createTempFile("gateway-it-realm", ".json");
    Files.writeString(file, realm);
    file.toFile().deleteOnExit();
    return file;
  }

  private static String backendClient(String id, ECKey key, String scopes) {
    StringBuilder s = new StringBuilder();
    for (String scope : scopes.split(" ")) {
      s.append(s.isEmpty() ? "" : ",").append('"').append(scope).append('"');
    }
    return "{\"clientId\": \""
        + id
        + "\", \"type\": \"backend\", \"jwks\": "
        + new JWKSet(key.toPublicJWK()).toString(true)
        + ", \"scopes\": ["
        + s
        + "]}";
  }

  /** The gateway's private key in a file, as VITALS_FHIR_CLIENT_KEY names it in production. */
  static synchronized Path gatewayKeyFile() throws IOException {
    Path file = Files.createTempFile("gateway-it-key", ".private.jwk.json");
    Files.writeString(file, GATEWAY_KEY.toJSONString());
    file.toFile().deleteOnExit();
    return file;
  }

  /** The FHIR server, started once per test JVM on a fresh database. */
  public static synchronized FhirServer fhir() throws Exception {
    if (fhir == null) {
      recreateDatabase();
      FhirServer started = new FhirServer(freePort());
      Runtime.getRuntime().addShutdownHook(new Thread(started::kill));
      started.start();
      fhir = started;
    }
    return fhir;
  }

  public static void requireMosquitto() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 1883), 2000);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Mosquitto is not listening on 127.0.0.1:1883; start it (apt-get install mosquitto; service mosquitto start)",
          e);
    }
  }

  static void recreateDatabase() throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("drop database if exists " + DB + " with (force)");
      st.execute("create database " + DB);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth) is needed: " + e.getMessage(),
          e);
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A FHIR client of the tests, holding a backend-services token of the test client. */
  public static IGenericClient client(String base) {
    FhirContext ctx = FhirContext.forR4Cached();
    ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    ctx.getRestfulClientFactory().setSocketTimeout(120_000);
    IGenericClient client = ctx.newRestfulGenericClient(base);
    client.registerInterceptor(
        new BearerTokenInterceptor(
            new SmartBackendToken(
                base, TEST_CLIENT, TEST_KEY.toJSONString(), "system/*.cruds", Clock.systemUTC())));
    return client;
  }

  public static String createPatient(IGenericClient fhir, String name) {
    Patient p = new Patient();
    p.addName().setFamily(name);
    return fhir.create().resource(p).execute().getId().toUnqualifiedVersionless().getValue();
  }

  public static int count(IGenericClient fhir, String query) {
    Bundle b =
        fhir.search()
            // Readings only: minute summaries (decision 0209) carry another identifier system.
            .byUrl(
                "Observation?"
                    + query
                    + "&identifier="
                    + org.vitals.gateway.mapping.ObservationMapper.READING_IDENTIFIER_SYSTEM
                    + "|&_summary=count")
            .returnBundle(Bundle.class)
            .execute();
    return b.getTotal();
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  static boolean httpOk(String url) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  /** A java -jar process with its own log file. */
  abstract static class JarProcess {
    final String name;
    Process process;

    JarProcess(String name) {
      this.name = name;
    }

    abstract List<String> command();

    abstract Map<String, String> env();

    abstract String readyUrl();

    Path log() {
      return LOGS.resolve(name + ".log");
    }

    void start() throws Exception {
      Files.createDirectories(LOGS);
      ProcessBuilder pb = new ProcessBuilder(command());
      pb.environment().putAll(env());
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
      process = pb.start();
      long deadline = System.nanoTime() + Duration.ofMinutes(7).toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              name + " exited with " + process.exitValue() + ":\n" + tail(log()));
        }
        if (httpOk(readyUrl())) {
          return;
        }
        Thread.sleep(500);
      }
      throw new IllegalStateException(name + " was not ready within 7 minutes:\n" + tail(log()));
    }

    /** A real process kill (SIGKILL), not a clean shutdown. */
    void kill() {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
        try {
          process.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    void stop() {
      if (process != null && process.isAlive()) {
        process.destroy();
        try {
          if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            kill();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** The fhir-server jar of this build on PostgreSQL. */
  public static final class FhirServer extends JarProcess {
    private final int port;
    private final Path jar;
    private final Path dataDir;
    private final Path realm;

    FhirServer(int port) throws IOException {
      super("fhir-server");
      this.port = port;
      Path built = Path.of("../fhir-server/target/fhir-server.jar");
      if (!Files.exists(built)) {
        throw new IllegalStateException(
            built.toAbsolutePath()
                + " is missing: build it first (mvn -B -DskipTests package from the root)");
      }
      // A private copy: a rebuild of the module must not pull the jar from under the process.
      this.jar = Files.createTempFile("gateway-it-fhirsrv", ".jar");
      Files.copy(built, jar, StandardCopyOption.REPLACE_EXISTING);
      jar.toFile().deleteOnExit();
      this.dataDir = Files.createTempDirectory("fhir-it-data");
      this.realm = realmFile();
    }

    public String base() {
      return "http://127.0.0.1:" + port + "/fhir";
    }

    @Override
    List<String> command() {
      // C1 only: a start costs about 30 CPU-seconds instead of 80 with C2, and the ITs' few
      // thousand Observations do not need C2's code (CI runs on 2 cores).
      return List.of("java", "-Xmx1536m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
    }

    @Override
    Map<String, String> env() {
      Map<String, String> e = new HashMap<>();
      e.put("SERVER_PORT", String.valueOf(port));
      e.put("VITALS_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + DB);
      e.put("VITALS_DB_USER", "postgres");
      e.put("VITALS_DB_PASSWORD", "");
      e.put("VITALS_DB_POOL_SIZE", "8");
      e.put("VITALS_DATA_DIR", dataDir.toString());
      // SMART security as in production (the default), with the test realm's clients.
      e.put("VITALS_SECURITY", "on");
      e.put("VITALS_SECURITY_REALM", realm.toString());
      return e;
    }

    @Override
    String readyUrl() {
      return base() + "/metadata";
    }

    public void restart() throws Exception {
      start();
    }

    public void killNow() {
      kill();
    }
  }

  private static Path gatewayJar;

  /**
   * A private copy of this build's gateway jar: a concurrent rebuild must not replace it mid-test.
   */
  static synchronized Path gatewayJar() {
    if (gatewayJar == null) {
      try {
        Path copy = Files.createTempFile("gateway-it", ".jar");
        Files.copy(Path.of("target/device-gateway.jar"), copy, StandardCopyOption.REPLACE_EXISTING);
        copy.toFile().deleteOnExit();
        gatewayJar = copy;
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot copy target/device-gateway.jar: " + e.getMessage(), e);
      }
    }
    return gatewayJar;
  }

  /** The device-gateway jar of this build. */
  public static final class Gateway extends JarProcess {
    final int port;
    final Map<String, String> env = new HashMap<>();

    public Gateway(String name, String fhirBase, String mqttUrl, Path dataDir, String clientId)
        throws IOException {
      super(name);
      this.port = freePort();
      env.put("SERVER_PORT", String.valueOf(port));
      env.put("VITALS_FHIR_URL", fhirBase);
      env.put("VITALS_MQTT_URL", mqttUrl == null ? "" : mqttUrl);
      env.put("VITALS_DATA_DIR", dataDir.toString());
      env.put("VITALS_MQTT_CLIENT_ID", clientId);
      // SMART Backend Services as the realm's gateway client (the FHIR server enforces tokens).
      env.put("VITALS_FHIR_CLIENT_ID", GATEWAY_CLIENT);
      env.put("VITALS_FHIR_CLIENT_KEY", gatewayKeyFile().toString());
      // Other listeners of the gateway (HL7 MLLP) on free ports, so gateways can run side by side.
      env.put("VITALS_MLLP_PORT", String.valueOf(freePort()));
      if (!Files.exists(Path.of("target/device-gateway.jar"))) {
        throw new IllegalStateException(
            "target/device-gateway.jar is missing: run the ITs with mvn verify (after package)");
      }
    }

    public String http() {
      return "http://127.0.0.1:" + port;
    }

    @Override
    List<String> command() {
      return List.of(
          "java", "-Xmx768m", "-XX:TieredStopAtLevel=1", "-jar", gatewayJar().toString());
    }

    @Override
    Map<String, String> env() {
      return env;
    }

    @Override
    String readyUrl() {
      // Started and serving; /actuator/health would also wait for the FHIR server.
      return http() + "/api/templates";
    }

    public void startNow() throws Exception {
      start();
    }

    public void killNow() {
      kill();
    }

    public void stopNow() {
      stop();
    }
  }
}
