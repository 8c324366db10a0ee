package org.vitals.cds.auth;

import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import org.vitals.cds.config.CdsProperties;

/**
 * CORS first (so browser clients such as the CDS Hooks Sandbox can read even a 401), then the JWT
 * check on /cds-services/** unless {@code VITALS_CDS_AUTH=off}.
 */
@Configuration
public class AuthConfig {

  private static final Logger log = LoggerFactory.getLogger(AuthConfig.class);

  @Bean
  FilterRegistrationBean<CorsFilter> cdsCors(CdsProperties props) {
    CorsConfiguration cors = new CorsConfiguration();
    List<String> origins =
        Arrays.stream(props.corsOrigins().split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    cors.setAllowedOriginPatterns(origins);
    cors.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
    cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept"));
    cors.setExposedHeaders(List.of("WWW-Authenticate"));
    cors.setMaxAge(3600L);
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/cds-services", cors);
    source.registerCorsConfiguration("/cds-services/**", cors);
    FilterRegistrationBean<CorsFilter> bean = new FilterRegistrationBean<>(new CorsFilter(source));
    bean.addUrlPatterns("/cds-services", "/cds-services/*");
    bean.setOrder(0);
    return bean;
  }

  @Bean
  FilterRegistrationBean<CdsClientAuthFilter> cdsClientAuth(CdsProperties props) {
    TrustedIssuers issuers = TrustedIssuers.parse(props.trustedIssuers());
    FilterRegistrationBean<CdsClientAuthFilter> bean =
        new FilterRegistrationBean<>(
            new CdsClientAuthFilter(new CdsJwtVerifier(issuers), props.publicUrl()));
    bean.addUrlPatterns("/cds-services", "/cds-services/*", "/recommendations/*");
    bean.setOrder(1);
    if (!props.authRequired()) {
      log.warn("VITALS_CDS_AUTH=off: CDS clients are NOT authenticated (local development only)");
      bean.setEnabled(false);
    } else if (issuers.jwksByIssuer().isEmpty()) {
      log.warn("No VITALS_CDS_TRUSTED_ISSUERS: every CDS request will be refused with 401");
    }
    return bean;
  }
}
