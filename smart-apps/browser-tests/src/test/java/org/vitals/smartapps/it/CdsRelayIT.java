package org.vitals.smartapps.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitals.fhir.security.testing.SmartFlows;
import org.vitals.fhir.security.testing.SmartFlows.AuthorizeRequest;
import org.vitals.fhir.security.testing.SmartFlows.Browser;

/**
 * The FHIR server's CDS relay (decision 0806) between the real fhir-server and cds-hooks jars of
 * this build, CDS client authentication ON: the cds-hooks service trusts only the FHIR server's
 * relay key (its JWK Set URL in VITALS_CDS_TRUSTED_ISSUERS). A clinician's relayed call gets the
 * service's cards; no token, a patient's token, another patient than the token may read, and a
 * forged token are refused; the service reads FHIR with the clinician's own token (a token without
 * Observation read gets the service's 412). Demo realm, H2.
 */
class CdsRelayIT {

  static final String DOCTOR_APP = "vitals-doctor-app";
  static final String PATIENT_APP = "vitals-patient-app";
  static final String ANA = "vitals-demo-ana-silva";
  static final String BEN = "vitals-demo-ben-carter";
  static final ObjectMapper JSON = new ObjectMapper();

  static Services.JarProcess fhir;
  static Services.JarProcess cds;
  static String base;
  static String cdsBase;
  static SmartFlows flows;

  @BeforeAll
  static void start() throws Exception {
    Path fhirJar = Services.builtJar("vitals.fhir-server.jar", "fhir-server");
    Path cdsJar = Services.builtJar("vitals.cds-hooks.jar", "cds-hooks");
    Path work = Files.createTempDirectory("cds-relay-it");
    base = "http://localhost:" + Services.freePort();
    cdsBase = "http://localhost:" + Services.freePort();
    flows = new SmartFlows(base);
    Map<String, String> fhirEnv = new HashMap<>();
    fhirEnv.put("SERVER_PORT", port(base));
    fhirEnv.put("VITALS_DATA_DIR", work.resolve("fhir-data").toString());
    fhirEnv.put("VITALS_CDS_URL", cdsBase);
    fhir =
        new Services.JarProcess(
            "cds-relay-fhir-server", fhirJar, fhirEnv, base + "/fhir/metadata", "-Xmx1g");
    Map<String, String> cdsEnv = new HashMap<>();
    cdsEnv.put("SERVER_PORT", port(cdsBase));
    cdsEnv.put("VITALS_FHIR_URL", base + "/fhir");
    cdsEnv.put("VITALS_CDS_AUTH", "on");
    cdsEnv.put("VITALS_CDS_TRUSTED_ISSUERS", base + "=" + base + "/cds-relay/jwks.json");
    cdsEnv.put("VITALS_MONITOR", "false");
    cdsEnv.putAll(Services.SHORT_CDS_WARM_UP);
    cdsEnv.put("VITALS_CDS_DATA_DIR", work.resolve("cds-data").toString());
    cds =
        new Services.JarProcess(
            "cds-relay-cds-hooks", cdsJar, cdsEnv, cdsBase + "/actuator/health", "-Xmx512m");
    Services.startAll(fhir, cds);
  }

  @AfterAll
  static void stop() {
    if (cds != null) {
      cds.close();
    }
    if (fhir != null) {
      fhir.close();
    }
  }

  @Test
  void aClinicianGetsCardsThroughTheRelayWhileTheServiceRefusesUnsignedCalls() throws Exception {
    String token = clinicianToken(ANA, "launch openid fhirUser user/*.rs");

    HttpResponse<String> relayed = post(base + "/cds-relay/cds-services/vitals-ai", token, ANA);
    assertEquals(200, relayed.statusCode(), relayed.body());
    assertTrue(JSON.readTree(relayed.body()).path("cards").isArray(), relayed.body());
    // Clinicians' user/ scopes reach every patient (decision 0801), so another patient works too.
    assertEquals(200, post(base + "/cds-relay/cds-services/vitals-ai", token, BEN).statusCode());

    HttpResponse<String> discovery =
        send(HttpRequest.newBuilder(URI.create(base + "/cds-relay/cds-services")), token);
    assertEquals(200, discovery.statusCode(), discovery.body());
    assertEquals(
        "vitals-ai",
        JSON.readTree(discovery.body()).path("services").findValuesAsText("id").stream()
            .filter("vitals-ai"::equals)
            .findFirst()
            .orElse(discovery.body()));

    // Feedback on a card goes the same way (CDS Hooks 2.0 feedback, signed by the relay).
    HttpResponse<String> feedback =
        send(
            HttpRequest.newBuilder(URI.create(base + "/cds-relay/cds-services/vitals-ai/feedback"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"feedback\":[{\"card\":\"3f1b8c2e-0d7a-4d8e-9a51-6c2f4b7e9d10\","
                            + "\"outcome\":\"overridden\","
                            + "\"outcomeTimestamp\":\"2026-11-27T12:00:00Z\"}]}")),
            token);
    assertEquals(200, feedback.statusCode(), feedback.body());

    // The same call straight to the service, as a browser would make it: no client JWT, refused.
    HttpResponse<String> direct = post(cdsBase + "/cds-services/vitals-ai", null, ANA);
    assertEquals(401, direct.statusCode(), direct.body());
  }

  @Test
  void theServiceReadsFhirWithTheClinicianOwnToken() throws Exception {
    // No Observation read: the service cannot read the vitals with this token and says so (412).
    String token = clinicianToken(ANA, "launch openid fhirUser user/Patient.rs");
    HttpResponse<String> relayed = post(base + "/cds-relay/cds-services/vitals-ai", token, ANA);
    assertEquals(412, relayed.statusCode(), relayed.body());
  }

  @Test
  void refusedWithoutATokenWithAPatientTokenForAnotherPatientAndWithAForgedToken()
      throws Exception {
    String url = base + "/cds-relay/cds-services/vitals-ai";
    assertEquals(401, post(url, null, ANA).statusCode());

    String patient =
        flows
            .login(
                PATIENT_APP,
                base + "/apps/patient/",
                "launch/patient openid fhirUser patient/*.rs",
                "ana.silva",
                Map.of())
            .accessToken();
    HttpResponse<String> asPatient = post(url, patient, ANA);
    assertEquals(403, asPatient.statusCode(), asPatient.body());
    assertTrue(asPatient.body().contains("clinician"), asPatient.body());

    String launchOnly = clinicianToken(ANA, "launch openid fhirUser patient/*.rs");
    assertEquals(200, post(url, launchOnly, ANA).statusCode());
    HttpResponse<String> otherPatient = post(url, launchOnly, BEN);
    assertEquals(403, otherPatient.statusCode(), otherPatient.body());

    // The clinician's claims, signed by someone else's key with the server's kid.
    String real = clinicianToken(ANA, "launch openid fhirUser user/*.rs");
    SignedJWT parsed = SignedJWT.parse(real);
    RSAKey attacker = new RSAKeyGenerator(2048).keyID(parsed.getHeader().getKeyID()).generate();
    SignedJWT forged =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(attacker.getKeyID()).build(),
            parsed.getJWTClaimsSet());
    forged.sign(new RSASSASigner(attacker));
    HttpResponse<String> forgedCall = post(url, forged.serialize(), ANA);
    assertEquals(401, forgedCall.statusCode(), forgedCall.body());
  }

  /** An EHR launch of the doctor app by dr.okafor for {@code patient}, code flow with PKCE. */
  static String clinicianToken(String patient, String scope) throws Exception {
    Browser browser = flows.browser();
    String launch = flows.ehrLaunch(browser, "dr.okafor", patient, patient + "-ward");
    AuthorizeRequest request = flows.request(DOCTOR_APP, base + "/apps/doctor/", scope);
    request.extra.put("launch", launch);
    String location = flows.authorize(browser, request, "dr.okafor", "demo");
    String code = SmartFlows.parameters(location).get("code");
    assertTrue(code != null, location);
    SmartFlows.TokenResponse token = flows.exchange(request, code);
    assertEquals(200, token.status(), token.body().toString());
    return token.accessToken();
  }

  static HttpResponse<String> post(String url, String token, String patient) throws Exception {
    String body =
        "{\"hook\":\"patient-view\",\"hookInstance\":\"4e7c1a52-5a7e-4b59-9d6c-5d1f0a3c2b10\","
            + "\"context\":{\"userId\":\"Practitioner/vitals-demo-dr-okafor\",\"patientId\":\""
            + patient
            + "\"}}";
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        token);
  }

  static HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
    request.header("Accept", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String port(String url) {
    return String.valueOf(URI.create(url).getPort());
  }
}
