package org.vitals.fhir.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vitals.fhir.relay.CdsRelaySettings;
import org.vitals.fhir.security.ServerUrls;
import org.vitals.fhir.security.oidc.OidcSettings;
import org.vitals.support.web.SecurityHeadersFilter;

/** The browser security headers of every response: the shared filter with the server's rules. */
@Configuration(proxyBeanMethods = false)
public class SecurityHeadersConfig {

  @Bean
  SecurityHeadersFilter securityHeadersFilter(
      @Value("${VITALS_FRAME_ANCESTORS:}") String ehrOrigins,
      @Value("${VITALS_CDS_PUBLIC_URL:}") String cdsPublicUrl,
      CdsRelaySettings relay,
      OidcSettings oidc,
      ServerUrls urls) {
    return new SecurityHeadersFilter(
        new SecurityHeaderRules(ehrOrigins, cdsPublicUrl, relay, oidc, urls), true);
  }
}
