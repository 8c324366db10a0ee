package org.vitals.smartapps.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the browser tests of {@code smart-apps/web/test/browser} (node's test runner driving
 * Debian's headless Chromium through playwright-core) against the real fhir-server (security on,
 * fresh PostgreSQL database) and cds-hooks jars of this build: the doctor app's full EHR launch
 * from the local launcher with PKCE, charts, ECG and CDS cards, an alert acknowledged and a live
 * update; the patient's standalone launch seeing only their own data. Screenshots:
 * target/screenshots.
 */
class SmartAppsBrowserIT {

  static final String CHROMIUM =
      System.getenv().getOrDefault("VITALS_CHROMIUM", "/usr/bin/chromium");

  @Test
  void doctorAndPatientAppsInHeadlessChromium() throws Exception {
    Path web = Path.of(System.getProperty("vitals.smart-apps.web", "../web")).toAbsolutePath();
    Path screenshots =
        Path.of(System.getProperty("vitals.screenshots", "target/screenshots")).toAbsolutePath();
    if (!Files.isExecutable(Path.of(CHROMIUM))) {
      throw new IllegalStateException(
          CHROMIUM + " is missing: install Debian's chromium (bash .ci/setup.d/smart-apps.sh)");
    }
    if (!Files.isDirectory(web.resolve("node_modules/playwright-core"))) {
      throw new IllegalStateException(
          web + "/node_modules is missing: build smart-apps/web first (it runs npm ci)");
    }
    Path fhirJar = Services.builtJar("vitals.fhir-server.jar", "fhir-server");
    Path cdsJar = Services.builtJar("vitals.cds-hooks.jar", "cds-hooks");
    Path work = Files.createTempDirectory("smart-apps-it");
    Path key = work.resolve("seeder.private.jwk.json");
    int fhirPort = Services.freePort();
    int cdsPort = Services.freePort();
    Path realm = Services.writeRealm(fhirJar, work, key);
    Services.recreateDatabase();

    // Apps, tokens and the CDS service all use "localhost": a token's audience is the host asked.
    String base = "http://localhost:" + fhirPort;
    String cds = "http://localhost:" + cdsPort;
    Map<String, String> fhirEnv = new HashMap<>();
    fhirEnv.put("SERVER_PORT", String.valueOf(fhirPort));
    fhirEnv.put("VITALS_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + Services.DB);
    fhirEnv.put("VITALS_DB_USER", "postgres");
    fhirEnv.put("VITALS_DB_PASSWORD", "");
    fhirEnv.put("VITALS_DATA_DIR", work.resolve("fhir-data").toString());
    fhirEnv.put("VITALS_SECURITY_REALM", realm.toString());
    // -Dvitals.smart-apps.dist=…/web/target/classes/vitals-apps serves the apps just built instead
    // of those packed in the fhir-server jar (a run without rebuilding fhir-server).
    String dist = System.getProperty("vitals.smart-apps.dist", "");
    if (!dist.isBlank()) {
      fhirEnv.put("VITALS_APPS_DIR", Path.of(dist).toAbsolutePath().toString());
    }
    Map<String, String> cdsEnv = new HashMap<>();
    cdsEnv.put("SERVER_PORT", String.valueOf(cdsPort));
    cdsEnv.put("VITALS_FHIR_URL", base + "/fhir");
    // CDS client authentication on: the doctor app calls through the FHIR server's relay, whose
    // key the service trusts (decision 0806); the service reads FHIR with the app's own token.
    cdsEnv.put("VITALS_CDS_AUTH", "on");
    cdsEnv.put("VITALS_CDS_TRUSTED_ISSUERS", base + "=" + base + "/cds-relay/jwks.json");
    fhirEnv.put("VITALS_CDS_URL", cds);
    cdsEnv.put("VITALS_MONITOR", "false");
    cdsEnv.putAll(Services.SHORT_CDS_WARM_UP);
    cdsEnv.put("VITALS_CDS_DATA_DIR", work.resolve("cds-data").toString());
    cdsEnv.put("VITALS_DOCTOR_APP_URL", base + "/apps/doctor/");

    try (var fhir =
            new Services.JarProcess(
                "fhir-server", fhirJar, fhirEnv, base + "/fhir/metadata", "-Xmx1536m");
        var cdsService =
            new Services.JarProcess(
                "cds-hooks", cdsJar, cdsEnv, cds + "/actuator/health", "-Xmx768m")) {
      Services.startAll(fhir, cdsService);
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  "node",
                  "--test",
                  "--test-concurrency=1",
                  "--test-timeout=540000",
                  "test/browser/"));
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(web.toFile());
      pb.environment().put("VITALS_BASE", base);
      pb.environment().put("VITALS_CDS", cds);
      pb.environment().put("VITALS_SEED_CLIENT", Services.SEED_CLIENT);
      pb.environment().put("VITALS_SEED_KEY", key.toString());
      pb.environment().put("VITALS_SCREENSHOTS", screenshots.toString());
      pb.environment().put("VITALS_CHROMIUM", CHROMIUM);
      pb.redirectErrorStream(true);
      Path out = Services.LOGS.resolve("browser-tests.log");
      pb.redirectOutput(out.toFile());
      Process node = pb.start();
      if (!node.waitFor(15, TimeUnit.MINUTES)) {
        node.destroyForcibly();
        throw new IllegalStateException(
            "browser tests did not finish in 15 minutes:\n" + Files.readString(out));
      }
      String report = Files.readString(out);
      System.out.println(report);
      assertEquals(
          0,
          node.exitValue(),
          "browser tests failed (screenshots in "
              + screenshots
              + ", server logs in "
              + Services.LOGS.toAbsolutePath()
              + "):\n"
              + report);
    }
  }
}
