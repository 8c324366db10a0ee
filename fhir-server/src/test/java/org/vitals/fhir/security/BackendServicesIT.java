package org.vitals.fhir.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.vitals.fhir.security.testing.SecuredH2Server;
import org.vitals.fhir.security.testing.SmartFlows;
import org.vitals.fhir.security.testing.SmartFlows.TokenResponse;
import org.vitals.fhir.security.testing.TestRealm;

/**
 * SMART Backend Services: client credentials with a signed client assertion (RS384 and ES384), and
 * every way an assertion can be wrong.
 */
@SecuredH2Server
class BackendServicesIT {

  static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  @LocalServerPort int port;
  SmartFlows flows;

  @BeforeEach
  void flows() {
    flows = new SmartFlows(port);
  }

  @Test
  void es384AssertionGetsAShortLivedSystemToken() throws Exception {
    TokenResponse token =
        flows.backendToken(
            TestRealm.ADMIN, TestRealm.ADMIN_KEY, "system/Observation.rs system/Patient.cruds");
    assertThat(token.status()).as(token.body().toString()).isEqualTo(200);
    assertThat(token.body().path("token_type").asText()).isEqualTo("Bearer");
    assertThat(token.body().path("expires_in").asLong()).isBetween(1L, 300L);
    assertThat(token.body().path("scope").asText().split(" "))
        .containsExactlyInAnyOrder("system/Observation.rs", "system/Patient.cruds");
    assertThat(token.body().has("refresh_token")).isFalse();
    assertThat(fhirGet("/Patient", token.accessToken()).statusCode()).isEqualTo(200);
  }

  @Test
  void rs384AssertionWorksToo() throws Exception {
    TokenResponse token =
        flows.backendToken(TestRealm.RSA_CLIENT, TestRealm.RSA_KEY, "system/*.rs");
    assertThat(token.status()).as(token.body().toString()).isEqualTo(200);
    assertThat(fhirGet("/Observation?_count=1", token.accessToken()).statusCode()).isEqualTo(200);
    // system/*.rs grants no writes.
    HttpResponse<String> write =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(flows.fhirBase() + "/Patient"))
                    .header("Authorization", "Bearer " + token.accessToken())
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(write.statusCode()).isEqualTo(403);
  }

  @Test
  void aClientRegisteredByJwksUrlIsVerifiedWithTheKeysFetchedFromThere() throws Exception {
    TokenResponse token =
        flows.backendToken(
            TestRealm.JWKS_URL_CLIENT, TestRealm.JWKS_URL_KEY, "system/Observation.rs");
    assertThat(token.status()).as(token.body().toString()).isEqualTo(200);
    assertThat(fhirGet("/Observation?_count=1", token.accessToken()).statusCode()).isEqualTo(200);
    // Signed with the admin's key under this client's name: not in the client's JWK Set.
    String foreign =
        SmartFlows.assertion(
            TestRealm.JWKS_URL_CLIENT,
            TestRealm.ADMIN_KEY,
            flows.tokenEndpoint(),
            300,
            UUID.randomUUID().toString());
    assertThat(request(foreign, "system/Observation.rs").status()).isEqualTo(401);
  }

  @Test
  void aReplayedAssertionIsRefused() {
    String assertion =
        SmartFlows.assertion(
            TestRealm.ADMIN,
            TestRealm.ADMIN_KEY,
            flows.tokenEndpoint(),
            300,
            UUID.randomUUID().toString());
    assertThat(request(assertion, "system/Patient.rs").status()).isEqualTo(200);
    TokenResponse replay = request(assertion, "system/Patient.rs");
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.body().path("error").asText()).isEqualTo("invalid_client");
  }

  @Test
  void assertionsForAnotherAudienceOrTooLongOrExpiredAreRefused() {
    String wrongAudience =
        SmartFlows.assertion(
            TestRealm.ADMIN,
            TestRealm.ADMIN_KEY,
            "http://elsewhere.example/token",
            300,
            UUID.randomUUID().toString());
    assertThat(request(wrongAudience, "system/Patient.rs").status()).isEqualTo(401);
    String tooLong =
        SmartFlows.assertion(
            TestRealm.ADMIN,
            TestRealm.ADMIN_KEY,
            flows.tokenEndpoint(),
            3600,
            UUID.randomUUID().toString());
    assertThat(request(tooLong, "system/Patient.rs").status()).isEqualTo(401);
    String expired =
        SmartFlows.assertion(
            TestRealm.ADMIN,
            TestRealm.ADMIN_KEY,
            flows.tokenEndpoint(),
            -120,
            UUID.randomUUID().toString());
    assertThat(request(expired, "system/Patient.rs").status()).isEqualTo(401);
  }

  @Test
  void anAssertionSignedWithAnotherKeyOrASharedSecretIsRefused() throws Exception {
    var stranger =
        new ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_384)
            .keyID(TestRealm.ADMIN_KEY.getKeyID())
            .generate();
    String forged =
        SmartFlows.assertion(
            TestRealm.ADMIN, stranger, flows.tokenEndpoint(), 300, UUID.randomUUID().toString());
    assertThat(request(forged, "system/Patient.rs").status()).isEqualTo(401);

    SignedJWT hs256 =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(TestRealm.ADMIN_KEY.getKeyID()).build(),
            new JWTClaimsSet.Builder()
                .issuer(TestRealm.ADMIN)
                .subject(TestRealm.ADMIN)
                .audience(flows.tokenEndpoint())
                .expirationTime(new Date(System.currentTimeMillis() + 120_000))
                .jwtID(UUID.randomUUID().toString())
                .build());
    hs256.sign(new MACSigner(new byte[32]));
    assertThat(request(hs256.serialize(), "system/Patient.rs").status()).isEqualTo(401);
  }

  @Test
  void wrongGrantTypeAssertionTypeOrScopeAreRefused() {
    String assertion =
        SmartFlows.assertion(
            TestRealm.ADMIN,
            TestRealm.ADMIN_KEY,
            flows.tokenEndpoint(),
            300,
            UUID.randomUUID().toString());
    TokenResponse badType =
        flows.tokenRequest(
            SmartFlows.form(
                "grant_type", "client_credentials",
                "scope", "system/Patient.rs",
                "client_assertion_type", "urn:example:not-jwt",
                "client_assertion", assertion));
    assertThat(badType.status()).isBetween(400, 401);
    TokenResponse badGrant =
        flows.tokenRequest(
            SmartFlows.form(
                "grant_type",
                "password",
                "client_assertion_type",
                JWT_BEARER,
                "client_assertion",
                SmartFlows.assertion(
                    TestRealm.ADMIN,
                    TestRealm.ADMIN_KEY,
                    flows.tokenEndpoint(),
                    300,
                    UUID.randomUUID().toString())));
    assertThat(badGrant.status()).isEqualTo(400);
    assertThat(badGrant.body().path("error").asText()).isEqualTo("unsupported_grant_type");
    // The RSA test client is registered for system/*.rs only.
    TokenResponse beyond =
        flows.backendToken(TestRealm.RSA_CLIENT, TestRealm.RSA_KEY, "system/Patient.cruds");
    assertThat(beyond.status()).isEqualTo(400);
    assertThat(beyond.body().path("error").asText()).isEqualTo("invalid_scope");
    TokenResponse userScope =
        flows.backendToken(TestRealm.ADMIN, TestRealm.ADMIN_KEY, "user/Patient.rs");
    assertThat(userScope.body().path("error").asText()).isEqualTo("invalid_scope");
  }

  @Test
  void introspectionTellsABackendClientWhatATokenMeans() throws Exception {
    TokenResponse token =
        flows.backendToken(TestRealm.RSA_CLIENT, TestRealm.RSA_KEY, "system/Observation.rs");
    TokenResponse introspected = introspect(token.accessToken());
    assertThat(introspected.status()).isEqualTo(200);
    assertThat(introspected.body().path("active").asBoolean()).isTrue();
    assertThat(introspected.body().path("client_id").asText()).isEqualTo(TestRealm.RSA_CLIENT);
    assertThat(introspected.body().path("scope").asText()).isEqualTo("system/Observation.rs");
    assertThat(introspected.body().path("exp").asLong()).isPositive();
    assertThat(introspect("not-a-token").body().path("active").asBoolean()).isFalse();
  }

  TokenResponse introspect(String token) {
    String form =
        SmartFlows.form(
            "token", token,
            "client_assertion_type", JWT_BEARER,
            "client_assertion",
                SmartFlows.assertion(
                    TestRealm.ADMIN,
                    TestRealm.ADMIN_KEY,
                    flows.issuer() + "/oauth2/introspect",
                    300,
                    UUID.randomUUID().toString()));
    return post(flows.issuer() + "/oauth2/introspect", form);
  }

  TokenResponse request(String assertion, String scope) {
    return flows.tokenRequest(
        SmartFlows.form(
            "grant_type", "client_credentials",
            "scope", scope,
            "client_assertion_type", JWT_BEARER,
            "client_assertion", assertion));
  }

  static TokenResponse post(String url, String form) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url))
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .POST(HttpRequest.BodyPublishers.ofString(form))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return new TokenResponse(
          response.statusCode(),
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()),
          response);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
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
