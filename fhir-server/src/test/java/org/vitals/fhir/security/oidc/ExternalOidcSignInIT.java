package org.vitals.fhir.security.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vitals.fhir.VitalsFhirServerApplication;
import org.vitals.fhir.security.testing.SmartFlows;
import org.vitals.fhir.security.testing.SmartFlows.AuthorizeRequest;
import org.vitals.fhir.security.testing.SmartFlows.Browser;
import org.vitals.fhir.security.testing.TestOidcProvider;
import org.vitals.fhir.security.testing.TestRealm;

/**
 * Sign-in at an external OpenID Connect provider (decision 0807) against a real one: a second
 * Spring Authorization Server on its own port. The whole authorization code flow runs over HTTP: a
 * SMART app's authorize request at the FHIR server, its sign-in page, the provider's sign-in, the
 * callback, and back to the app with a code; the SMART token's {@code fhirUser} is the Practitioner
 * or Patient that carries the provider account's identifier in FHIR. An account whose identifier no
 * resource has gets no code.
 */
@SpringBootTest(
    classes = VitalsFhirServerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = "vitals.db-url=")
@ContextConfiguration(initializers = TestRealm.Initializer.class)
class ExternalOidcSignInIT {

  static final String SYSTEM = "https://hospital.example/person-id";
  static final String CLAIM = "hospital_id";
  static final int PORT = freePort();
  static final String FHIR = "http://localhost:" + PORT;
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

  static final TestOidcProvider IDP =
      TestOidcProvider.start(
          FHIR + "/login/oauth2/code/oidc",
          Map.of(
              "c.okafor", Map.of(CLAIM, "S-1001"),
              "a.patient", Map.of(CLAIM, "P-2002"),
              "stranger", Map.of(CLAIM, "X-0000")));

  @DynamicPropertySource
  static void provider(DynamicPropertyRegistry registry) {
    registry.add("server.port", () -> PORT);
    registry.add("VITALS_OIDC_ISSUER", IDP::issuer);
    registry.add("VITALS_OIDC_CLIENT_ID", () -> TestOidcProvider.CLIENT_ID);
    registry.add("VITALS_OIDC_CLIENT_SECRET", IDP::clientSecret);
    registry.add("VITALS_OIDC_IDENTIFIER_CLAIM", () -> CLAIM);
    registry.add("VITALS_OIDC_IDENTIFIER_SYSTEM", () -> SYSTEM);
  }

  @AfterAll
  static void stopProvider() {
    IDP.close();
  }

  @Autowired DaoRegistry daos;
  SmartFlows flows = new SmartFlows(FHIR);

  @BeforeEach
  void people() {
    Practitioner clinician = new Practitioner();
    clinician.setId("oidc-it-clinician");
    clinician.addIdentifier().setSystem(SYSTEM).setValue("S-1001");
    clinician.addName().setFamily("Okafor");
    daos.getResourceDao(Practitioner.class).update(clinician, new SystemRequestDetails());
    Patient patient = new Patient();
    patient.setId("oidc-it-patient");
    patient.addIdentifier().setSystem(SYSTEM).setValue("P-2002");
    patient.addName().setFamily("Silva");
    daos.getResourceDao(Patient.class).update(patient, new SystemRequestDetails());
  }

  @Test
  void aClinicianSignsInAtTheProviderAndGetsASmartTokenForTheirPractitioner() throws Exception {
    AuthorizeRequest request =
        flows.request(TestRealm.TEST_APP, TestRealm.TEST_APP_REDIRECT, "openid fhirUser user/*.rs");
    String location = signInAtProvider(flows.browser(), request, "c.okafor");
    Map<String, String> callback = SmartFlows.parameters(location);
    assertThat(callback).as(location).containsKey("code");
    assertThat(callback.get("state")).isEqualTo(request.state);

    SmartFlows.TokenResponse token = flows.exchange(request, callback.get("code"));
    assertThat(token.status()).as(token.body().toString()).isEqualTo(200);
    assertThat(SignedJWT.parse(token.accessToken()).getJWTClaimsSet().getStringClaim("fhirUser"))
        .isEqualTo("Practitioner/oidc-it-clinician");
    assertThat(
            SignedJWT.parse(token.body().path("id_token").asText())
                .getJWTClaimsSet()
                .getStringClaim("fhirUser"))
        .isEqualTo(FHIR + "/fhir/Practitioner/oidc-it-clinician");

    // The token works on the FHIR API as the clinician's.
    HttpResponse<String> read =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        URI.create(FHIR + "/fhir/Practitioner/oidc-it-clinician"))
                    .header("Authorization", "Bearer " + token.accessToken())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
  }

  @Test
  void aPatientSignsInAtTheProviderAndGetsTheirOwnPatientContext() throws Exception {
    AuthorizeRequest request =
        flows.request(
            TestRealm.TEST_APP,
            TestRealm.TEST_APP_REDIRECT,
            "launch/patient openid fhirUser patient/*.rs");
    String location = signInAtProvider(flows.browser(), request, "a.patient");
    SmartFlows.TokenResponse token =
        flows.exchange(request, SmartFlows.parameters(location).get("code"));
    assertThat(token.status()).as(token.body().toString()).isEqualTo(200);
    JsonNode body = token.body();
    assertThat(body.path("patient").asText()).isEqualTo("oidc-it-patient");
    assertThat(SignedJWT.parse(token.accessToken()).getJWTClaimsSet().getStringClaim("fhirUser"))
        .isEqualTo("Patient/oidc-it-patient");
  }

  @Test
  void anAccountNoResourceCarriesIsRefusedAtSignIn() {
    AuthorizeRequest request =
        flows.request(TestRealm.TEST_APP, TestRealm.TEST_APP_REDIRECT, "openid fhirUser user/*.rs");
    String location = signInAtProvider(flows.browser(), request, "stranger");
    assertThat(location).startsWith(FHIR + "/login?error").doesNotContain("code=");
  }

  /**
   * The app's authorize request at the FHIR server, then every redirect as a browser follows it,
   * choosing the provider on the FHIR server's sign-in page and filling in the provider's form.
   *
   * @return the first location that leaves the flow: the app's redirect URI or an error page
   */
  static String signInAtProvider(Browser browser, AuthorizeRequest request, String user) {
    String url = FHIR + "/oauth2/authorize?" + request.query();
    for (int step = 0; step < 15; step++) {
      if (url.startsWith(TestRealm.TEST_APP_REDIRECT) || url.contains("/login?error")) {
        return url;
      }
      HttpResponse<String> response;
      if (url.equals(FHIR + "/login")) {
        String page = browser.getPage(url).body();
        assertThat(page).contains("/oauth2/authorization/oidc").contains("Hospital sign-in");
        response = browser.getPage(FHIR + "/oauth2/authorization/oidc");
      } else if (url.equals(IDP.issuer() + "/login")) {
        String page = browser.getPage(url).body();
        Matcher csrf = CSRF.matcher(page);
        assertThat(csrf.find()).as(page).isTrue();
        response =
            browser.postForm(
                url,
                Map.of(
                    "username",
                    user,
                    "password",
                    TestOidcProvider.PASSWORD,
                    "_csrf",
                    csrf.group(1)));
      } else {
        response = browser.getPage(url);
      }
      String next = response.headers().firstValue("Location").orElse(null);
      if (next == null) {
        return "status " + response.statusCode() + " at " + url + ": " + response.body();
      }
      url = URI.create(url).resolve(next).toString();
    }
    throw new AssertionError("the sign-in did not end within 15 redirects, last at " + url);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
