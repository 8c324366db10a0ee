package org.vitals.fhir.security.oidc;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;

/**
 * External OpenID Connect sign-in beside the realm's form login (decision 0807): the settings, and
 * when {@code VITALS_OIDC_ISSUER} is set the provider's registration (read from its discovery
 * document at start, so a wrong issuer stops the server with the reason) and the user mapping. The
 * interactive security chain adds Spring Security's {@code oauth2Login} with these.
 */
@Configuration
public class OidcSignInConfig {

  private static final Logger log = LoggerFactory.getLogger(OidcSignInConfig.class);

  @Bean
  public OidcSettings oidcSettings(Environment env) {
    return OidcSettings.from(env);
  }

  /** The provider and the mapping, or null when no provider is configured. */
  @Bean
  public OidcSignIn oidcSignIn(OidcSettings settings, DaoRegistry daos) {
    if (!settings.enabled()) {
      return new OidcSignIn(null, null);
    }
    ClientRegistration registration;
    try {
      registration =
          ClientRegistrations.fromIssuerLocation(settings.issuer())
              .registrationId(OidcSettings.REGISTRATION_ID)
              .clientId(settings.clientId())
              .clientSecret(settings.clientSecret())
              .scope(settings.scopes())
              .clientName(settings.name())
              .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
              .build();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "VITALS_OIDC_ISSUER "
              + settings.issuer()
              + ": cannot read its OpenID configuration: "
              + e.getMessage(),
          e);
    }
    log.info(
        "OIDC sign-in at {} (client {}); users mapped by {}",
        settings.issuer(),
        settings.clientId(),
        settings.byIdentifier()
            ? "identifier claim '" + settings.identifierClaim() + "'"
            : "claim '" + settings.fhirUserClaim() + "'");
    return new OidcSignIn(
        new InMemoryClientRegistrationRepository(registration),
        new MappingOidcUserService(new FhirUserMapping(settings, new FhirDirectory(daos))));
  }

  /** What the interactive chain needs for {@code oauth2Login}; both null when off. */
  public record OidcSignIn(
      InMemoryClientRegistrationRepository registrations, MappingOidcUserService users) {
    public boolean enabled() {
      return registrations != null;
    }
  }
}
