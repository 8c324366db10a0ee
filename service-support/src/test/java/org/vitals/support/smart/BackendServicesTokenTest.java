package org.vitals.support.smart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend-services token against a token endpoint on a real socket that checks the client
 * assertion's signature and claims: tokens are reused until 80 % of their lifetime, renewed before
 * they expire and after a 401, and a wrong client or key gives an error that says what to check.
 * Time is a settable clock, not the wall clock.
 */
class BackendServicesTokenTest {
  static final String CLIENT = "gw-test";

  /** The gateway's scopes: assignments are optional (device-gateway FhirAccess). */
  static final String REQUIRED = "system/Observation.cruds system/Device.cruds system/Patient.rs";

  static final String OPTIONAL = "system/DeviceUseStatement.cruds";
  HttpServer server;
  String base;
  ECKey key;
  final List<Map<String, String>> requests = new ArrayList<>();
  final AtomicReference<String> answer = new AtomicReference<>();
  final AtomicReference<String> unregistered = new AtomicReference<>();
  int issued;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));
  @TempDir Path dir;

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void start() throws Exception {
    key = new ECKeyGenerator(Curve.P_384).keyID("k1").generate();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    server.createContext(
        "/fhir/.well-known/smart-configuration",
        ex -> {
          byte[] b =
              ("{\"token_endpoint\":\"" + base + "/oauth2/token\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.createContext(
        "/oauth2/token",
        ex -> {
          Map<String, String> form = new HashMap<>();
          for (String kv :
              new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            String[] p = kv.split("=", 2);
            form.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
          }
          requests.add(form);
          int status = 200;
          String body;
          try {
            SignedJWT jwt = SignedJWT.parse(form.get("client_assertion"));
            boolean ok =
                jwt.verify(new ECDSAVerifier(key.toPublicJWK()))
                    && jwt.getJWTClaimsSet().getIssuer().equals(CLIENT)
                    && jwt.getJWTClaimsSet().getSubject().equals(CLIENT)
                    && jwt.getJWTClaimsSet().getAudience().equals(List.of(base + "/oauth2/token"))
                    && jwt.getJWTClaimsSet().getJWTID() != null
                    && "client_credentials".equals(form.get("grant_type"));
            if (!ok) {
              status = 401;
              body = "{\"error\":\"invalid_client\",\"error_description\":\"bad assertion\"}";
            } else if (unregistered.get() != null
                && form.get("scope").contains(unregistered.get())) {
              status = 400;
              body = "{\"error\":\"invalid_scope\",\"error_description\":\"not registered\"}";
            } else if (answer.get() != null) {
              status = 400;
              body = answer.get();
            } else {
              issued++;
              body =
                  "{\"access_token\":\"t"
                      + issued
                      + "\",\"expires_in\":300,\"scope\":\""
                      + form.get("scope")
                      + "\"}";
            }
          } catch (Exception e) {
            status = 400;
            body = "{\"error\":\"invalid_request\"}";
          }
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** The gateway's renewal rule and scopes setting. */
  BackendServicesToken tokens(String keySetting) {
    return new BackendServicesToken(
        base + "/fhir/",
        CLIENT,
        keySetting,
        "system/Observation.cruds",
        "",
        "VITALS_FHIR_SCOPES",
        BackendServicesToken::renewAfterSeconds,
        clock);
  }

  BackendServicesToken tokens(String scopes, String optionalScopes) {
    return new BackendServicesToken(
        base + "/fhir",
        CLIENT,
        key.toJSONString(),
        scopes,
        optionalScopes,
        "VITALS_FHIR_SCOPES",
        BackendServicesToken::renewAfterSeconds,
        clock);
  }

  @Test
  void aSignedAssertionGetsATokenThatIsReusedAndRenewedBeforeItExpires() throws Exception {
    Path keyFile = dir.resolve("gw.private.jwk.json");
    Files.writeString(keyFile, key.toJSONString());
    BackendServicesToken tokens = tokens(keyFile.toString());

    assertThat(tokens.token()).isEqualTo("t1");
    assertThat(requests.get(0).get("scope")).isEqualTo("system/Observation.cruds");
    assertThat(requests.get(0).get("client_assertion_type"))
        .isEqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    clock.advance(Duration.ofSeconds(239)); // 80 % of 300 s is 240 s
    assertThat(tokens.token()).isEqualTo("t1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.token()).isEqualTo("t2"); // renewed a minute before it expires
    assertThat(tokens.status()).contains("valid until").doesNotContain("t2");

    tokens.rejected(); // the server answered 401 to t2
    assertThat(tokens.token()).isEqualTo("t3");
    assertThat(requests).hasSize(3);
    // every assertion is new (a replayed jti is refused by the server)
    assertThat(requests.stream().map(r -> r.get("client_assertion")).distinct()).hasSize(3);
  }

  @Test
  void renewalLeavesAtLeastThirtySecondsWhenTheLifetimeAllows() {
    assertThat(BackendServicesToken.renewAfterSeconds(300)).isEqualTo(240);
    assertThat(BackendServicesToken.renewAfterSeconds(3600)).isEqualTo(2880);
    assertThat(BackendServicesToken.renewAfterSeconds(100)).isEqualTo(70);
    assertThat(BackendServicesToken.renewAfterSeconds(10)).isEqualTo(8);
  }

  @Test
  void aKeyThatIsNotTheRegisteredOneSaysWhatToCheck() throws Exception {
    ECKey other = new ECKeyGenerator(Curve.P_384).keyID("k1").generate();
    BackendServicesToken tokens = tokens(other.toJSONString());
    assertThatThrownBy(tokens::token)
        .isInstanceOf(BackendServicesToken.TokenException.class)
        .hasMessageContaining("gw-test")
        .hasMessageContaining("401 invalid_client")
        .hasMessageContaining("VITALS_FHIR_CLIENT_KEY is the private key");
    assertThat(tokens.status()).startsWith("token request failed");
  }

  @Test
  void scopesBeyondTheRegistrationSayWhichSetting() {
    answer.set("{\"error\":\"invalid_scope\",\"error_description\":\"not registered\"}");
    assertThatThrownBy(tokens(key.toJSONString())::token)
        .hasMessageContaining("invalid_scope")
        .hasMessageContaining("VITALS_FHIR_SCOPES");
  }

  @Test
  void keysThatCannotSignAreRefusedAtStartWithAClearReason() throws Exception {
    assertThatThrownBy(() -> tokens(key.toPublicJWK().toJSONString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("public key");
    assertThatThrownBy(() -> tokens(dir.resolve("missing.json").toString()))
        .hasMessageContaining("cannot be read");
    assertThatThrownBy(() -> tokens("{\"kty\":\"nope\"}")).hasMessageContaining("not a JWK");
    ECKey p256 = new ECKeyGenerator(Curve.P_256).generate();
    assertThatThrownBy(() -> tokens(p256.toJSONString())).hasMessageContaining("P-384");
    // RSA keys sign RS384
    assertThat(BackendServicesToken.loadKey(new RSAKeyGenerator(2048).generate().toJSONString()))
        .isNotNull();
  }

  @Test
  void aClientRegisteredWithoutTheOptionalAssignmentScopeStillGetsAToken() {
    unregistered.set("system/DeviceUseStatement");
    BackendServicesToken tokens = tokens(REQUIRED, OPTIONAL);
    assertThat(tokens.token()).isEqualTo("t1");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).get("scope")).contains("system/DeviceUseStatement.cruds");
    assertThat(requests.get(1).get("scope")).isEqualTo(REQUIRED);
    assertThat(tokens.reaches("Observation")).isTrue();
    assertThat(tokens.reaches("DeviceUseStatement")).isFalse();

    // Registered for it: granted, and assignments are read.
    unregistered.set(null);
    BackendServicesToken full = tokens(REQUIRED, OPTIONAL);
    assertThat(full.reaches("DeviceUseStatement")).isTrue();
  }

  @Test
  void theRenewalRuleAndTheScopesSettingAreTheServices() {
    // The CDS services' rule: renew 30 s before the end (at least 10 s after the start).
    BackendServicesToken tokens =
        new BackendServicesToken(
            base + "/fhir",
            CLIENT,
            key.toJSONString(),
            "system/Patient.rs",
            "",
            "the scopes the CDS services ask for",
            lifetime -> Math.max(10, lifetime - 30),
            clock);
    assertThat(tokens.token()).isEqualTo("t1");
    clock.advance(Duration.ofSeconds(269));
    assertThat(tokens.token()).isEqualTo("t1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(tokens.token()).isEqualTo("t2");
    assertThat(tokens.fetched()).isEqualTo(2);

    answer.set("{\"error\":\"invalid_scope\"}");
    tokens.rejected();
    assertThatThrownBy(tokens::token)
        .isInstanceOf(BackendServicesToken.TokenException.class)
        .hasMessageContaining(
            "do not cover the scopes the CDS services ask for (system/Patient.rs)");
  }

  @Test
  void anUnreachableServerIsNamedInTheError() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    BackendServicesToken tokens =
        new BackendServicesToken(
            "http://127.0.0.1:" + closed + "/fhir",
            CLIENT,
            key.toJSONString(),
            "system/Patient.rs",
            "",
            "VITALS_FHIR_SCOPES",
            BackendServicesToken::renewAfterSeconds,
            clock);
    assertThatThrownBy(tokens::token)
        .isInstanceOf(BackendServicesToken.TokenException.class)
        .hasMessage("SMART backend-services token for client 'gw-test': ConnectException");
    assertThat(tokens.status()).isEqualTo("token request failed: ConnectException");
  }
}
