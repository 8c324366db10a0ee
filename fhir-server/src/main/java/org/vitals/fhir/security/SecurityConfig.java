package org.vitals.fhir.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.vitals.fhir.config.VitalsServerProperties;
import org.vitals.fhir.security.authserver.AuthorizationServerConfig;
import org.vitals.fhir.security.enforcement.FhirApiSecurityConfig;
import org.vitals.fhir.security.realm.RealmLoader;
import org.vitals.fhir.security.realm.SecurityRealm;

/**
 * SMART on FHIR security: the realm (users, clients), our signing key, launch contexts, and the two
 * halves that use them, the authorization server and the token checks on the FHIR API. Decisions:
 * docs/decisions/0800-smart-authorization-server.md and following.
 */
@Configuration
@EnableWebSecurity
@Import({AuthorizationServerConfig.class, FhirApiSecurityConfig.class})
public class SecurityConfig {

  private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

  @Bean
  public SecurityRealm securityRealm(VitalsServerProperties properties) {
    VitalsServerProperties.Security settings = properties.security();
    SecurityRealm realm = new RealmLoader().load(settings.realmFile(), securityDir(properties));
    if (isBlank(settings.realmFile())) {
      log.warn(
          "SECURITY: no VITALS_SECURITY_REALM given: the embedded DEMO realm is active ({} users,"
              + " {} clients, documented passwords). Never run it with real patient data.",
          realm.users().size(),
          realm.clients().size());
    }
    if (!settings.enforced()) {
      log.warn(
          "\n*****************************************************************************\n"
              + "* SECURITY OFF: VITALS_SECURITY=off. Every FHIR request is served WITHOUT a  *\n"
              + "* token and without scope checks. For local development only.               *\n"
              + "*****************************************************************************");
    }
    return realm;
  }

  @Bean
  public JWKSource<SecurityContext> jwkSource(VitalsServerProperties properties) {
    Path configured = properties.security().signingKeyFile();
    RSAKey key =
        isBlank(configured)
            ? KeyFiles.signingKey(securityDir(properties).resolve("signing-key.jwk.json"), true)
            : KeyFiles.signingKey(configured, false);
    return new ImmutableJWKSet<>(new JWKSet(key));
  }

  @Bean
  public AccessTokenVerifier accessTokenVerifier(JWKSource<SecurityContext> keys) {
    return new AccessTokenVerifier(keys, Clock.systemUTC());
  }

  @Bean
  public LaunchContexts launchContexts() {
    return new LaunchContexts(Clock.systemUTC());
  }

  @Bean
  public ServerUrls serverUrls(VitalsServerProperties properties) {
    return new ServerUrls(properties.security().publicUrl());
  }

  static Path securityDir(VitalsServerProperties properties) {
    return properties.dataDir().resolve("security");
  }

  static boolean isBlank(Path path) {
    return path == null || path.toString().isBlank();
  }
}
