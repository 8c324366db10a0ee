package org.vitals.cds.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.vitals.cds.CdsHooksApplication;
import org.vitals.cds.monitor.AlertResources;
import org.vitals.cds.monitor.Monitor;
import org.vitals.cds.monitor.MonitorSubscriptions;

/**
 * The monitor against the real FHIR server on PostgreSQL with SMART authorization enforced
 * (decision 0705): it authenticates with SMART Backend Services as the {@code vitals-cds} client
 * with exactly the scopes the shipped demo realm gives it, registers its Subscriptions, reads and
 * writes with that token, and a deterioration produces one alert. Then the faults of decisions 0706
 * and 0708 while the monitor keeps running: rest-hook deliveries lost on the way (a relay between
 * the FHIR server and the monitor refuses connections) are found by the reconciliation and the
 * alert comes, once; and after the FHIR server restarts, the monitor reconnects, catches up without
 * a second alert for the earlier episode, and a new deterioration is alerted once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitorSecuredIT {

  static final String CDS_CLIENT = "vitals-cds";
  static final String WRITER_CLIENT = "cds-it-writer";
  static final ECKey CDS_KEY = newKey("cds-it");
  static final ECKey WRITER_KEY = newKey("writer-it");

  static FhirServerProcess server;
  static DeliveryRelay relay;
  static ConfigurableApplicationContext app;
  static Monitor monitor;
  static MonitorSubscriptions subscriptions;
  static String firstPatient;

  static ECKey newKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_384).keyID(kid).generate();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    server = FhirServerProcess.startSecured(realmFile());
    int port = FhirServerProcess.freePort();
    relay = new DeliveryRelay(port);
    Path keyFile = Files.createTempFile("cds-it-key", ".private.jwk.json");
    Files.writeString(keyFile, CDS_KEY.toJSONString());
    keyFile.toFile().deleteOnExit();
    app =
        new SpringApplicationBuilder(CdsHooksApplication.class)
            .web(WebApplicationType.SERVLET)
            .run(
                "--server.port=" + port,
                "--vitals.cds.fhir-url=" + server.base(),
                "--vitals.cds.fhir-client-id=" + CDS_CLIENT,
                "--vitals.cds.fhir-client-key=" + keyFile,
                "--vitals.cds.auth=off",
                "--vitals.cds.data-dir=" + Files.createTempDirectory("cds-secured"),
                // Deliveries go through the relay, so the test can lose them on the way.
                "--vitals.cds.monitor.callback-url=http://127.0.0.1:"
                    + relay.port()
                    + "/monitor/hook",
                "--vitals.cds.monitor.reconcile-window=PT5S",
                "--vitals.cds.monitor.reconcile-settle=PT5S",
                "--vitals.cds.monitor.reconcile-every=PT2S",
                "--vitals.cds.monitor.probe-every=PT2S");
    monitor = app.getBean(Monitor.class);
    subscriptions = app.getBean(MonitorSubscriptions.class);
    await().atMost(Duration.ofSeconds(240)).until(subscriptions::active);
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (relay != null) {
      relay.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /**
   * The FHIR server's realm, as an operator writes one: {@code vitals-cds} with the scopes the
   * shipped demo realm gives it (so a scope the monitor lacks there fails here), and the test's own
   * writer.
   */
  static Path realmFile() throws IOException {
    JsonNode demo =
        new ObjectMapper()
            .readTree(
                Path.of("../fhir-server/src/main/resources/security/demo-realm.json").toFile());
    JsonNode cdsScopes = null;
    for (JsonNode c : demo.path("clients")) {
      if (CDS_CLIENT.equals(c.path("clientId").asText())) {
        cdsScopes = c.get("scopes");
      }
    }
    assertThat(cdsScopes).as("the demo realm defines the %s client", CDS_CLIENT).isNotNull();
    String realm =
        "{\"users\": [], \"clients\": ["
            + client(CDS_CLIENT, CDS_KEY, cdsScopes.toString())
            + ","
            + client(WRITER_CLIENT, WRITER_KEY, "[\"system/*.cruds\"]")
            + "]}";
    Path file = Files.createTempFile("cds-it-realm", ".json");
    Files.writeString(file, realm);
    file.toFile().deleteOnExit();
    return file;
  }

  static String client(String id, ECKey key, String scopesJson) {
    return "{\"clientId\": \""
        + id
        + "\", \"type\": \"backend\", \"jwks\": "
        + new JWKSet(key.toPublicJWK()).toString(true)
        + ", \"scopes\": "
        + scopesJson
        + "}";
  }

  /** A SMART Backend Services token for the test's writer (system/*.cruds). */
  static String writerToken() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    JsonNode conf =
        new ObjectMapper()
            .readTree(
                http.send(
                        HttpRequest.newBuilder(
                                URI.create(server.base() + "/.well-known/smart-configuration"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
    String tokenUrl = conf.path("token_endpoint").asText();
    Instant now = Instant.now();
    SignedJWT assertion =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES384)
                .keyID(WRITER_KEY.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            new JWTClaimsSet.Builder()
                .issuer(WRITER_CLIENT)
                .subject(WRITER_CLIENT)
                .audience(tokenUrl)
                .expirationTime(Date.from(now.plusSeconds(240)))
                .jwtID(UUID.randomUUID().toString())
                .build());
    assertion.sign(new ECDSASigner(WRITER_KEY));
    String form =
        "grant_type=client_credentials&scope="
            + URLEncoder.encode("system/*.cruds", StandardCharsets.UTF_8)
            + "&client_assertion_type="
            + URLEncoder.encode(
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
            + "&client_assertion="
            + assertion.serialize();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(tokenUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("token for the test writer: %s", r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body()).path("access_token").asText();
  }

  static IGenericClient writer() throws Exception {
    IGenericClient c = MonitorWrites.client(server.base());
    c.registerInterceptor(new BearerTokenAuthInterceptor(writerToken()));
    return c;
  }

  /** Writes a deterioration of NEWS2 11 held for 20 s (after a normal background) for a patient. */
  static String deteriorate(IGenericClient fhir) {
    String p = MonitorWrites.newPatient(fhir, List.of("monitor", "thermo", "cuff"));
    Instant start = Instant.now().minusSeconds(120);
    MonitorWrites.write(fhir, MonitorWrites.background(p, start));
    Instant t = start.plusSeconds(20);
    List<Observation> first = MonitorWrites.tick(p, t, 125, 90, 26);
    first.add(FhirFixtures.temperature(p, t, 38.6));
    first.add(FhirFixtures.bloodPressure(p, t, 95, 60));
    MonitorWrites.write(fhir, first);
    for (int s = 1; s <= 20; s++) {
      MonitorWrites.write(fhir, MonitorWrites.tick(p, t.plusSeconds(s), 125, 90, 26));
    }
    return p;
  }

  /** Exactly one alert for the patient, open, at the emergency level, with evidence. */
  static void assertOneAlert(IGenericClient fhir, String p) {
    // Give a duplicate every chance to appear before counting.
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
    List<DetectedIssue> alerts = MonitorWrites.alerts(fhir, p);
    assertThat(alerts).as("alerts of Patient/%s", p).hasSize(1);
    DetectedIssue d = alerts.get(0);
    assertThat(MonitorWrites.state(d)).isIn("raised", "escalated");
    assertThat(((IntegerType) d.getExtensionByUrl(AlertResources.EXT_LEVEL).getValue()).getValue())
        .isEqualTo(3);
    assertThat(d.getEvidenceFirstRep().getDetail())
        .anyMatch(r -> r.getReference().startsWith("Observation/"));
  }

  @Test
  @Order(1)
  void withAuthorizationEnforcedADeteriorationRaisesOneAlert() throws Exception {
    HttpResponse<String> anonymous =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.base() + "/Observation?_count=1")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode())
        .as("the FHIR server enforces SMART authorization")
        .isEqualTo(401);

    IGenericClient fhir = writer();
    firstPatient = deteriorate(fhir);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> !MonitorWrites.alerts(fhir, firstPatient).isEmpty());
    assertOneAlert(fhir, firstPatient);
    Bundle risks =
        fhir.search()
            .forResource(RiskAssessment.class)
            .where(RiskAssessment.SUBJECT.hasId("Patient/" + firstPatient))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(risks.getEntry())
        .as("NEWS2 RiskAssessments written with the monitor's token")
        .isNotEmpty();
    assertThat(monitor.replayed()).as("nothing was lost: no window replayed").isZero();
  }

  @Test
  @Order(2)
  void deliveriesLostWhileTheMonitorRunsAreFoundByTheReconciliation() throws Exception {
    IGenericClient fhir = writer();
    long replayedBefore = monitor.replayed();
    relay.refuse(true); // the FHIR server's rest-hooks now fail to connect and are given up
    String p;
    try {
      p = deteriorate(fhir);
      // Refusing until the reconciliation has replayed: no delivery can get through meanwhile,
      // so only the reconciliation (it reads the readings from the FHIR server, not the relay)
      // can find them, however slowly a loaded machine retries the deliveries.
      await()
          .atMost(Duration.ofSeconds(180))
          .untilAsserted(
              () ->
                  assertThat(monitor.replayed())
                      .as("the reconciliation replayed the windows whose deliveries were lost")
                      .isGreaterThan(replayedBefore));
      assertThat(subscriptions.active()).as("the Subscriptions still look active").isTrue();
    } finally {
      relay.refuse(false);
    }
    await().atMost(Duration.ofSeconds(180)).until(() -> !MonitorWrites.alerts(fhir, p).isEmpty());
    assertOneAlert(fhir, p);
  }

  @Test
  @Order(3)
  void afterTheFhirServerRestartsTheMonitorResumesAndAlertsOnce() throws Exception {
    server.restart();
    await().atMost(Duration.ofSeconds(300)).until(subscriptions::active);
    IGenericClient fhir = writer();
    String p = deteriorate(fhir);
    await().atMost(Duration.ofSeconds(120)).until(() -> !MonitorWrites.alerts(fhir, p).isEmpty());
    assertOneAlert(fhir, p);
    // The catch-up after reconnecting replayed the earlier patient's readings: still one alert.
    assertOneAlert(fhir, firstPatient);
  }

  /**
   * A TCP relay on loopback between the FHIR server's rest-hook deliveries and the monitor; while
   * refusing, it closes every connection at once, as a network fault on the delivery path would.
   */
  static final class DeliveryRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private volatile boolean refusing;
    private final List<Socket> open = new ArrayList<>();

    DeliveryRelay(int target) throws IOException {
      this.target = target;
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread t = new Thread(this::acceptLoop, "delivery-relay");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    void refuse(boolean on) {
      refusing = on;
      if (on) { // pooled keep-alive connections too
        synchronized (open) {
          for (Socket s : open) {
            try {
              s.close();
            } catch (IOException e) {
              // closing anyway
            }
          }
          open.clear();
        }
      }
    }

    private void acceptLoop() {
      while (!listener.isClosed()) {
        try {
          Socket in = listener.accept();
          if (refusing) {
            in.setSoLinger(true, 0); // reset, not a clean close
            in.close();
            continue;
          }
          Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
          synchronized (open) {
            open.add(in);
            open.add(out);
          }
          pipe(in, out);
          pipe(out, in);
        } catch (IOException e) {
          // listener closed, or the monitor not up yet: the FHIR server sees a failed delivery
        }
      }
    }

    private static void pipe(Socket from, Socket to) {
      Thread t =
          new Thread(
              () -> {
                try (InputStream i = from.getInputStream();
                    OutputStream o = to.getOutputStream()) {
                  i.transferTo(o);
                } catch (IOException e) {
                  // one side closed
                } finally {
                  try {
                    from.close();
                    to.close();
                  } catch (IOException e) {
                    // closing anyway
                  }
                }
              },
              "delivery-relay-pipe");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      listener.close();
      synchronized (open) {
        for (Socket s : open) {
          s.close();
        }
      }
    }
  }
}
