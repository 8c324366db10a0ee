package org.vitals.fhir.relay;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Signs the JWT a CDS client sends with each request (CDS Hooks 2.0, "Trusting CDS Clients"):
 * header {@code alg} ES384 or RS384 (by key type), {@code kid}, {@code typ: JWT}; claims {@code
 * iss} (this server), {@code aud} (exactly the endpoint URL called), {@code exp} (one minute),
 * {@code iat}, {@code jti} (unique, the service refuses replays).
 */
public final class CdsClientJwt {

  static final Duration LIFETIME = Duration.ofMinutes(1);

  private final JWK key;
  private final JWSAlgorithm algorithm;
  private final JWSSigner signer;
  private final Clock clock;

  public CdsClientJwt(JWK key, Clock clock) {
    this.key = key;
    this.clock = clock;
    try {
      if (key instanceof ECKey ec) {
        algorithm = JWSAlgorithm.ES384;
        signer = new ECDSASigner(ec);
      } else if (key instanceof RSAKey rsa) {
        algorithm = JWSAlgorithm.RS384;
        signer = new RSASSASigner(rsa);
      } else {
        throw new IllegalArgumentException("the CDS relay key must be EC P-384 or RSA");
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable CDS relay key: " + e.getMessage(), e);
    }
  }

  /** A fresh JWT for one request by {@code issuer} to {@code endpointUrl}. */
  public String sign(String issuer, String endpointUrl) {
    Instant now = clock.instant();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
            new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(endpointUrl)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign the CDS client JWT", e);
    }
    return jwt.serialize();
  }

  /** The public JWK Set the CDS service verifies with ({@code GET /cds-relay/jwks.json}). */
  public JWKSet publicKeys() {
    return new JWKSet(key.toPublicJWK());
  }
}
