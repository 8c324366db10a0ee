package org.vitals.fhir.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AccessTokenVerifierTest {

  static final String ISSUER = "http://localhost:8080";
  static final String FHIR = ISSUER + "/fhir";
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  final RSAKey key = generate();
  final AtomicInteger keyLookups = new AtomicInteger();
  final JWKSource<SecurityContext> counting =
      (selector, context) -> {
        keyLookups.incrementAndGet();
        return new ImmutableJWKSet<SecurityContext>(new JWKSet(key)).get(selector, context);
      };

  static RSAKey generate() {
    try {
      return new RSAKeyGenerator(2048).keyID("k1").generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  String token(RSAKey signer, Instant expires, String audience, String scope) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
            new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("ana.silva")
                .audience(audience)
                .expirationTime(Date.from(expires))
                .claim("scope", scope)
                .claim("client_id", "vitals-patient-app")
                .claim("patient", "p1")
                .claim("fhirUser", "Patient/p1")
                .build());
    jwt.sign(new RSASSASigner(signer));
    return jwt.serialize();
  }

  @Test
  void readsTheSmartClaimsAndChecksTheSignatureOnlyOnce() throws Exception {
    AccessTokenVerifier verifier =
        new AccessTokenVerifier(counting, Clock.fixed(NOW, ZoneOffset.UTC));
    String token =
        token(key, NOW.plusSeconds(600), FHIR, "launch/patient patient/Observation.rs openid");
    SmartAccessToken access = verifier.verify(token, ISSUER, FHIR);
    assertThat(access.patient()).contains("p1");
    assertThat(access.clientId()).isEqualTo("vitals-patient-app");
    assertThat(access.resourceScopes())
        .extracting(Object::toString)
        .containsExactly("patient/Observation.rs");
    for (int i = 0; i < 100; i++) {
      assertThat(verifier.verify(token, ISSUER, FHIR)).isSameAs(access);
    }
    assertThat(keyLookups.get()).isEqualTo(1);
  }

  @Test
  void aCachedTokenStillExpiresAndStillHasItsAudience() throws Exception {
    Instant[] now = {NOW};
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            return now[0];
          }

          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    AccessTokenVerifier verifier = new AccessTokenVerifier(counting, clock);
    String token = token(key, NOW.plusSeconds(60), FHIR, "user/*.rs");
    verifier.verify(token, ISSUER, FHIR);
    assertThatThrownBy(
            () -> verifier.verify(token, "http://127.0.0.1:8080", "http://127.0.0.1:8080/fhir"))
        .isInstanceOf(InvalidAccessTokenException.class)
        .hasMessageContaining("issued by");
    now[0] = NOW.plusSeconds(61);
    assertThatThrownBy(() -> verifier.verify(token, ISSUER, FHIR))
        .isInstanceOf(InvalidAccessTokenException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void forgedMisaddressedAndMalformedTokensAreRefused() throws Exception {
    AccessTokenVerifier verifier =
        new AccessTokenVerifier(counting, Clock.fixed(NOW, ZoneOffset.UTC));
    assertThatThrownBy(
            () ->
                verifier.verify(
                    token(generate(), NOW.plusSeconds(60), FHIR, "user/*.rs"), ISSUER, FHIR))
        .hasMessageContaining("signature");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    token(key, NOW.plusSeconds(60), "http://other/fhir", "user/*.rs"),
                    ISSUER,
                    FHIR))
        .hasMessageContaining("is for");
    assertThatThrownBy(() -> verifier.verify("abc.def", ISSUER, FHIR))
        .hasMessageContaining("not a JWT");
  }
}
