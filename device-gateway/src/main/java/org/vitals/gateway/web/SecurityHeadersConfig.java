package org.vitals.gateway.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vitals.support.web.SecurityHeadersFilter;

/**
 * Security headers on the gateway's HTTP API (docs/security.md, "HTTP headers"). Dead letters hold
 * readings as received and assignments name patients: no caching, no framing, no sniffing, no
 * referrer; HSTS when the request came over TLS. The shared API filter (decision 0935).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityHeadersConfig {

  @Bean
  SecurityHeadersFilter securityHeadersFilter() {
    return SecurityHeadersFilter.forApi();
  }
}
