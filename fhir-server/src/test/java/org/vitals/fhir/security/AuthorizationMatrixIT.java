package org.vitals.fhir.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.vitals.fhir.VitalSignsFixtures;
import org.vitals.fhir.security.testing.BackendTokens;
import org.vitals.fhir.security.testing.SecuredH2Server;
import org.vitals.fhir.security.testing.SmartFlows;
import org.vitals.fhir.security.testing.TestRealm;

/**
 * The authorization matrix: for each scope shape and each resource type the apps use, the allowed
 * requests succeed and every other one is refused, with nothing of another patient in any answer.
 * Tokens come from the real flows (authorization code with PKCE, backend services); bad tokens are
 * signed by hand.
 */
@SecuredH2Server
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixIT {

  static final String ANA = "vitals-demo-ana-silva";
  static final String BEN = "vitals-demo-ben-carter";
  static final List<String> TYPES =
      List.of(
          "Patient",
          "Observation",
          "Device",
          "RiskAssessment",
          "DetectedIssue",
          "Flag",
          "Condition",
          "MedicationStatement",
          "AuditEvent");

  @LocalServerPort int port;

  @Value("${vitals.data-dir}")
  Path dataDir;

  SmartFlows flows;
  final HttpClient http = HttpClient.newHttpClient();

  /** type -> patient -> resource id */
  final Map<String, Map<String, String>> ids = new LinkedHashMap<>();

  /** Everything of Ben's that must never show in an answer to Ana's tokens. */
  final List<String> benMarkers = new ArrayList<>();

  final List<String> anaMarkers = new ArrayList<>();

  @BeforeAll
  void fixtures() {
    flows = new SmartFlows(port);
    FhirContext fhir = FhirContext.forR4Cached();
    fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    IGenericClient admin = fhir.newRestfulGenericClient(flows.fhirBase());
    admin.registerInterceptor(BackendTokens.admin(port));
    for (String patient : List.of(ANA, BEN)) {
      Reference subject = new Reference("Patient/" + patient);
      Map<String, IBaseResource> resources = new LinkedHashMap<>();
      resources.put("Observation", VitalSignsFixtures.heartRate("Patient/" + patient, 77));
      Device device = new Device();
      device.setPatient(subject);
      device
          .addDeviceName()
          .setName("pulse oximeter")
          .setType(Device.DeviceNameType.USERFRIENDLYNAME);
      resources.put("Device", device);
      RiskAssessment risk = new RiskAssessment();
      risk.setStatus(RiskAssessment.RiskAssessmentStatus.FINAL).setSubject(subject);
      resources.put("RiskAssessment", risk);
      DetectedIssue issue = new DetectedIssue();
      issue.setStatus(DetectedIssue.DetectedIssueStatus.FINAL).setPatient(subject);
      resources.put("DetectedIssue", issue);
      Flag flag = new Flag();
      flag.setStatus(Flag.FlagStatus.ACTIVE)
          .setSubject(subject)
          .setCode(new CodeableConcept().setText("fall risk"));
      resources.put("Flag", flag);
      Condition condition = new Condition();
      condition.setSubject(subject).setCode(new CodeableConcept().setText("hypertension"));
      resources.put("Condition", condition);
      MedicationStatement medication = new MedicationStatement();
      medication
          .setStatus(MedicationStatement.MedicationStatementStatus.ACTIVE)
          .setSubject(subject)
          .setMedication(new CodeableConcept().setText("amlodipine"));
      resources.put("MedicationStatement", medication);
      AuditEvent audit = new AuditEvent();
      audit.setType(
          new org.hl7.fhir.r4.model.Coding(
              "http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", null));
      audit.setRecorded(new Date());
      audit
          .addAgent()
          .setRequestor(true)
          .setWho(new Reference("Practitioner/vitals-demo-dr-okafor"));
      audit.getSource().setObserver(new Reference().setDisplay("matrix fixture"));
      audit.addEntity().setWhat(subject);
      resources.put("AuditEvent", audit);
      ids.computeIfAbsent("Patient", k -> new LinkedHashMap<>()).put(patient, patient);
      resources.forEach(
          (type, resource) ->
              ids.computeIfAbsent(type, k -> new LinkedHashMap<>())
                  .put(patient, admin.create().resource(resource).execute().getId().getIdPart()));
    }
    ids.forEach(
        (type, byPatient) -> {
          benMarkers.add(type + "/" + byPatient.get(BEN));
          anaMarkers.add(type + "/" + byPatient.get(ANA));
        });
  }

  String token(String user, String scope) {
    return flows
        .login(TestRealm.TEST_APP, TestRealm.TEST_APP_REDIRECT, scope, user, Map.of())
        .accessToken();
  }

  // ---- patient-level tokens ----

  @Test
  void patientWildcardReadSeesOnlyTheirOwnCompartment() {
    String ana = token("ana.silva", "launch/patient patient/*.rs");
    for (String type : TYPES) {
      expect(get(type + "/" + ids.get(type).get(ANA), ana), 200, type + " own");
      expectRefused(
          get(type + "/" + ids.get(type).get(BEN), ana), 403, type + " other", benMarkers);
      HttpResponse<String> all = get(type + "?_count=100", ana);
      expect(all, 200, type + " search");
      assertThat(mentions(all.body(), type + "/" + ids.get(type).get(ANA)))
          .as(type + " search")
          .isTrue();
      noLeak(all, benMarkers, type + " search");
      HttpResponse<String> theirs = get(type + "?" + patientParam(type) + "=Patient/" + BEN, ana);
      if (theirs.statusCode() == 200) {
        assertThat(mentions(theirs.body(), type + "/" + ids.get(type).get(BEN)))
            .as(type + " search for other")
            .isFalse();
      } else {
        assertThat(theirs.statusCode()).isEqualTo(403);
      }
      noLeak(theirs, benMarkers, type + " search for other");
      expectRefused(
          post(type, minimal(type, ANA), ana),
          403,
          type + " write without write scope",
          benMarkers);
    }
    expect(get("Patient/" + ANA + "/$latest-vitals", ana), 200, "own latest vitals");
    expectRefused(
        get("Patient/" + BEN + "/$latest-vitals", ana), 403, "other latest vitals", benMarkers);
    expectRefused(get("?_type=Observation", ana), -1, "system search", benMarkers);
  }

  /**
   * An app loads several resource types at once with one token, whose rules are built once and
   * shared: each request is answered (HAPI's default compartment modifications wrote on every
   * lookup and failed such requests with 500).
   */
  @Test
  void oneTokensConcurrentRequestsAreAllAnswered() throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 3; round++) {
        String ana = token("ana.silva", "launch/patient patient/*.rs");
        List<java.util.concurrent.Future<HttpResponse<String>>> answers =
            new java.util.ArrayList<>();
        List<String> asked = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
          for (String type : TYPES) {
            String path = i % 2 == 0 ? type + "/" + ids.get(type).get(ANA) : type + "?_count=5";
            asked.add(path);
            answers.add(pool.submit(() -> get(path, ana)));
          }
        }
        for (int i = 0; i < answers.size(); i++) {
          expect(answers.get(i).get(), 200, "round " + round + ": " + asked.get(i));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void oneTypeScopesReachOnlyThatType() {
    for (String scope : List.of("patient/Observation.rs", "patient/Observation.read")) {
      String ana = token("ana.silva", "launch/patient " + scope);
      expect(get("Observation/" + ids.get("Observation").get(ANA), ana), 200, scope);
      expect(get("Observation", ana), 200, scope + " search");
      noLeak(get("Observation", ana), benMarkers, scope);
      for (String type : TYPES) {
        if (!type.equals("Observation")) {
          expectRefused(
              get(type + "/" + ids.get(type).get(ANA), ana), 403, scope + " " + type, benMarkers);
          expectRefused(get(type, ana), 403, scope + " search " + type, benMarkers);
        }
      }
    }
  }

  @Test
  void readAndSearchAreSeparateLetters() {
    String readOnly = token("ana.silva", "launch/patient patient/Observation.r");
    expect(get("Observation/" + ids.get("Observation").get(ANA), readOnly), 200, ".r read");
    expectRefused(get("Observation", readOnly), 403, ".r search", benMarkers);
    String searchOnly = token("ana.silva", "launch/patient patient/Observation.s");
    expect(get("Observation", searchOnly), 200, ".s search");
    expectRefused(
        get("Observation/" + ids.get("Observation").get(ANA), searchOnly),
        403,
        ".s read",
        benMarkers);
  }

  @Test
  void writesNeedWriteScopesAndStayInTheCompartment() {
    String createOnly = token("ana.silva", "launch/patient patient/Observation.c");
    expect(post("Observation", minimal("Observation", ANA), createOnly), 201, ".c own");
    expectRefused(
        post("Observation", minimal("Observation", BEN), createOnly), 403, ".c other", benMarkers);
    expectRefused(
        get("Observation/" + ids.get("Observation").get(ANA), createOnly),
        403,
        ".c read",
        benMarkers);
    expectRefused(
        post("Condition", minimal("Condition", ANA), createOnly), 403, ".c other type", benMarkers);

    String cruds = token("ana.silva", "launch/patient patient/*.cruds");
    for (String type : TYPES) {
      if (type.equals("Patient") || type.equals("AuditEvent")) {
        continue;
      }
      expect(post(type, minimal(type, ANA), cruds), 201, type + " cruds own");
      expectRefused(post(type, minimal(type, BEN), cruds), 403, type + " cruds other", benMarkers);
    }
    // Update of Ben's resource with a patient-level write token of Ana.
    String benObservation = ids.get("Observation").get(BEN);
    expectRefused(
        put(
            "Observation/" + benObservation,
            minimal("Observation", BEN).replace("{", "{\"id\":\"" + benObservation + "\","),
            cruds),
        403,
        "update other",
        benMarkers);
  }

  @Test
  void aSignedInPatientWithUserScopesStillSeesOnlyTheirOwnRecord() {
    String ana = token("ana.silva", "user/*.rs");
    for (String type : TYPES) {
      expect(get(type + "/" + ids.get(type).get(ANA), ana), 200, type + " own");
      expectRefused(
          get(type + "/" + ids.get(type).get(BEN), ana), 403, type + " other", benMarkers);
      noLeak(get(type, ana), benMarkers, type + " search");
    }
  }

  @Test
  void anEhrLaunchedPatientTokenOfAClinicianIsBoundToTheLaunchPatient() {
    SmartFlows.Browser browser = flows.browser();
    browser.signIn("dr.okafor", "demo");
    String launch;
    try {
      var session =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(browser.get("/smart/session").body());
      launch =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(
                  browser
                      .postJson(
                          "/smart/launch",
                          "{\"patient\":\"" + BEN + "\"}",
                          Map.of(
                              session.path("csrfHeader").asText(),
                              session.path("csrfToken").asText()))
                      .body())
              .path("launch")
              .asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    var request =
        flows.request(TestRealm.TEST_APP, TestRealm.TEST_APP_REDIRECT, "launch patient/*.rs");
    request.extra.put("launch", launch);
    String code =
        SmartFlows.parameters(flows.authorize(browser, request, "dr.okafor", "demo")).get("code");
    String ben = flows.exchange(request, code).accessToken();
    for (String type : TYPES) {
      expect(get(type + "/" + ids.get(type).get(BEN), ben), 200, type + " launch patient");
      expectRefused(
          get(type + "/" + ids.get(type).get(ANA), ben), 403, type + " other", anaMarkers);
      noLeak(get(type, ben), anaMarkers, type + " search");
    }
  }

  // ---- user and system level ----

  @Test
  void clinicianUserScopesReachEveryPatientButOnlyWriteWithWriteScopes() {
    String reader = token("dr.okafor", "openid fhirUser user/*.rs");
    for (String type : TYPES) {
      expect(get(type + "/" + ids.get(type).get(ANA), reader), 200, type);
      expect(get(type + "/" + ids.get(type).get(BEN), reader), 200, type);
      HttpResponse<String> all = get(type + "?_count=200", reader);
      expect(all, 200, type + " search");
      assertThat(mentions(all.body(), type + "/" + ids.get(type).get(BEN))).as(type).isTrue();
      assertThat(mentions(all.body(), type + "/" + ids.get(type).get(ANA))).as(type).isTrue();
      if (!type.equals("AuditEvent")) {
        expect(post(type, minimal(type, BEN), reader), 403, type + " write with read scope");
      }
    }
    expect(get("Patient/" + BEN + "/$latest-vitals", reader), 200, "latest vitals");
    String writer = token("dr.okafor", "user/*.cruds");
    expect(post("Observation", minimal("Observation", BEN), writer), 201, "user write");
    expect(post("Flag", minimal("Flag", ANA), writer), 201, "user write");
  }

  @Test
  void systemReadScopesReadEverythingAndWriteNothing() {
    String system =
        flows.backendToken(TestRealm.RSA_CLIENT, TestRealm.RSA_KEY, "system/*.rs").accessToken();
    for (String type : TYPES) {
      expect(get(type + "/" + ids.get(type).get(BEN), system), 200, type);
      if (!type.equals("AuditEvent")) {
        expect(post(type, minimal(type, BEN), system), 403, type + " write");
      }
    }
  }

  // ---- tokens that are not good ----

  @Test
  void missingExpiredForgedAndMisaddressedTokensAreRefused() throws Exception {
    String good = token("ana.silva", "launch/patient patient/*.rs");
    SignedJWT goodJwt = SignedJWT.parse(good);
    RSAKey serverKey =
        (RSAKey) JWK.parse(Files.readString(dataDir.resolve("security/signing-key.jwk.json")));
    RSAKey stranger = new RSAKeyGenerator(2048).keyID(serverKey.getKeyID()).generate();
    JWTClaimsSet claims = goodJwt.getJWTClaimsSet();
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("forged", sign(stranger, claims));
    bad.put(
        "expired",
        sign(
            serverKey,
            new JWTClaimsSet.Builder(claims)
                .expirationTime(new Date(System.currentTimeMillis() - 60_000))
                .build()));
    bad.put(
        "wrong audience",
        sign(
            serverKey,
            new JWTClaimsSet.Builder(claims).audience("http://other-server.example/fhir").build()));
    bad.put(
        "wrong issuer",
        sign(
            serverKey,
            new JWTClaimsSet.Builder(claims).issuer("http://other-server.example").build()));
    bad.put(
        "tampered",
        good.substring(0, good.lastIndexOf('.') - 4)
            + "AAAA"
            + good.substring(good.lastIndexOf('.')));
    bad.put("garbage", "not-a-jwt");
    for (Map.Entry<String, String> token : bad.entrySet()) {
      for (String type : TYPES) {
        HttpResponse<String> response = get(type + "/" + ids.get(type).get(ANA), token.getValue());
        assertThat(response.statusCode()).as(token.getKey() + " " + type).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
            .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        noLeak(response, anaMarkers, token.getKey());
      }
    }
    for (String type : TYPES) {
      HttpResponse<String> none =
          send(HttpRequest.newBuilder(URI.create(flows.fhirBase() + "/" + type)).build());
      assertThat(none.statusCode()).as("no token " + type).isEqualTo(401);
      assertThat(none.body()).contains("OperationOutcome");
      noLeak(none, anaMarkers, "no token");
    }
    // The same good token at another name of this server is for another audience.
    HttpResponse<String> otherName =
        send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir/Patient/" + ANA))
                .header("Authorization", "Bearer " + good)
                .build());
    assertThat(otherName.statusCode()).isEqualTo(401);
    // And the good one still works.
    expect(get("Patient/" + ANA, good), 200, "good token");
  }

  @Test
  void metadataDiscoveryAndHealthArePublicMetricsAreNot() throws Exception {
    HttpResponse<String> metadata =
        send(HttpRequest.newBuilder(URI.create(flows.fhirBase() + "/metadata")).build());
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(metadata.body())
        .contains("SMART-on-FHIR")
        .contains("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris")
        .contains(flows.issuer() + "/oauth2/token")
        .contains(flows.issuer() + "/oauth2/authorize");
    HttpResponse<String> smart =
        send(
            HttpRequest.newBuilder(
                    URI.create(flows.fhirBase() + "/.well-known/smart-configuration"))
                .header("Accept", "application/fhir+json")
                .header("Origin", "http://app.example")
                .build());
    assertThat(smart.statusCode()).isEqualTo(200);
    assertThat(smart.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(smart.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    var config = new com.fasterxml.jackson.databind.ObjectMapper().readTree(smart.body());
    assertThat(config.path("issuer").asText()).isEqualTo(flows.issuer());
    assertThat(config.path("token_endpoint").asText()).isEqualTo(flows.tokenEndpoint());
    assertThat(config.path("authorization_endpoint").asText())
        .isEqualTo(flows.issuer() + "/oauth2/authorize");
    assertThat(config.path("jwks_uri").asText()).isEqualTo(flows.issuer() + "/oauth2/jwks");
    assertThat(config.path("introspection_endpoint").asText())
        .isEqualTo(flows.issuer() + "/oauth2/introspect");
    assertThat(texts(config.path("code_challenge_methods_supported"))).containsExactly("S256");
    assertThat(texts(config.path("grant_types_supported")))
        .contains("authorization_code", "client_credentials");
    assertThat(texts(config.path("token_endpoint_auth_methods_supported")))
        .contains("private_key_jwt");
    assertThat(texts(config.path("token_endpoint_auth_signing_alg_values_supported")))
        .contains("RS384", "ES384");
    assertThat(texts(config.path("capabilities")))
        .contains(
            "launch-ehr",
            "launch-standalone",
            "client-public",
            "client-confidential-asymmetric",
            "context-ehr-patient",
            "context-ehr-encounter",
            "context-standalone-patient",
            "permission-patient",
            "permission-user",
            "permission-v1",
            "permission-v2",
            "permission-offline",
            "sso-openid-connect");
    HttpResponse<String> oidc =
        send(
            HttpRequest.newBuilder(URI.create(flows.issuer() + "/.well-known/openid-configuration"))
                .build());
    assertThat(oidc.statusCode()).isEqualTo(200);
    assertThat(
            send(HttpRequest.newBuilder(URI.create(flows.issuer() + "/actuator/health")).build())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            send(HttpRequest.newBuilder(URI.create(flows.issuer() + "/actuator/metrics")).build())
                .statusCode())
        .isEqualTo(401);
    String backend =
        flows.backendToken(TestRealm.RSA_CLIENT, TestRealm.RSA_KEY, "system/*.rs").accessToken();
    assertThat(
            send(HttpRequest.newBuilder(URI.create(flows.issuer() + "/actuator/metrics"))
                    .header("Authorization", "Bearer " + backend)
                    .build())
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void everyAccessIsAudited() {
    String ana = token("ana.silva", "launch/patient patient/*.rs");
    expect(get("Condition/" + ids.get("Condition").get(ANA), ana), 200, "audited read");
    expectRefused(
        get("Condition/" + ids.get("Condition").get(BEN), ana), 403, "audited refusal", benMarkers);
    send(HttpRequest.newBuilder(URI.create(flows.fhirBase() + "/Condition")).build());
    String admin = BackendTokens.admin(port).token();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              HttpResponse<String> reads =
                  get(
                      "AuditEvent?agent=Patient/"
                          + ANA
                          + "&entity=Condition/"
                          + ids.get("Condition").get(ANA)
                          + "&outcome=0",
                      admin);
              assertThat(reads.body())
                  .contains("\"subtype\"")
                  .contains("read")
                  .contains("vitals-test-app");
              HttpResponse<String> refused =
                  get("AuditEvent?agent=Patient/" + ANA + "&outcome=4&_count=200", admin);
              assertThat(refused.body()).contains("HTTP 403");
              // Ana may read her compartment's AuditEvents: her refused attempt must not name
              // Ben's record.
              noLeak(refused, benMarkers, "audit of a refused attempt");
              HttpResponse<String> anonymous = get("AuditEvent?outcome=4&_count=200", admin);
              assertThat(anonymous.body()).contains("HTTP 401");
            });
  }

  // ---- helpers ----

  static List<String> texts(com.fasterxml.jackson.databind.JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  static String patientParam(String type) {
    return switch (type) {
      case "Patient" -> "_id";
      case "Device",
          "DetectedIssue",
          "Flag",
          "Condition",
          "MedicationStatement",
          "Observation",
          "RiskAssessment",
          "AuditEvent" ->
          "patient";
      default -> "patient";
    };
  }

  /** A small valid resource of {@code type} about {@code patient}. */
  static String minimal(String type, String patient) {
    String ref = "{\"reference\":\"Patient/" + patient + "\"}";
    return switch (type) {
      case "Observation" ->
          FhirContext.forR4Cached()
              .newJsonParser()
              .encodeResourceToString(VitalSignsFixtures.heartRate("Patient/" + patient, 70));
      case "Device" -> "{\"resourceType\":\"Device\",\"patient\":" + ref + "}";
      case "RiskAssessment" ->
          "{\"resourceType\":\"RiskAssessment\",\"status\":\"final\",\"subject\":" + ref + "}";
      case "DetectedIssue" ->
          "{\"resourceType\":\"DetectedIssue\",\"status\":\"final\",\"patient\":" + ref + "}";
      case "Flag" ->
          "{\"resourceType\":\"Flag\",\"status\":\"active\",\"code\":{\"text\":\"x\"},\"subject\":"
              + ref
              + "}";
      case "Condition" ->
          "{\"resourceType\":\"Condition\",\"code\":{\"text\":\"x\"},\"subject\":" + ref + "}";
      case "MedicationStatement" ->
          "{\"resourceType\":\"MedicationStatement\",\"status\":\"active\",\"medicationCodeableConcept\":{\"text\":\"x\"},\"subject\":"
              + ref
              + "}";
      case "AuditEvent" ->
          "{\"resourceType\":\"AuditEvent\",\"type\":{\"code\":\"rest\"},\"recorded\":\"2026-01-01T00:00:00Z\",\"agent\":[{\"requestor\":true}],\"source\":{\"observer\":{\"display\":\"x\"}},\"entity\":[{\"what\":"
              + ref
              + "}]}";
      default -> "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"New\"}]}";
    };
  }

  void expect(HttpResponse<String> response, int status, String what) {
    assertThat(response.statusCode())
        .as(what + ": " + abbreviate(response.body()))
        .isEqualTo(status);
  }

  /**
   * Refused (status, or any 4xx when status is -1), and nothing of the other patient in the body.
   */
  void expectRefused(HttpResponse<String> response, int status, String what, List<String> markers) {
    if (status == -1) {
      assertThat(response.statusCode()).as(what).isBetween(400, 499);
    } else {
      expect(response, status, what);
    }
    noLeak(response, markers, what);
  }

  void noLeak(HttpResponse<String> response, List<String> markers, String what) {
    for (String marker : markers) {
      assertThat(mentions(response.body(), marker)).as(what + " leaks " + marker).isFalse();
    }
  }

  /** Whether {@code body} holds the resource {@code Type/id} (as a reference or as a resource). */
  static boolean mentions(String body, String marker) {
    String type = marker.substring(0, marker.indexOf('/'));
    String id = marker.substring(marker.indexOf('/') + 1);
    return java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote(marker) + "(?![0-9A-Za-z\\-.])")
            .matcher(body)
            .find()
        || body.contains("\"resourceType\":\"" + type + "\",\"id\":\"" + id + "\"");
  }

  static String abbreviate(String s) {
    return s.length() > 400 ? s.substring(0, 400) + "…" : s;
  }

  HttpResponse<String> get(String path, String token) {
    return send(
        HttpRequest.newBuilder(URI.create(flows.fhirBase() + "/" + path))
            .header("Authorization", "Bearer " + token)
            .build());
  }

  HttpResponse<String> post(String type, String body, String token) {
    return send(
        HttpRequest.newBuilder(URI.create(flows.fhirBase() + "/" + type))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/fhir+json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  HttpResponse<String> put(String path, String body, String token) {
    return send(
        HttpRequest.newBuilder(URI.create(flows.fhirBase() + "/" + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/fhir+json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
