package org.vitals.fhir.security.enforcement;

import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.vitals.fhir.audit.AuditEventRecorder;
import org.vitals.fhir.config.VitalsServerProperties;
import org.vitals.fhir.security.AccessTokenVerifier;
import org.vitals.fhir.security.InvalidAccessTokenException;
import org.vitals.fhir.security.ServerUrls;
import org.vitals.fhir.security.SmartAccessToken;

/**
 * Token checks in front of the FHIR API, the websocket endpoint and the actuator. Public: {@code
 * /fhir/metadata}, SMART discovery, CORS preflights, {@code /actuator/health} and {@code info}.
 * Everything else needs a valid access token (a signed-in app, a backend service); metrics too.
 * With {@code VITALS_SECURITY=off} everything is open and no scope rules apply.
 */
@Configuration
public class FhirApiSecurityConfig {

  static final String[] PUBLIC = {
    "/fhir/metadata",
    "/fhir/.well-known/**",
    "/.well-known/smart-configuration",
    "/actuator/health",
    "/actuator/health/**",
    "/actuator/info"
  };

  @Bean
  @Order(2)
  public SecurityFilterChain fhirApiChain(
      HttpSecurity http,
      VitalsServerProperties properties,
      AccessTokenVerifier verifier,
      ServerUrls urls,
      AuditEventRecorder audit)
      throws Exception {
    boolean enforced = properties.security().enforced();
    FhirAuthenticationEntryPoint entryPoint =
        new FhirAuthenticationEntryPoint((request, reason) -> audit.refused(request));
    http.securityMatcher(
            new OrRequestMatcher(
                ant("/fhir/**"),
                ant("/websocket"),
                ant("/websocket/**"),
                ant("/actuator/**"),
                ant("/.well-known/smart-configuration")))
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .authorizeHttpRequests(
            authorize -> {
              authorize
                  .requestMatchers(new AntPathRequestMatcher("/fhir/**", HttpMethod.OPTIONS.name()))
                  .permitAll();
              for (String path : PUBLIC) {
                authorize.requestMatchers(ant(path)).permitAll();
              }
              if (enforced) {
                authorize.anyRequest().authenticated();
              } else {
                authorize.anyRequest().permitAll();
              }
            })
        .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint));
    if (enforced) {
      http.oauth2ResourceServer(
          resourceServer ->
              resourceServer
                  .bearerTokenResolver(bearerTokens())
                  .authenticationManagerResolver(request -> manager(request, verifier, urls))
                  .authenticationEntryPoint(entryPoint));
    }
    return http.build();
  }

  /** The FHIR interceptors that enforce scopes, registered on HAPI's RestfulServer. */
  @Bean
  public FhirApiSecurity fhirApiSecurity(VitalsServerProperties properties, ServerUrls urls) {
    return new FhirApiSecurity(properties.security().enforced(), urls);
  }

  /** Registers the scope-enforcing interceptors on the FHIR endpoint. */
  public static final class FhirApiSecurity {
    private final boolean enforced;
    private final ServerUrls urls;

    FhirApiSecurity(boolean enforced, ServerUrls urls) {
      this.enforced = enforced;
      this.urls = urls;
    }

    public void registerOn(RestfulServer server) {
      server.registerInterceptor(new SmartCapabilityInterceptor(urls));
      if (enforced) {
        server.registerInterceptor(new ScopeInteractionInterceptor());
        server.registerInterceptor(new SmartSearchNarrowingInterceptor());
        server.registerInterceptor(new SmartAuthorizationInterceptor());
      }
    }
  }

  /**
   * Checks a bearer token as the FHIR API does (our signature, expiry, issuer, audience = the FHIR
   * base of this request); also used by the CDS relay.
   */
  public static AuthenticationManager manager(
      HttpServletRequest request, AccessTokenVerifier verifier, ServerUrls urls) {
    return authentication -> {
      String token = ((BearerTokenAuthenticationToken) authentication).getToken();
      try {
        SmartAccessToken access =
            verifier.verify(token, urls.issuer(request), urls.fhirBase(request));
        CurrentToken.set(request, access);
        return new SmartAuthentication(access);
      } catch (InvalidAccessTokenException e) {
        throw new InvalidBearerTokenException(e.getMessage());
      }
    };
  }

  /** Headers only, except for websocket handshakes (browsers cannot set headers on those). */
  private static BearerTokenResolver bearerTokens() {
    DefaultBearerTokenResolver headers = new DefaultBearerTokenResolver();
    DefaultBearerTokenResolver websocket = new DefaultBearerTokenResolver();
    websocket.setAllowUriQueryParameter(true);
    return request ->
        request.getRequestURI().startsWith(request.getContextPath() + "/websocket")
            ? websocket.resolve(request)
            : headers.resolve(request);
  }

  private static RequestMatcher ant(String pattern) {
    return new AntPathRequestMatcher(pattern);
  }

  /** A request authenticated by a SMART access token. */
  static final class SmartAuthentication extends AbstractAuthenticationToken {
    private final SmartAccessToken token;

    SmartAuthentication(SmartAccessToken token) {
      super(java.util.List.of());
      this.token = token;
      setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
      return "";
    }

    @Override
    public Object getPrincipal() {
      return token;
    }

    @Override
    public String getName() {
      return token.fhirUser().orElse(token.subject());
    }
  }
}
