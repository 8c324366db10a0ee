package org.vitals.cds.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vitals.cds.hooks.CdsServicesController;

/**
 * The CDS Hooks endpoints over real HTTP with authentication on: every response checked against the
 * CDS Hooks 2.0 rules ({@link CdsContract}), the cards each clinical picture must produce, the JWT
 * cases that must fail with 401, CORS, 400/404/412 and stored feedback. Prefetch carries the data,
 * so no FHIR server is needed here (see MonitorEndToEndIT for that).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CdsServicesIT {

  static Path dir;
  static CdsClientKeys client;
  static CdsClientKeys stranger;

  @LocalServerPort int port;
  @Autowired CdsServicesController controller;

  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void keys() throws Exception {
    dir = Files.createTempDirectory("cds-it");
    client = new CdsClientKeys("https://ehr.test", dir);
    stranger = new CdsClientKeys("https://stranger.test", dir);
  }

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) throws Exception {
    if (client == null) {
      keys();
    }
    r.add("vitals.cds.trusted-issuers", () -> client.trustEntry());
    r.add("vitals.cds.auth", () -> "on");
    r.add("vitals.cds.monitor.enabled", () -> "false");
    r.add("vitals.cds.data-dir", () -> dir.resolve("data").toString());
    r.add("vitals.cds.fhir-url", () -> "http://127.0.0.1:1/fhir");
  }

  String url(String path) {
    return "http://localhost:" + port + path;
  }

  HttpResponse<String> post(String path, String body, String jwt) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (jwt != null) {
      b.header("Authorization", "Bearer " + jwt);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> call(String service, ObjectNode body) throws Exception {
    String path = "/cds-services/" + service;
    return post(path, body.toString(), client.es384(client.claims(url(path)).build()));
  }

  JsonNode cards(String service, ObjectNode body) throws Exception {
    HttpResponse<String> r = call(service, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode n = json.readTree(r.body());
    CdsContract.response(n);
    return n.get("cards");
  }

  static JsonNode card(JsonNode cards, String topic) {
    for (JsonNode c : cards) {
      if (c.path("source").path("topic").path("code").asText().equals(topic)) {
        return c;
      }
    }
    throw new AssertionError("no card of topic " + topic + " in " + cards);
  }

  static List<Observation> ward(
      String p, double hr, double spo2, double rr, double temp, double sys, double dia) {
    Instant now = Instant.now();
    List<Observation> obs = new ArrayList<>();
    for (int i = 59; i >= 0; i--) {
      Instant t = now.minusSeconds(i * 5L);
      obs.add(FhirFixtures.heartRate(p, t, hr));
      obs.add(FhirFixtures.spo2(p, t, spo2));
      obs.add(FhirFixtures.respRate(p, t, rr));
    }
    obs.add(FhirFixtures.temperature(p, now.minusSeconds(900), temp));
    obs.add(FhirFixtures.bloodPressure(p, now.minusSeconds(600), sys, dia));
    return obs;
  }

  // --- discovery -----------------------------------------------------------------------------

  @Test
  void discoveryListsBothServicesWithValidPrefetchTemplates() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url("/cds-services")))
                .header(
                    "Authorization",
                    "Bearer " + client.rs384(client.claims(url("/cds-services")).build()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json.readTree(r.body());
    CdsContract.discovery(body);
    assertThat(body.get("services"))
        .extracting(s -> s.get("id").asText())
        .containsExactly("vitals-ai", "vitals-admission-baseline");
    assertThat(body.get("services").get(0).get("hook").asText()).isEqualTo("patient-view");
    assertThat(body.get("services").get(1).get("hook").asText()).isEqualTo("encounter-start");
    assertThat(body.get("services").get(0).get("prefetch").get("spo2").asText())
        .isEqualTo(
            "Observation?patient={{context.patientId}}&code=http://loinc.org|2708-6&_sort=-date&_count=600");
  }

  // --- cards ---------------------------------------------------------------------------------

  @Test
  void stablePatientGetsOneInfoCard() throws Exception {
    JsonNode cards =
        cards(
            "vitals-ai",
            Prefetch.request(
                "patient-view",
                "stable",
                ward("stable", 72, 97, 14, 36.8, 118, 76),
                List.of(),
                List.of()));
    assertThat(cards).hasSize(1);
    JsonNode news2 = card(cards, "news2");
    assertThat(news2.get("indicator").asText()).isEqualTo("info");
    assertThat(news2.get("summary").asText()).startsWith("NEWS2 ");
    assertThat(news2.get("links").get(0).get("type").asText()).isEqualTo("smart");
    assertThat(news2.get("links").get(0).get("url").asText())
        .isEqualTo("http://localhost:8080/apps/doctor/");
    JsonNode app = json.readTree(news2.get("links").get(0).get("appContext").asText());
    assertThat(app.get("patientId").asText()).isEqualTo("stable");
    assertThat(app.get("focus").asText()).isEqualTo("news2");
  }

  @Test
  void deterioratingCopdPatientOnBisoprololGetsACriticalSourcedNews2Card() throws Exception {
    String p = "det";
    JsonNode cards =
        cards(
            "vitals-ai",
            Prefetch.request(
                "patient-view",
                p,
                ward(p, 125, 84, 26, 38.6, 95, 60),
                List.of(FhirFixtures.copd(p)),
                List.of(FhirFixtures.bisoprolol(p))));
    JsonNode news2 = card(cards, "news2");
    // Scale 2 (COPD): SpO2 84 % on air → 2; RR 26 → 3, SBP 95 → 2, HR 125 → 2, T 38.6 → 1.
    assertThat(news2.get("summary").asText()).startsWith("NEWS2 ≥ 10 (high risk");
    assertThat(news2.get("indicator").asText()).isEqualTo("critical");
    assertThat(news2.get("detail").asText())
        .contains("Scale 2")
        .contains("Chronic obstructive lung disease (Condition/copd-det)")
        .contains("beta-blocker (bisoprolol")
        .contains("| Respiratory rate | 26 /min");
    assertThat(news2.get("source").get("url").asText()).startsWith("https://www.rcp.ac.uk/");
    assertThat(
            news2
                .get("suggestions")
                .get(0)
                .get("actions")
                .get(0)
                .get("resource")
                .get("resourceType")
                .asText())
        .isEqualTo("ServiceRequest");
    assertThat(news2.get("overrideReasons")).isNotEmpty();
    assertThat(cards.get(0).get("indicator").asText()).isEqualTo("critical"); // most urgent first
  }

  @Test
  void hypertensiveCrisisAndFallingGlucoseEachGetTheirCard() throws Exception {
    String p = "bpglu";
    List<Observation> obs = ward(p, 80, 97, 15, 37, 188, 122);
    Instant now = Instant.now();
    for (int i = 23; i >= 0; i--) {
      obs.add(
          FhirFixtures.glucose(
              p, now.minusSeconds(i * 300L), 66 + i * 5.0)); // falling 5 mg/dL / 5 min
    }
    JsonNode cards =
        cards("vitals-ai", Prefetch.request("patient-view", p, obs, List.of(), List.of()));
    JsonNode bp = card(cards, "blood-pressure");
    assertThat(bp.get("indicator").asText()).isEqualTo("critical");
    assertThat(bp.get("summary").asText())
        .isEqualTo("Hypertensive crisis reading 188/122 mmHg: assess for target-organ damage");
    JsonNode glu = card(cards, "glucose");
    assertThat(glu.get("summary").asText()).startsWith("Glucose 66 mg/dL, forecast ");
    assertThat(glu.get("indicator").asText()).isIn("warning", "critical");
    assertThat(glu.get("source").get("url").asText())
        .isEqualTo(url("/model-cards/glucose-forecaster.md"));
    HttpResponse<String> modelCard =
        http.send(
            HttpRequest.newBuilder(URI.create(glu.get("source").get("url").asText())).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(modelCard.statusCode()).isEqualTo(200);
    assertThat(modelCard.body()).containsIgnoringCase("glucose");
  }

  @Test
  void atrialFibrillationOnTheEcgStripsGetsAWarningWithA12LeadSuggestion() throws Exception {
    String p = "af";
    List<Observation> obs = ward(p, 110, 96, 16, 37, 125, 80);
    obs.addAll(EcgFixtures.afStrips(p, Instant.now().minusSeconds(60)));
    JsonNode cards =
        cards("vitals-ai", Prefetch.request("patient-view", p, obs, List.of(), List.of()));
    JsonNode ecg = card(cards, "arrhythmia");
    assertThat(ecg.get("summary").asText()).startsWith("ECG: atrial fibrillation");
    assertThat(ecg.get("indicator").asText()).isEqualTo("warning");
    assertThat(ecg.get("suggestions").get(0).get("label").asText())
        .isEqualTo("Order a 12-lead ECG");
    assertThat(ecg.get("detail").asText()).contains("| AF episodes |");
  }

  @Test
  void noRecentVitalsGivesAStaleDataWarning() throws Exception {
    String p = "silent";
    List<Observation> obs =
        List.of(FhirFixtures.heartRate(p, Instant.now().minusSeconds(3 * 86400), 70));
    JsonNode cards =
        cards("vitals-ai", Prefetch.request("patient-view", p, obs, List.of(), List.of()));
    assertThat(cards).hasSize(1);
    assertThat(cards.get(0).get("indicator").asText()).isEqualTo("warning");
    assertThat(cards.get(0).get("summary").asText())
        .startsWith("No vital signs recorded in the last 24 h");
  }

  @Test
  void encounterStartGivesTheAdmissionBaseline() throws Exception {
    JsonNode cards =
        cards(
            "vitals-admission-baseline",
            Prefetch.request(
                "encounter-start",
                "adm",
                ward("adm", 88, 95, 19, 37.2, 132, 84),
                List.of(),
                List.of()));
    JsonNode baseline = card(cards, "news2");
    assertThat(baseline.get("summary").asText())
        .startsWith("Admission baseline: NEWS2 ≥ 1 (low risk)");
    assertThat(baseline.get("detail").asText()).contains("| Heart rate | 88 /min | 60 |");
  }

  // --- errors --------------------------------------------------------------------------------

  @Test
  void missingPrefetchWithoutFhirServerIs412() throws Exception {
    HttpResponse<String> r = call("vitals-ai", Prefetch.bare("patient-view", "p412"));
    assertThat(r.statusCode()).isEqualTo(412);
    assertThat(r.body()).contains("OperationOutcome").contains("no fhirServer");
  }

  @Test
  void missingPrefetchWithAnUnreachableFhirServerIs412() throws Exception {
    ObjectNode body = Prefetch.bare("patient-view", "p412b");
    body.put("fhirServer", "http://127.0.0.1:1/fhir");
    ObjectNode auth = body.putObject("fhirAuthorization");
    auth.put("access_token", "t");
    auth.put("token_type", "Bearer");
    auth.put("expires_in", 300);
    auth.put("scope", "user/Observation.read");
    auth.put("subject", "vitals-cds");
    HttpResponse<String> r = call("vitals-ai", body);
    assertThat(r.statusCode()).isEqualTo(412);
    assertThat(r.body()).contains("fhirServer could not be read");
  }

  @Test
  void malformedRequestsAre400AndUnknownServices404() throws Exception {
    ObjectNode noInstance = Prefetch.bare("patient-view", "x");
    noInstance.remove("hookInstance");
    assertThat(call("vitals-ai", noInstance).statusCode()).isEqualTo(400);
    ObjectNode wrongHook = Prefetch.bare("order-sign", "x");
    assertThat(call("vitals-ai", wrongHook).statusCode()).isEqualTo(400);
    ObjectNode authWithoutServer = Prefetch.bare("patient-view", "x");
    authWithoutServer
        .putObject("fhirAuthorization")
        .put("access_token", "t")
        .put("token_type", "Bearer");
    assertThat(call("vitals-ai", authWithoutServer).body()).contains("fhirServer is required");
    assertThat(call("nope", Prefetch.bare("patient-view", "x")).statusCode()).isEqualTo(404);
  }

  // --- JWT -----------------------------------------------------------------------------------

  @Test
  void everyBadTokenIsRefusedWith401() throws Exception {
    String path = "/cds-services/vitals-ai";
    String aud = url(path);
    String body = Prefetch.bare("patient-view", "jwt").toString();
    Date past = Date.from(Instant.now().minusSeconds(120));
    List<String[]> cases = new ArrayList<>();
    cases.add(new String[] {"no token", null});
    cases.add(new String[] {"garbage", "not.a.jwt"});
    cases.add(new String[] {"alg none", client.none(client.claims(aud).build())});
    cases.add(new String[] {"HS256", client.hs256(client.claims(aud).build())});
    cases.add(new String[] {"bad signature", client.tampered(client.claims(aud).build())});
    cases.add(
        new String[] {
          "expired",
          client.es384(
              client
                  .claims(aud)
                  .issueTime(Date.from(Instant.now().minusSeconds(600)))
                  .expirationTime(past)
                  .build())
        });
    cases.add(
        new String[] {
          "wrong audience", client.es384(client.claims(url("/cds-services/other")).build())
        });
    cases.add(new String[] {"unknown issuer", stranger.es384(stranger.claims(aud).build())});
    cases.add(new String[] {"no jti", client.es384(client.claims(aud).jwtID(null).build())});
    cases.add(
        new String[] {
          "lifetime too long",
          client.es384(
              client
                  .claims(aud)
                  .expirationTime(Date.from(Instant.now().plusSeconds(86400)))
                  .build())
        });
    for (String[] c : cases) {
      HttpResponse<String> r = post(path, body, c[1]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).as(c[0]).isPresent();
    }
    // A valid ES384 token is accepted once; the same token again is a replay.
    String good = client.es384(client.claims(aud).build());
    assertThat(post(path, body, good).statusCode()).isEqualTo(412); // authenticated; no data
    HttpResponse<String> replay = post(path, body, good);
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(replay.body()).contains("replay");
    assertThat(post(path, body, client.rs384(client.claims(aud).build())).statusCode())
        .isEqualTo(412);
  }

  @Test
  void corsPreflightIsAnsweredWithoutAToken() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url("/cds-services/vitals-ai")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:8090")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("http://localhost:8090");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
        .contains("authorization");
    // The 401 of a browser call without a token is readable by the page.
    HttpResponse<String> denied =
        http.send(
            HttpRequest.newBuilder(URI.create(url("/cds-services")))
                .header("Origin", "http://localhost:8090")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(denied.statusCode()).isEqualTo(401);
    assertThat(denied.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("http://localhost:8090");
  }

  // --- feedback ------------------------------------------------------------------------------

  @Test
  void feedbackInTheSpecShapeIsStoredWithWhatTheCardWasAbout() throws Exception {
    String p = "fb";
    JsonNode cards =
        cards(
            "vitals-ai",
            Prefetch.request(
                "patient-view", p, ward(p, 125, 90, 26, 38.6, 95, 60), List.of(), List.of()));
    JsonNode news2 = card(cards, "news2");
    String suggestion = news2.get("suggestions").get(0).get("uuid").asText();
    String body =
        "{\"feedback\":[{\"card\":\""
            + news2.get("uuid").asText()
            + "\",\"outcome\":\"accepted\","
            + "\"acceptedSuggestions\":[{\"id\":\""
            + suggestion
            + "\"}],\"outcomeTimestamp\":\"2026-01-08T19:10:00Z\"},"
            + "{\"card\":\""
            + news2.get("uuid").asText()
            + "\",\"outcome\":\"overridden\",\"overrideReason\":"
            + "{\"reason\":{\"code\":\"artefact\",\"system\":\"https://vitals.example.org/fhir/CodeSystem/override-reason\","
            + "\"display\":\"Measurement artefact or sensor problem\"},\"userComment\":\"probe off\"},"
            + "\"outcomeTimestamp\":\"2026-01-08T19:11:00Z\"}]}";
    String path = "/cds-services/vitals-ai/feedback";
    int before = controller.feedbackStore().all().size();
    HttpResponse<String> r = post(path, body, client.es384(client.claims(url(path)).build()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<ObjectNode> stored = controller.feedbackStore().all();
    assertThat(stored).hasSize(before + 2);
    ObjectNode last = stored.get(stored.size() - 1);
    assertThat(last.get("patientId").asText()).isEqualTo(p);
    assertThat(last.get("topic").asText()).isEqualTo("news2");
    assertThat(last.get("client").asText()).isEqualTo("https://ehr.test");
    assertThat(last.get("item").get("overrideReason").get("userComment").asText())
        .isEqualTo("probe off");

    String bad =
        "{\"feedback\":[{\"card\":\"c\",\"outcome\":\"accepted\",\"outcomeTimestamp\":\"2026-01-08T19:10:00Z\"}]}";
    HttpResponse<String> rejected = post(path, bad, client.es384(client.claims(url(path)).build()));
    assertThat(rejected.statusCode()).isEqualTo(400);
    assertThat(rejected.body()).contains("acceptedSuggestions is required");
    assertThat(controller.feedbackStore().all()).hasSize(before + 2);
  }
}
