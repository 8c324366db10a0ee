package org.vitals.fhir.relay;

import com.nimbusds.jose.jwk.JWK;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.vitals.fhir.config.VitalsServerProperties;
import org.vitals.fhir.security.AccessTokenVerifier;
import org.vitals.fhir.security.KeyFiles;
import org.vitals.fhir.security.ServerUrls;
import org.vitals.fhir.security.enforcement.FhirApiSecurityConfig;
import org.vitals.fhir.security.enforcement.FhirAuthenticationEntryPoint;

/**
 * The CDS relay's settings, key and security chain (decision 0806). {@code /cds-relay/**} needs a
 * SMART access token checked exactly as the FHIR API checks it (also with {@code
 * VITALS_SECURITY=off}: the relay passes the user's token on and cannot work without one), from the
 * header only; the relay's public key at {@code /cds-relay/jwks.json} is public.
 */
@Configuration
public class CdsRelayConfig {

  private static final Logger log = LoggerFactory.getLogger(CdsRelayConfig.class);

  @Bean
  public CdsRelaySettings cdsRelaySettings(Environment env) {
    CdsRelaySettings settings = CdsRelaySettings.from(env);
    if (settings.enabled()) {
      log.info(
          "CDS relay: /cds-relay/** calls {} (JWT audience {}/...)",
          settings.connectUrl(),
          settings.audienceUrl());
    } else {
      log.info("CDS relay off (VITALS_CDS_URL not set or off)");
    }
    return settings;
  }

  @Bean
  public CdsClientJwt cdsClientJwt(Environment env, VitalsServerProperties properties) {
    String configured = env.getProperty("VITALS_CDS_RELAY_KEY", "").trim();
    JWK key =
        configured.isEmpty()
            ? KeyFiles.cdsRelayKey(
                properties.dataDir().resolve("security").resolve("cds-relay-key.jwk.json"), true)
            : KeyFiles.cdsRelayKey(Path.of(configured), false);
    return new CdsClientJwt(key, Clock.systemUTC());
  }

  @Bean
  @Order(2)
  public SecurityFilterChain cdsRelayChain(
      HttpSecurity http, AccessTokenVerifier verifier, ServerUrls urls) throws Exception {
    FhirAuthenticationEntryPoint entryPoint =
        new FhirAuthenticationEntryPoint((request, reason) -> {});
    http.securityMatcher("/cds-relay/**")
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .authorizeHttpRequests(
            authorize ->
                authorize
                    .requestMatchers(HttpMethod.GET, "/cds-relay/jwks.json")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint))
        .oauth2ResourceServer(
            resourceServer ->
                resourceServer
                    .bearerTokenResolver(new DefaultBearerTokenResolver())
                    .authenticationManagerResolver(
                        request -> FhirApiSecurityConfig.manager(request, verifier, urls))
                    .authenticationEntryPoint(entryPoint));
    return http.build();
  }
}
