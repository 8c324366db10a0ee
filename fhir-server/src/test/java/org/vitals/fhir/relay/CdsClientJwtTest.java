package org.vitals.fhir.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The relay's JWTs as a CDS service verifies them (the checks of cds-hooks' CdsJwtVerifier). */
class CdsClientJwtTest {

  static final String AUD = "https://cds.example.org/cds-services/vitals-ai";

  static JWTClaimsSet verify(CdsClientJwt jwt, String token) throws Exception {
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
    p.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384),
            new ImmutableJWKSet<>(jwt.publicKeys())));
    p.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            AUD,
            new JWTClaimsSet.Builder().issuer("https://vitals.example.org").build(),
            new HashSet<>(Set.of("iss", "aud", "exp", "iat", "jti"))));
    return p.process(token, null);
  }

  @Test
  void anEcKeySignsEs384WithKidTypAndTheClaimsCdsHooksRequires() throws Exception {
    JWK key = new ECKeyGenerator(Curve.P_384).keyID("relay-1").generate();
    CdsClientJwt jwt = new CdsClientJwt(key, Clock.systemUTC());
    String first = jwt.sign("https://vitals.example.org", AUD);
    String second = jwt.sign("https://vitals.example.org", AUD);
    SignedJWT parsed = SignedJWT.parse(first);
    assertThat(parsed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES384);
    assertThat(parsed.getHeader().getKeyID()).isEqualTo("relay-1");
    JWTClaimsSet claims = verify(jwt, first);
    assertThat(claims.getAudience()).containsExactly(AUD);
    assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
        .isEqualTo(60_000);
    assertThat(verify(jwt, second).getJWTID()).isNotEqualTo(claims.getJWTID());
    assertThat(jwt.publicKeys().getKeys()).allMatch(k -> !k.isPrivate());
  }

  @Test
  void anRsaKeySignsRs384AndAnotherKeysJwtDoesNotVerify() throws Exception {
    CdsClientJwt rsa =
        new CdsClientJwt(
            new RSAKeyGenerator(2048).keyID("relay-rsa").generate(), Clock.systemUTC());
    String token = rsa.sign("https://vitals.example.org", AUD);
    assertThat(SignedJWT.parse(token).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS384);
    verify(rsa, token);
    CdsClientJwt other =
        new CdsClientJwt(
            new RSAKeyGenerator(2048).keyID("relay-rsa").generate(), Clock.systemUTC());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> verify(other, token))
        .hasMessageContaining("Signed JWT rejected");
  }
}
