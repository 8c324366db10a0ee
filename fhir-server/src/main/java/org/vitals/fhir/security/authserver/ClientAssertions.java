package org.vitals.fhir.security.authserver;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * SMART asymmetric client authentication ({@code private_key_jwt}, SMART App Launch 2.2 "Client
 * Authentication: Asymmetric"): RS384 or ES384 assertions, the client's JWK Set by value or by URL,
 * {@code iss} = {@code sub} = client id, {@code aud} = our token endpoint, {@code exp} at most five
 * minutes ahead, and each {@code jti} used once.
 */
final class ClientAssertions {

  static final String JWKS_SETTING = "settings.client.vitals.jwks";
  static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
  private static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
  private static final Duration SKEW = Duration.ofSeconds(30);

  private ClientAssertions() {}

  /**
   * Reads the assertion; takes the client id from {@code client_id} or, as SMART backend services
   * send none, from the assertion's {@code sub}.
   */
  static final class Converter implements AuthenticationConverter {
    @Override
    public Authentication convert(HttpServletRequest request) {
      String type = request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE);
      String assertion = request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION);
      if (type == null || assertion == null) {
        return null;
      }
      if (!JWT_BEARER.equals(type)) {
        throw invalid(
            OAuth2ErrorCodes.INVALID_REQUEST, "client_assertion_type must be " + JWT_BEARER);
      }
      String clientId = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
      if (clientId == null) {
        try {
          clientId = SignedJWT.parse(assertion).getJWTClaimsSet().getSubject();
        } catch (ParseException e) {
          throw invalid(OAuth2ErrorCodes.INVALID_CLIENT, "client_assertion is not a signed JWT");
        }
      }
      if (clientId == null || clientId.isBlank()) {
        throw invalid(OAuth2ErrorCodes.INVALID_CLIENT, "client_assertion has no sub");
      }
      Map<String, Object> additional = new HashMap<>();
      if ("authorization_code".equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))) {
        request
            .getParameterMap()
            .forEach(
                (k, v) -> {
                  if (!k.startsWith("client_assertion") && !k.equals("client_id")) {
                    additional.put(k, v.length == 1 ? v[0] : v);
                  }
                });
      }
      return new org.springframework.security.oauth2.server.authorization.authentication
          .OAuth2ClientAuthenticationToken(
          clientId, new ClientAuthenticationMethod(JWT_BEARER), assertion, additional);
    }
  }

  /** A verifier per registered client, over its own JWK Set, with our claim and replay checks. */
  static final class DecoderFactory implements JwtDecoderFactory<RegisteredClient> {
    private final Map<String, JwtDecoder> decoders = new java.util.concurrent.ConcurrentHashMap<>();
    private final Cache<String, Boolean> usedJtis =
        Caffeine.newBuilder().expireAfterWrite(MAX_LIFETIME.plus(SKEW).plus(SKEW)).build();

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
      return decoders.computeIfAbsent(client.getClientId(), id -> build(client));
    }

    private JwtDecoder build(RegisteredClient client) {
      JWKSource<SecurityContext> keys;
      String jwks = client.getClientSettings().getSetting(JWKS_SETTING);
      String jwksUrl = client.getClientSettings().getJwkSetUrl();
      try {
        if (jwks != null) {
          keys = new ImmutableJWKSet<>(JWKSet.parse(jwks));
        } else if (jwksUrl != null) {
          keys = JWKSourceBuilder.create(new URL(jwksUrl)).build();
        } else {
          throw invalid(OAuth2ErrorCodes.INVALID_CLIENT, "the client has no registered keys");
        }
      } catch (ParseException | java.net.MalformedURLException e) {
        throw invalid(OAuth2ErrorCodes.INVALID_CLIENT, "the client's registered keys are unusable");
      }
      DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
      processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
      processor.setJWTClaimsSetVerifier((claims, context) -> {});
      NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
      decoder.setJwtValidator(jwt -> validate(jwt, client, jwksUrl));
      return decoder;
    }

    private OAuth2TokenValidatorResult validate(Jwt jwt, RegisteredClient client, String jwksUrl) {
      List<OAuth2Error> errors = new ArrayList<>();
      String id = client.getClientId();
      if (!id.equals(jwt.getClaimAsString("iss")) || !id.equals(jwt.getSubject())) {
        errors.add(error("iss and sub must both be the client id " + id));
      }
      // SMART: aud is the token endpoint. Introspection and revocation requests may name their
      // own endpoint instead.
      var context = AuthorizationServerContextHolder.getContext();
      var endpoints = context.getAuthorizationServerSettings();
      String tokenEndpoint = context.getIssuer() + endpoints.getTokenEndpoint();
      List<String> accepted =
          List.of(
              tokenEndpoint,
              context.getIssuer() + endpoints.getTokenIntrospectionEndpoint(),
              context.getIssuer() + endpoints.getTokenRevocationEndpoint());
      if (jwt.getAudience() == null || jwt.getAudience().stream().noneMatch(accepted::contains)) {
        errors.add(error("aud must be the token endpoint " + tokenEndpoint));
      }
      Instant now = Instant.now();
      Instant exp = jwt.getExpiresAt();
      if (exp == null || exp.isBefore(now.minus(SKEW))) {
        errors.add(error("the assertion has expired or has no exp"));
      } else if (exp.isAfter(now.plus(MAX_LIFETIME).plus(SKEW))) {
        errors.add(error("exp must be at most five minutes ahead"));
      }
      Object jku = jwt.getHeaders().get("jku");
      if (jku != null && !jku.toString().equals(jwksUrl)) {
        errors.add(error("jku is not the client's registered JWK Set URL"));
      }
      String jti = jwt.getId();
      if (jti == null || jti.isBlank()) {
        errors.add(error("jti is required"));
      } else if (errors.isEmpty() && usedJtis.asMap().putIfAbsent(id + " " + jti, true) != null) {
        errors.add(error("this jti was used before"));
      }
      return errors.isEmpty()
          ? OAuth2TokenValidatorResult.success()
          : OAuth2TokenValidatorResult.failure(errors);
    }
  }

  private static OAuth2Error error(String description) {
    return new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, description, null);
  }

  private static OAuth2AuthenticationException invalid(String code, String description) {
    return new OAuth2AuthenticationException(new OAuth2Error(code, description, null));
  }
}
