package org.vitals.cds.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vitals.support.web.SecurityHeadersFilter;

/**
 * The browser security headers of every CDS response (docs/security.md, "HTTP headers"): cards name
 * patients and findings, so nothing is cached or framed, content types are not sniffed, no referrer
 * leaves, and HSTS is sent on TLS requests. The doctor app reads the cards by fetch (CORS), which
 * none of these headers restrict. The shared API filter (decision 0935).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityHeadersConfig {

  @Bean
  SecurityHeadersFilter securityHeadersFilter() {
    return SecurityHeadersFilter.forApi();
  }
}
