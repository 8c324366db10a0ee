package org.vitals.smartapps.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarFile;

/**
 * The real services the browser tests run against: a fresh PostgreSQL database at 127.0.0.1:5432,
 * the fhir-server jar of this build (security on, a test realm whose apps redirect to the port it
 * got) and the cds-hooks jar, each as a process with its own log under target/it-logs. A missing
 * service or build output fails with a message that says what to do.
 */
final class Services {

  static final Path LOGS = Path.of("target/it-logs");

  /**
   * The test database; {@code -Dvitals.smart-apps.db=…} keeps parallel runs on one server apart.
   */
  static final String DB = System.getProperty("vitals.smart-apps.db", "vitals_smart_apps_it");

  static final String SEED_CLIENT = "smart-apps-it-seeder";

  private Services() {}

  static void recreateDatabase() {
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

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A build output the tests need, copied so that a rebuild cannot pull it from under them. */
  static Path builtJar(String property, String module) throws IOException {
    Path built =
        Path.of(System.getProperty(property, "../../" + module + "/target/" + module + ".jar"));
    if (!Files.exists(built)) {
      throw new IllegalStateException(
          built.toAbsolutePath()
              + " is missing: build it first (mvn -B verify from the root builds it before these"
              + " tests)");
    }
    Path copy = Files.createTempFile(module + "-it", ".jar");
    Files.copy(built, copy, StandardCopyOption.REPLACE_EXISTING);
    copy.toFile().deleteOnExit();
    return copy;
  }

  /**
   * Writes the test realm: the demo realm's users (from the fhir-server jar, so they stay the
   * documented ones), the two demo apps as registered there, and a backend client for seeding whose
   * ES384 private key goes to {@code keyFile}.
   */
  static Path writeRealm(Path fhirJar, Path dir, Path keyFile) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode demo;
    try (JarFile jar = new JarFile(fhirJar.toFile());
        InputStream in =
            jar.getInputStream(jar.getEntry("BOOT-INF/classes/security/demo-realm.json"))) {
      demo = (ObjectNode) json.readTree(in);
    }
    ECKey key =
        new ECKeyGenerator(Curve.P_384)
            .keyID(UUID.randomUUID().toString())
            .algorithm(JWSAlgorithm.ES384)
            .keyUse(KeyUse.SIGNATURE)
            .generate();
    Files.writeString(keyFile, key.toJSONString());
    ObjectNode realm = json.createObjectNode();
    realm.put("seedResources", true);
    realm.set("users", demo.get("users"));
    ArrayNode clients = realm.putArray("clients");
    for (var c : demo.get("clients")) {
      String id = c.get("clientId").asText();
      if (id.equals("vitals-doctor-app") || id.equals("vitals-patient-app")) {
        // As the demo realm writes them: relative redirect URIs, which the server places on the
        // port it runs on (decision 0805); the launches below prove they match.
        clients.add(((ObjectNode) c).deepCopy());
      }
    }
    ObjectNode seeder = clients.addObject();
    seeder.put("clientId", SEED_CLIENT);
    seeder.put("name", "Browser-test data seeder");
    seeder.put("type", "backend");
    seeder.set("jwks", json.readTree("{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}"));
    seeder.putArray("scopes").add("system/*.cruds");
    Path file = dir.resolve("realm.json");
    Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(realm));
    return file;
  }

  static boolean httpOk(String url) {
    try {
      HttpResponse<Void> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * JVM options for every service process these tests start: C1 only, as the services need no peak
   * performance here and C2 compilation costs a start most of its CPU on a 2-core CI machine; the
   * serial collector, as G1's concurrent threads only compete with the other process for the cores.
   */
  static final List<String> TEST_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /**
   * The CDS service's JIT warm-up as the cds-hooks ITs run it (decision 0710): still run before the
   * service says it is ready, but 5 calls, not the production 300 that take a minute of CPU per
   * start (60 s here under load); these tests time no CDS call.
   */
  static final Map<String, String> SHORT_CDS_WARM_UP =
      Map.of("VITALS_CDS_WARM_UP_CALLS", "5", "VITALS_CDS_WARM_UP_MAX", "PT5S");

  /**
   * Starts processes together and waits until all of them are ready: none of these services needs
   * another one up to start (each calls the others only when a request comes), so their starts
   * overlap. If one fails, all are stopped.
   */
  static void startAll(JarProcess... processes) throws Exception {
    try {
      for (JarProcess p : processes) {
        p.awaitReady();
      }
    } catch (Exception | Error e) {
      for (JarProcess p : processes) {
        p.close();
      }
      throw e;
    }
  }

  /**
   * A java -jar process with its own log, started by the constructor, ready when {@code readyUrl}
   * answers 200 ({@link #awaitReady}).
   */
  static final class JarProcess implements AutoCloseable {
    final String name;
    private final Process process;
    private final Path log;
    private final String readyUrl;

    JarProcess(String name, Path jar, Map<String, String> env, String readyUrl, String... jvm)
        throws IOException {
      this.name = name;
      this.readyUrl = readyUrl;
      Files.createDirectories(LOGS);
      this.log = LOGS.resolve(name + ".log");
      List<String> cmd = new java.util.ArrayList<>(List.of("java"));
      cmd.addAll(TEST_JVM);
      cmd.addAll(List.of(jvm));
      cmd.addAll(List.of("-jar", jar.toString()));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().putAll(env);
      pb.redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      process = pb.start();
    }

    /** Waits until the process answers 200 at its ready URL (at most 10 minutes). */
    void awaitReady() throws Exception {
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              name + " exited with " + process.exitValue() + ":\n" + tail(log));
        }
        if (httpOk(readyUrl)) {
          return;
        }
        Thread.sleep(250);
      }
      close();
      throw new IllegalStateException(name + " was not ready within 10 minutes:\n" + tail(log));
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroy();
        try {
          if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
