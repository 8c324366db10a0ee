package org.vitals.fhir.security.authserver;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.vitals.fhir.config.VitalsServerProperties;
import org.vitals.fhir.security.LaunchContexts;
import org.vitals.fhir.security.ScopePolicy;
import org.vitals.fhir.security.realm.SecurityRealm;

/**
 * The SMART authorization server (Spring Authorization Server): authorization code with PKCE,
 * refresh, client credentials with private_key_jwt, OpenID Connect, introspection and revocation at
 * {@code /oauth2/*}; sign-in ({@code /login}), the patient picker and the launch API for people.
 */
@Configuration
public class AuthorizationServerConfig {

  @Bean
  @Order(1)
  public SecurityFilterChain authorizationServerChain(
      HttpSecurity http,
      SecurityRealm realm,
      LaunchContexts launches,
      RegisteredClientRepository clients)
      throws Exception {
    OAuth2AuthorizationServerConfigurer server =
        OAuth2AuthorizationServerConfigurer.authorizationServer();
    SmartAuthorizationRequestValidator requestValidator =
        new SmartAuthorizationRequestValidator(launches, realm);
    ClientAssertions.DecoderFactory assertionDecoders = new ClientAssertions.DecoderFactory();
    http.securityMatcher(server.getEndpointsMatcher())
        .with(
            server,
            as ->
                as.oidc(Customizer.withDefaults())
                    .authorizationEndpoint(
                        endpoint ->
                            endpoint.authenticationProviders(
                                providers ->
                                    providers.forEach(
                                        p -> {
                                          if (p
                                              instanceof
                                              OAuth2AuthorizationCodeRequestAuthenticationProvider
                                                  code) {
                                            code.setAuthenticationValidator(requestValidator);
                                          }
                                        })))
                    .tokenEndpoint(
                        endpoint ->
                            endpoint
                                .accessTokenResponseHandler(new SmartTokenResponseHandler())
                                .authenticationProviders(
                                    providers ->
                                        providers.forEach(
                                            p -> {
                                              if (p
                                                  instanceof
                                                  OAuth2ClientCredentialsAuthenticationProvider
                                                      cc) {
                                                cc.setAuthenticationValidator(
                                                    context ->
                                                        ScopePolicy.refusedForBackend(
                                                                context
                                                                    .getRegisteredClient()
                                                                    .getScopes(),
                                                                context
                                                                    .<org.springframework.security
                                                                            .oauth2.server
                                                                            .authorization
                                                                            .authentication
                                                                            .OAuth2ClientCredentialsAuthenticationToken>
                                                                        getAuthentication()
                                                                    .getScopes())
                                                            .ifPresent(
                                                                reason -> {
                                                                  throw new OAuth2AuthenticationException(
                                                                      new OAuth2Error(
                                                                          OAuth2ErrorCodes
                                                                              .INVALID_SCOPE,
                                                                          reason,
                                                                          null));
                                                                }));
                                              }
                                            })))
                    .clientAuthentication(
                        auth ->
                            auth.authenticationConverters(
                                    converters -> {
                                      converters.add(0, new ClientAssertions.Converter());
                                      converters.add(0, new PublicClientRefresh.Converter());
                                    })
                                .authenticationProviders(
                                    providers -> {
                                      providers.forEach(
                                          p -> {
                                            if (p
                                                instanceof
                                                JwtClientAssertionAuthenticationProvider jwt) {
                                              jwt.setJwtDecoderFactory(assertionDecoders);
                                            }
                                          });
                                      providers.add(0, new PublicClientRefresh.Provider(clients));
                                    })))
        .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
        .cors(cors -> cors.configurationSource(anyOrigin()))
        .addFilterBefore(
            new PatientPickerRedirectFilter(realm), AbstractPreAuthenticatedProcessingFilter.class)
        .exceptionHandling(
            exceptions ->
                exceptions.defaultAuthenticationEntryPointFor(
                    new LoginUrlAuthenticationEntryPoint("/login"),
                    request -> request.getRequestURI().endsWith("/oauth2/authorize")));
    return http.build();
  }

  /** People: sign-in, the patient picker, the launch API; everything else (apps) is public. */
  @Bean
  @Order(3)
  public SecurityFilterChain interactiveChain(
      HttpSecurity http, org.vitals.fhir.security.oidc.OidcSignInConfig.OidcSignIn oidc)
      throws Exception {
    if (oidc.enabled()) {
      // Beside the form: the sign-in page links to the provider (decision 0807).
      http.oauth2Login(
          login ->
              login
                  .clientRegistrationRepository(oidc.registrations())
                  .userInfoEndpoint(userInfo -> userInfo.oidcUserService(oidc.users())));
    }
    http.authorizeHttpRequests(
            authorize ->
                authorize.requestMatchers("/smart/**").authenticated().anyRequest().permitAll())
        .formLogin(Customizer.withDefaults())
        // The EHR launcher page reads the XSRF-TOKEN cookie and sends it as X-XSRF-TOKEN.
        .csrf(
            csrf ->
                csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                    .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler()));
    return http.build();
  }

  /** The token endpoint and discovery are called from browser apps of any origin. */
  private static UrlBasedCorsConfigurationSource anyOrigin() {
    CorsConfiguration cors = new CorsConfiguration();
    cors.setAllowedOriginPatterns(List.of("*"));
    cors.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
    cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept"));
    cors.setAllowCredentials(false);
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/oauth2/token", cors);
    source.registerCorsConfiguration("/oauth2/jwks", cors);
    source.registerCorsConfiguration("/.well-known/**", cors);
    return source;
  }

  /** SMART discovery at the FHIR base (an exact mapping wins over HAPI's {@code /fhir/*}). */
  @Bean
  public org.springframework.boot.web.servlet.ServletRegistrationBean<SmartConfigurationServlet>
      smartConfiguration(org.vitals.fhir.security.ServerUrls urls) {
    var registration =
        new org.springframework.boot.web.servlet.ServletRegistrationBean<>(
            new SmartConfigurationServlet(urls),
            "/fhir/.well-known/smart-configuration",
            "/.well-known/smart-configuration");
    registration.setName("smart-configuration");
    return registration;
  }

  @Bean
  public AuthorizationServerSettings authorizationServerSettings(
      VitalsServerProperties properties) {
    AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
    String publicUrl = properties.security().publicUrl();
    if (publicUrl != null && !publicUrl.isBlank()) {
      settings.issuer(publicUrl.replaceAll("/+$", ""));
    }
    return settings.build();
  }

  @Bean
  public OAuth2TokenGenerator<?> tokenGenerator(
      JWKSource<SecurityContext> keys, SecurityRealm realm, LaunchContexts launches) {
    JwtGenerator jwt = new JwtGenerator(new NimbusJwtEncoder(keys));
    jwt.setJwtCustomizer(new SmartTokenCustomizer(realm, launches));
    return new DelegatingOAuth2TokenGenerator(jwt, new SmartRefreshTokenGenerator());
  }

  /** Codes and tokens in the server's database: a restart signs nobody out (decision 0804). */
  @Bean
  public org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService
      authorizationService(
          javax.sql.DataSource dataSource,
          org.vitals.fhir.config.DatabaseConfig.DatabaseKind kind,
          RegisteredClientRepository clients) {
    PersistentAuthorizations.migrate(dataSource, kind);
    return PersistentAuthorizations.service(
        new org.springframework.jdbc.core.JdbcTemplate(dataSource),
        clients,
        java.time.Clock.systemUTC());
  }

  /** Consents beside the authorizations (their table comes with the same migration). */
  @Bean
  public org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService
      authorizationConsentService(
          javax.sql.DataSource dataSource,
          RegisteredClientRepository clients,
          org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService
              migrated) {
    return new org.springframework.security.oauth2.server.authorization
        .JdbcOAuth2AuthorizationConsentService(
        new org.springframework.jdbc.core.JdbcTemplate(dataSource), clients);
  }

  /**
   * A realm client's redirect URIs. A relative one ({@code /apps/doctor/}) is on this server: under
   * {@code VITALS_PUBLIC_URL} when set, else at {@code http://localhost:<server port>} and {@code
   * http://127.0.0.1:<server port>}, so the demo apps follow the port the server runs on (decision
   * 0805). Absolute ones are kept as written.
   */
  static List<String> redirectUris(List<String> uris, String publicUrl, String port) {
    List<String> out = new ArrayList<>();
    for (String uri : uris) {
      if (!uri.startsWith("/")) {
        out.add(uri);
      } else if (publicUrl != null && !publicUrl.isBlank()) {
        out.add(publicUrl.replaceAll("/+$", "") + uri);
      } else {
        out.add("http://localhost:" + port + uri);
        out.add("http://127.0.0.1:" + port + uri);
      }
    }
    return out;
  }

  @Bean
  public RegisteredClientRepository registeredClients(
      SecurityRealm realm,
      VitalsServerProperties properties,
      @org.springframework.beans.factory.annotation.Value("${server.port:8080}") String port) {
    VitalsServerProperties.Security settings = properties.security();
    List<RegisteredClient> clients = new ArrayList<>();
    for (SecurityRealm.Client c : realm.clients()) {
      RegisteredClient.Builder client =
          RegisteredClient.withId(UUID.nameUUIDFromBytes(c.clientId().getBytes()).toString())
              .clientId(c.clientId())
              .clientName(c.name() == null ? c.clientId() : c.name())
              .scopes(scopes -> scopes.addAll(c.scopes()));
      ClientSettings.Builder clientSettings =
          ClientSettings.builder().requireAuthorizationConsent(false);
      if (c.jwks() != null) {
        clientSettings.setting(ClientAssertions.JWKS_SETTING, c.jwks().toString());
      }
      if (c.jwksUrl() != null) {
        clientSettings.jwkSetUrl(c.jwksUrl());
      }
      TokenSettings.Builder tokens =
          TokenSettings.builder()
              .idTokenSignatureAlgorithm(SignatureAlgorithm.RS256)
              .refreshTokenTimeToLive(settings.refreshTokenLifetime())
              .reuseRefreshTokens(false);
      switch (c.type() == null ? "" : c.type()) {
        case "public" -> {
          client
              .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
              .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
              .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
              .redirectUris(
                  uris -> uris.addAll(redirectUris(c.redirectUris(), settings.publicUrl(), port)));
          clientSettings.requireProofKey(true);
          tokens.accessTokenTimeToLive(settings.accessTokenLifetime());
        }
        case "confidential-asymmetric" -> {
          requireKeys(c);
          client
              .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
              .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
              .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
              .redirectUris(
                  uris -> uris.addAll(redirectUris(c.redirectUris(), settings.publicUrl(), port)));
          clientSettings.requireProofKey(true);
          tokens.accessTokenTimeToLive(settings.accessTokenLifetime());
        }
        case "backend" -> {
          requireKeys(c);
          client
              .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
              .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS);
          tokens.accessTokenTimeToLive(settings.backendTokenLifetime());
        }
        default ->
            throw new IllegalStateException(
                "client "
                    + c.clientId()
                    + ": type must be public, confidential-asymmetric or backend, was "
                    + c.type());
      }
      clients.add(
          client.clientSettings(clientSettings.build()).tokenSettings(tokens.build()).build());
    }
    return new InMemoryRegisteredClientRepository(clients);
  }

  private static void requireKeys(SecurityRealm.Client c) {
    if (c.jwks() == null && c.jwksUrl() == null) {
      throw new IllegalStateException(
          "client "
              + c.clientId()
              + " authenticates with private_key_jwt: give jwks, jwksUrl or jwksFile");
    }
  }

  @Bean
  public UserDetailsService users(SecurityRealm realm) {
    List<UserDetails> users = new ArrayList<>();
    for (SecurityRealm.User u : realm.users()) {
      users.add(
          User.withUsername(u.username())
              .password(u.password())
              .roles(u.patient() ? "PATIENT" : "PRACTITIONER")
              .build());
    }
    return new InMemoryUserDetailsManager(users);
  }

  @Bean
  public PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  /** Who is signed in, for the EHR launcher page (and its CSRF token). */
  @RestController
  static class SessionController {
    private final SecurityRealm realm;

    SessionController(SecurityRealm realm) {
      this.realm = realm;
    }

    @GetMapping("/smart/session")
    ResponseEntity<Map<String, String>> session(Principal user, CsrfToken csrf) {
      String fhirUser = realm.user(user.getName()).map(SecurityRealm.User::fhirUser).orElse("");
      return ResponseEntity.ok(
          Map.of(
              "username", user.getName(),
              "fhirUser", fhirUser,
              "csrfHeader", csrf.getHeaderName(),
              "csrfToken", csrf.getToken()));
    }
  }
}
