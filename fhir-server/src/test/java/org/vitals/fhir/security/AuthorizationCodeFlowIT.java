package org.vitals.fhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.vitals.fhir.security.testing.SecuredH2Server;
import org.vitals.fhir.security.testing.SmartFlows;
import org.vitals.fhir.security.testing.SmartFlows.AuthorizeRequest;
import org.vitals.fhir.security.testing.SmartFlows.Browser;
import org.vitals.fhir.security.testing.SmartFlows.TokenResponse;
import org.vitals.fhir.security.testing.TestRealm;

/**
 * The SMART App Launch flows over HTTP with the registered demo apps: EHR launch of the doctor app,
 * standalone launch of the patient app, a clinician's standalone launch through the patient picker;
 * PKCE, state, aud and redirect checks; refresh; introspection.
 */
@SecuredH2Server
class AuthorizationCodeFlowIT {

  static final String DOCTOR_APP = "vitals-doctor-app";
  static final String DOCTOR_REDIRECT = "http://localhost:8080/apps/doctor/";
  static final String PATIENT_APP = "vitals-patient-app";
  static final String PATIENT_REDIRECT = "http://localhost:8080/apps/patient/";
  static final String ANA = "vitals-demo-ana-silva";
  static final String BEN = "vitals-demo-ben-carter";
  static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;
  SmartFlows flows;

  @BeforeEach
  void flows() {
    flows = new SmartFlows(port);
  }

  /** A clinician signed in at the EHR, starting a launch for a patient. */
  String ehrLaunch(Browser browser, String clinician, String patient, String encounter) {
    return flows.ehrLaunch(browser, clinician, patient, encounter);
  }

  @Test
  void ehrLaunchOfTheDoctorAppGivesContextIdTokenAndRefresh() throws Exception {
    Browser browser = flows.browser();
    String launch = ehrLaunch(browser, "dr.okafor", ANA, ANA + "-ward");
    AuthorizeRequest request =
        flows.request(
            DOCTOR_APP, DOCTOR_REDIRECT, "launch openid fhirUser user/*.rs offline_access");
    request.extra.put("launch", launch);
    String location = flows.authorize(browser, request, "dr.okafor", "demo");
    assertThat(location).startsWith(DOCTOR_REDIRECT);
    Map<String, String> callback = SmartFlows.parameters(location);
    assertThat(callback.get("state")).isEqualTo(request.state);

    TokenResponse token = flows.exchange(request, callback.get("code"));
    assertThat(token.status()).as(token.body().toString()).isEqualTo(200);
    JsonNode body = token.body();
    assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.path("expires_in").asLong()).isBetween(1L, 3600L);
    assertThat(body.path("scope").asText().split(" "))
        .contains("launch", "openid", "fhirUser", "user/*.rs", "offline_access");
    assertThat(body.path("patient").asText()).isEqualTo(ANA);
    assertThat(body.path("encounter").asText()).isEqualTo(ANA + "-ward");
    assertThat(body.path("need_patient_banner").asBoolean()).isFalse();
    assertThat(body.path("refresh_token").asText()).isNotBlank();
    assertThat(token.raw().headers().firstValue("Cache-Control"))
        .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    assertThat(token.raw().headers().firstValue("Pragma")).contains("no-cache");

    SignedJWT idToken = SignedJWT.parse(body.path("id_token").asText());
    assertThat(idToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(idToken.verify(new RSASSAVerifier(serverKey()))).isTrue();
    assertThat(idToken.getJWTClaimsSet().getStringClaim("fhirUser"))
        .isEqualTo(flows.fhirBase() + "/Practitioner/vitals-demo-dr-okafor");
    assertThat(idToken.getJWTClaimsSet().getAudience()).contains(DOCTOR_APP);

    // The fhirUser resource and the launch patient can be read with the token.
    assertThat(fhirGet("/Practitioner/vitals-demo-dr-okafor", token.accessToken()).statusCode())
        .isEqualTo(200);
    assertThat(fhirGet("/Patient/" + ANA, token.accessToken()).statusCode()).isEqualTo(200);

    // Refresh keeps the context, rotates the refresh token.
    TokenResponse refreshed = flows.refresh(DOCTOR_APP, body.path("refresh_token").asText());
    assertThat(refreshed.status()).as(refreshed.body().toString()).isEqualTo(200);
    assertThat(refreshed.accessToken()).isNotEqualTo(token.accessToken());
    assertThat(refreshed.body().path("patient").asText()).isEqualTo(ANA);
    assertThat(fhirGet("/Patient/" + ANA, refreshed.accessToken()).statusCode()).isEqualTo(200);
    TokenResponse reused = flows.refresh(DOCTOR_APP, body.path("refresh_token").asText());
    assertThat(reused.status()).isEqualTo(400);
    assertThat(reused.body().path("error").asText()).isEqualTo("invalid_grant");
    // Bound to its client.
    TokenResponse otherClient =
        flows.refresh(PATIENT_APP, refreshed.body().path("refresh_token").asText());
    assertThat(otherClient.status()).isBetween(400, 401);

    // Introspection (by a backend client) reports the token and its SMART context.
    JsonNode introspected = introspect(refreshed.accessToken());
    assertThat(introspected.path("active").asBoolean()).isTrue();
    assertThat(introspected.path("client_id").asText()).isEqualTo(DOCTOR_APP);
    assertThat(introspected.path("patient").asText()).isEqualTo(ANA);
    assertThat(introspected.path("fhirUser").asText())
        .isEqualTo("Practitioner/vitals-demo-dr-okafor");
    assertThat(introspected.path("scope").asText()).contains("user/*.rs");
  }

  @Test
  void patientStandaloneLaunchPutsThePatientInTheirOwnContext() throws Exception {
    TokenResponse token =
        flows.login(
            PATIENT_APP,
            PATIENT_REDIRECT,
            "launch/patient openid fhirUser patient/*.rs offline_access",
            "ben.carter",
            Map.of());
    assertThat(token.body().path("patient").asText()).isEqualTo(BEN);
    assertThat(token.body().path("need_patient_banner").asBoolean()).isTrue();
    SignedJWT idToken = SignedJWT.parse(token.body().path("id_token").asText());
    assertThat(idToken.getJWTClaimsSet().getStringClaim("fhirUser"))
        .isEqualTo(flows.fhirBase() + "/Patient/" + BEN);
    assertThat(fhirGet("/Patient/" + BEN, token.accessToken()).statusCode()).isEqualTo(200);
    assertThat(fhirGet("/Patient/" + ANA, token.accessToken()).statusCode()).isEqualTo(403);
  }

  @Test
  void aClinicianStandaloneLaunchGoesThroughThePatientPicker() throws Exception {
    Browser browser = flows.browser();
    AuthorizeRequest request =
        flows.request(DOCTOR_APP, DOCTOR_REDIRECT, "launch/patient openid fhirUser patient/*.rs");
    String location = flows.authorize(browser, request, "nurse.lindqvist", "demo");
    assertThat(location).endsWith("/smart/patient-picker");
    HttpResponse<String> picker = browser.get("/smart/patient-picker");
    assertThat(picker.statusCode()).isEqualTo(200);
    assertThat(picker.body()).contains("Ben Carter").contains("Ana Silva");
    Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(picker.body());
    assertThat(csrf.find()).isTrue();
    HttpResponse<String> chosen =
        browser.postForm("/smart/patient-picker", Map.of("patient", BEN, "_csrf", csrf.group(1)));
    assertThat(chosen.statusCode()).isEqualTo(302);
    HttpResponse<String> resumed =
        browser.get(chosen.headers().firstValue("Location").orElseThrow());
    String callback = resumed.headers().firstValue("Location").orElseThrow();
    assertThat(callback).startsWith(DOCTOR_REDIRECT);
    TokenResponse token = flows.exchange(request, SmartFlows.parameters(callback).get("code"));
    assertThat(token.body().path("patient").asText()).isEqualTo(BEN);
    assertThat(token.body().path("need_patient_banner").asBoolean()).isTrue();
    assertThat(fhirGet("/Patient/" + BEN, token.accessToken()).statusCode()).isEqualTo(200);
    assertThat(fhirGet("/Patient/" + ANA, token.accessToken()).statusCode()).isEqualTo(403);
  }

  @Test
  void pkceIsRequiredPlainIsRefusedAndTheVerifierIsChecked() throws Exception {
    Browser browser = flows.browser();
    AuthorizeRequest plain =
        flows.request(PATIENT_APP, PATIENT_REDIRECT, "launch/patient patient/*.rs");
    plain.codeChallengeMethod = "plain";
    String refused = flows.authorize(browser, plain, "ana.silva", "demo");
    assertThat(SmartFlows.parameters(refused)).containsEntry("error", "invalid_request");

    AuthorizeRequest none =
        flows.request(PATIENT_APP, PATIENT_REDIRECT, "launch/patient patient/*.rs");
    none.codeChallengeMethod = null;
    assertThat(SmartFlows.parameters(flows.authorize(browser, none, "ana.silva", "demo")))
        .containsEntry("error", "invalid_request")
        .doesNotContainKey("code");

    AuthorizeRequest good =
        flows.request(PATIENT_APP, PATIENT_REDIRECT, "launch/patient patient/*.rs");
    String code =
        SmartFlows.parameters(flows.authorize(browser, good, "ana.silva", "demo")).get("code");
    TokenResponse wrongVerifier = flows.exchange(good, code, "x".repeat(50));
    assertThat(wrongVerifier.status()).isEqualTo(400);
    assertThat(wrongVerifier.body().path("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  void audStateRedirectScopeAndLaunchAreChecked() throws Exception {
    Browser browser = flows.browser();
    AuthorizeRequest wrongAud =
        flows.request(PATIENT_APP, PATIENT_REDIRECT, "launch/patient patient/*.rs");
    wrongAud.aud = "http://elsewhere.example/fhir";
    assertThat(SmartFlows.parameters(flows.authorize(browser, wrongAud, "ana.silva", "demo")))
        .containsEntry("error", "invalid_request")
        .doesNotContainKey("code");

    AuthorizeRequest noAud =
        flows.request(PATIENT_APP, PATIENT_REDIRECT, "launch/patient patient/*.rs");
    noAud.aud = null;
    assertThat(SmartFlows.parameters(flows.authorize(browser, noAud, "ana.silva", "demo")))
        .containsEntry("error", "invalid_request");

    AuthorizeRequest noState =
        flows.request(PATIENT_APP, PATIENT_REDIRECT, "launch/patient patient/*.rs");
    noState.state = null;
    assertThat(SmartFlows.parameters(flows.authorize(browser, noState, "ana.silva", "demo")))
        .containsEntry("error", "invalid_request");

    AuthorizeRequest strangeRedirect =
        flows.request(PATIENT_APP, "http://evil.example/cb", "patient/*.rs");
    String shown = flows.authorize(browser, strangeRedirect, "ana.silva", "demo");
    assertThat(shown).startsWith("status 400").doesNotContain("evil.example/cb?");

    AuthorizeRequest systemScope = flows.request(PATIENT_APP, PATIENT_REDIRECT, "system/*.rs");
    assertThat(SmartFlows.parameters(flows.authorize(browser, systemScope, "ana.silva", "demo")))
        .containsEntry("error", "invalid_scope");

    AuthorizeRequest unknownLaunch = flows.request(DOCTOR_APP, DOCTOR_REDIRECT, "launch user/*.rs");
    unknownLaunch.extra.put("launch", "no-such-launch");
    assertThat(
            SmartFlows.parameters(
                flows.authorize(flows.browser(), unknownLaunch, "dr.okafor", "demo")))
        .containsEntry("error", "invalid_request");
  }

  @Test
  void aLaunchStartedByOneClinicianCannotBeUsedByAnother() throws Exception {
    String launch = ehrLaunch(flows.browser(), "dr.okafor", BEN, BEN + "-ward");
    AuthorizeRequest request = flows.request(DOCTOR_APP, DOCTOR_REDIRECT, "launch user/*.rs");
    request.extra.put("launch", launch);
    assertThat(
            SmartFlows.parameters(
                flows.authorize(flows.browser(), request, "nurse.lindqvist", "demo")))
        .containsEntry("error", "access_denied")
        .doesNotContainKey("code");
  }

  @Test
  void aPatientCannotMintEhrLaunches() throws Exception {
    Browser browser = flows.browser();
    browser.signIn("ana.silva", "demo");
    JsonNode session = JSON.readTree(browser.get("/smart/session").body());
    assertThat(session.path("fhirUser").asText()).isEqualTo("Patient/" + ANA);
    HttpResponse<String> minted =
        browser.postJson(
            "/smart/launch",
            "{\"patient\":\"" + BEN + "\"}",
            Map.of(session.path("csrfHeader").asText(), session.path("csrfToken").asText()));
    assertThat(minted.statusCode()).isEqualTo(403);
    // Without the CSRF header a signed-in browser cannot be made to mint one either.
    Browser clinician = flows.browser();
    clinician.signIn("dr.okafor", "demo");
    assertThat(
            clinician
                .postJson("/smart/launch", "{\"patient\":\"" + BEN + "\"}", Map.of())
                .statusCode())
        .isEqualTo(403);
  }

  RSAKey serverKey() throws Exception {
    String jwks = flows.browser().get("/oauth2/jwks").body();
    return (RSAKey) JWKSet.parse(jwks).getKeys().get(0);
  }

  JsonNode introspect(String token) throws Exception {
    String form =
        SmartFlows.form(
            "token",
            token,
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion",
            SmartFlows.assertion(
                TestRealm.ADMIN,
                TestRealm.ADMIN_KEY,
                flows.issuer() + "/oauth2/introspect",
                300,
                UUID.randomUUID().toString()));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(flows.issuer() + "/oauth2/introspect"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  HttpResponse<String> fhirGet(String path, String token) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(flows.fhirBase() + path))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
