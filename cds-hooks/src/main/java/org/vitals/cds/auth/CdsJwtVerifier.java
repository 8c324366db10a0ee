package org.vitals.cds.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies the JWT a CDS client signs for each request (CDS Hooks 2.0 §"Trusting CDS Clients"): the
 * issuer must be allow-listed, the signature must verify with a key of that issuer's JWK Set (RS384
 * or ES384 only: {@code none} and every symmetric HS* algorithm are refused), {@code kid} and
 * {@code typ: JWT} present, a {@code jku} if given must be the allow-listed JWKS URL, {@code aud}
 * must be exactly the URL called, {@code exp}, {@code iat} and {@code jti} present, the token not
 * expired (30 s skew), valid for at most an hour, and its {@code jti} not seen before.
 */
public final class CdsJwtVerifier {

  /** Clock skew allowed on exp and iat. */
  public static final int CLOCK_SKEW_SECONDS = 30;

  /** Longest token lifetime accepted (exp − now); bounds the replay cache. */
  public static final long MAX_LIFETIME_SECONDS = 3600;

  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);

  private final TrustedIssuers issuers;
  private final JtiReplayCache replay = new JtiReplayCache();
  private final Map<String, JWKSource<SecurityContext>> sources = new ConcurrentHashMap<>();

  public CdsJwtVerifier(TrustedIssuers issuers) {
    this.issuers = issuers;
  }

  /** Why a token was refused; the message is safe to return to the client. */
  public static class Rejected extends Exception {
    public Rejected(String message) {
      super(message);
    }
  }

  /**
   * Verifies a token for a request to {@code calledUrl}.
   *
   * @return the verified claims
   * @throws Rejected with the reason
   */
  public JWTClaimsSet verify(String token, String calledUrl) throws Rejected {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (java.text.ParseException e) {
      throw new Rejected("malformed JWT");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw new Rejected("unsigned JWT (alg none) refused");
    }
    JWSHeader header = signed.getHeader();
    if (!ALGORITHMS.contains(header.getAlgorithm())) {
      throw new Rejected("algorithm " + header.getAlgorithm() + " refused: use RS384 or ES384");
    }
    if (header.getKeyID() == null) {
      throw new Rejected("JWT header has no kid");
    }
    String issuer;
    try {
      issuer = signed.getJWTClaimsSet().getIssuer();
    } catch (java.text.ParseException e) {
      throw new Rejected("malformed JWT claims");
    }
    String jwksUrl = issuers.jwksUrl(issuer);
    if (jwksUrl == null) {
      throw new Rejected("issuer is not trusted: " + issuer);
    }
    URI jku = header.getJWKURL();
    if (jku != null && !jku.toString().equals(jwksUrl)) {
      throw new Rejected("jku " + jku + " is not the JWK Set allow-listed for " + issuer);
    }
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, source(jwksUrl)));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            calledUrl,
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            new HashSet<>(Set.of("iss", "aud", "exp", "iat", "jti")));
    claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
    processor.setJWTClaimsSetVerifier(claims);
    JWTClaimsSet verified;
    try {
      verified = processor.process(signed, null);
    } catch (com.nimbusds.jose.proc.BadJOSEException e) {
      throw new Rejected(e.getMessage());
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new Rejected("cannot verify the signature: " + e.getMessage());
    }
    if (verified.getAudience().size() != 1) {
      throw new Rejected("aud must be exactly the called URL " + calledUrl);
    }
    Instant now = Instant.now();
    Instant exp = verified.getExpirationTime().toInstant();
    if (exp.isAfter(now.plusSeconds(MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS))) {
      throw new Rejected("exp is more than " + MAX_LIFETIME_SECONDS + " s ahead");
    }
    if (!replay.firstUse(issuer, verified.getJWTID(), exp, now)) {
      throw new Rejected("jti already used (replay)");
    }
    return verified;
  }

  private JWKSource<SecurityContext> source(String jwksUrl) throws Rejected {
    try {
      return sources.computeIfAbsent(jwksUrl, CdsJwtVerifier::load);
    } catch (IllegalStateException e) {
      throw new Rejected(e.getMessage());
    }
  }

  private static JWKSource<SecurityContext> load(String jwksUrl) {
    try {
      if (jwksUrl.startsWith("file:")) {
        return new ImmutableJWKSet<>(JWKSet.load(new File(URI.create(jwksUrl))));
      }
      // Cached and refreshed on an unknown kid (key rotation), rate-limited by Nimbus.
      return JWKSourceBuilder.create(new URL(jwksUrl)).retrying(true).build();
    } catch (Exception e) {
      throw new IllegalStateException("cannot load the JWK Set " + jwksUrl + ": " + e.getMessage());
    }
  }
}
