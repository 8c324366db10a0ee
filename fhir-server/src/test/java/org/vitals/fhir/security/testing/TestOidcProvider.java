package org.vitals.fhir.security.testing;

import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * An external OpenID Connect identity provider for tests: a second Spring Authorization Server, as
 * Spring Boot configures one from properties, on a free port of 127.0.0.1 (so its cookies never mix
 * with the FHIR server's on localhost). One confidential client ({@link #CLIENT_ID}, secret basic,
 * authorization code, {@code openid profile}) redirecting to the given URI; users with the password
 * {@value #PASSWORD} whose ID tokens carry the given claims.
 */
public final class TestOidcProvider implements AutoCloseable {

  public static final String CLIENT_ID = "vitals-fhir-it";
  public static final String PASSWORD = "idp-password";

  private final ConfigurableApplicationContext context;
  private final String secret;

  private TestOidcProvider(ConfigurableApplicationContext context, String secret) {
    this.context = context;
    this.secret = secret;
  }

  /**
   * @param redirectUri the FHIR server's {@code /login/oauth2/code/oidc}
   * @param claimsByUser user name → extra ID token claims
   */
  public static TestOidcProvider start(
      String redirectUri, Map<String, Map<String, Object>> claimsByUser) {
    String secret = UUID.randomUUID().toString();
    String client = "spring.security.oauth2.authorizationserver.client.vitals.registration.";
    Idp.claims = claimsByUser;
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(Idp.class)
            .properties(
                "spring.config.name=vitals-test-idp",
                "server.port=0",
                "server.address=127.0.0.1",
                "server.servlet.session.cookie.name=IDPSESSION",
                "spring.jmx.enabled=false",
                "spring.main.banner-mode=off",
                "management.endpoints.enabled-by-default=false",
                client + "client-id=" + CLIENT_ID,
                client + "client-secret={noop}" + secret,
                client + "client-authentication-methods=client_secret_basic",
                client + "authorization-grant-types=authorization_code",
                client + "redirect-uris=" + redirectUri,
                client + "scopes=openid,profile")
            .run();
    return new TestOidcProvider(context, secret);
  }

  public String issuer() {
    return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  public String clientSecret() {
    return secret;
  }

  @Override
  public void close() {
    context.close();
  }

  /**
   * The provider's application. Deliberately not a {@code @Configuration}: the FHIR server's
   * component scan covers this package in tests, and must not pick up a second user store.
   */
  @EnableAutoConfiguration(
      exclude = {
        DataSourceAutoConfiguration.class,
        HibernateJpaAutoConfiguration.class,
        FlywayAutoConfiguration.class,
        QuartzAutoConfiguration.class,
        ElasticsearchRestClientAutoConfiguration.class,
        ElasticsearchClientAutoConfiguration.class
      })
  static class Idp {
    static volatile Map<String, Map<String, Object>> claims = Map.of();

    @Bean
    UserDetailsService idpUsers() {
      InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
      for (String name : claims.keySet()) {
        users.createUser(
            User.withUsername(name).password("{noop}" + PASSWORD).roles("USER").build());
      }
      return users;
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> idpClaims() {
      return context -> {
        if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
          claims
              .getOrDefault(context.getPrincipal().getName(), Map.of())
              .forEach(context.getClaims()::claim);
        }
      };
    }
  }
}
