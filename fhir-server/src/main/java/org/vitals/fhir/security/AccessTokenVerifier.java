package org.vitals.fhir.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the access tokens our authorization server signs: signature (our key, RS256), expiry,
 * issuer and audience (the FHIR base the request was sent to). A token's signature is checked once;
 * later requests with the same token cost a cache lookup and the expiry/audience checks.
 */
public final class AccessTokenVerifier {

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final Clock clock;
  private final Cache<String, SmartAccessToken> verified =
      Caffeine.newBuilder().maximumSize(20_000).expireAfterWrite(Duration.ofHours(1)).build();

  public AccessTokenVerifier(JWKSource<SecurityContext> serverKeys, Clock clock) {
    this.clock = clock;
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256), serverKeys));
    // Expiry, issuer and audience are checked below, on every use, also for cached tokens.
    processor.setJWTClaimsSetVerifier((claims, context) -> {});
  }

  /**
   * @param expectedIssuer our issuer as seen by this request ({@code http://host:port})
   * @param expectedAudience the FHIR base as seen by this request ({@code http://host:port/fhir})
   */
  public SmartAccessToken verify(String token, String expectedIssuer, String expectedAudience) {
    SmartAccessToken access = verified.getIfPresent(token);
    if (access == null) {
      access = decode(token);
      verified.put(token, access);
    }
    if (!clock.instant().isBefore(access.expiresAt())) {
      throw new InvalidAccessTokenException("the access token has expired");
    }
    if (!expectedIssuer.equals(access.issuer())) {
      throw new InvalidAccessTokenException(
          "the access token was issued by " + access.issuer() + ", not " + expectedIssuer);
    }
    if (!access.audience().contains(expectedAudience)) {
      throw new InvalidAccessTokenException(
          "the access token is for " + access.audience() + ", not " + expectedAudience);
    }
    return access;
  }

  private SmartAccessToken decode(String token) {
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      throw new InvalidAccessTokenException("the access token is not a JWT");
    } catch (BadJOSEException | JOSEException e) {
      throw new InvalidAccessTokenException("the access token's signature is not ours");
    }
    Instant expires =
        claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant();
    if (expires == null) {
      throw new InvalidAccessTokenException("the access token has no expiry");
    }
    try {
      return new SmartAccessToken(
          claims.getSubject(),
          claims.getStringClaim("client_id"),
          scopes(claims.getClaim("scope")),
          claims.getStringClaim("fhirUser"),
          claims.getStringClaim("patient"),
          claims.getStringClaim("encounter"),
          claims.getIssuer(),
          claims.getAudience() == null ? List.of() : claims.getAudience(),
          expires);
    } catch (ParseException e) {
      throw new InvalidAccessTokenException("the access token has malformed claims");
    }
  }

  private static Set<String> scopes(Object claim) {
    Set<String> scopes = new LinkedHashSet<>();
    if (claim instanceof String s) {
      for (String part : s.trim().split("\\s+")) {
        if (!part.isEmpty()) {
          scopes.add(part);
        }
      }
    } else if (claim instanceof Collection<?> c) {
      c.forEach(o -> scopes.add(String.valueOf(o)));
    }
    return scopes;
  }
}
