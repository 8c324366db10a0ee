package org.vitals.fhir.security.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.vitals.fhir.config.DatabaseConfig.DatabaseKind;

/**
 * The JDBC authorization store on a real H2 database: the migration creates the tables once,
 * authorizations are found by each of their tokens after a fresh service (as after a restart) reads
 * them, and finished ones are deleted while refreshable ones are kept. PostgreSQL is covered by the
 * browser tests (fhir-server on PostgreSQL, full code flow).
 */
class PersistentAuthorizationsTest {

  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  static final RegisteredClient CLIENT =
      RegisteredClient.withId("c")
          .clientId("app")
          .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
          .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
          .redirectUri("http://localhost/cb")
          .build();

  static OAuth2Authorization authorization(
      String id, String access, String refresh, Duration refreshLife) {
    OAuth2Authorization.Builder builder =
        OAuth2Authorization.withRegisteredClient(CLIENT)
            .id(id)
            .principalName("ana")
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .accessToken(
                new OAuth2AccessToken(
                    OAuth2AccessToken.TokenType.BEARER, access, T0, T0.plus(Duration.ofHours(1))));
    if (refresh != null) {
      builder.refreshToken(new OAuth2RefreshToken(refresh, T0, T0.plus(refreshLife)));
    }
    return builder.build();
  }

  static JdbcTemplate database() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:auth-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    PersistentAuthorizations.migrate(h2, DatabaseKind.H2);
    PersistentAuthorizations.migrate(h2, DatabaseKind.H2); // a second start runs nothing
    return new JdbcTemplate(h2);
  }

  @Test
  void aFreshServiceFindsEachTokenOfTheRightTypeOnly() {
    JdbcTemplate jdbc = database();
    var clients = new InMemoryRegisteredClientRepository(CLIENT);
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    PersistentAuthorizations.service(jdbc, clients, clock)
        .save(authorization("a1", "access-1", "refresh-1", Duration.ofDays(1)));
    var service = PersistentAuthorizations.service(jdbc, clients, clock);
    assertThat(service.findByToken("access-1", OAuth2TokenType.ACCESS_TOKEN).getId())
        .isEqualTo("a1");
    assertThat(service.findByToken("refresh-1", OAuth2TokenType.REFRESH_TOKEN).getId())
        .isEqualTo("a1");
    assertThat(service.findByToken("refresh-1", null).getId()).isEqualTo("a1");
    assertThat(service.findByToken("refresh-1", OAuth2TokenType.ACCESS_TOKEN)).isNull();
    assertThat(service.findByToken("nope", null)).isNull();
    service.save(authorization("a1", "access-2", "refresh-2", Duration.ofDays(1)));
    assertThat(service.findByToken("access-1", null)).isNull();
    assertThat(service.findByToken("access-2", null).getId()).isEqualTo("a1");
    service.remove(service.findById("a1"));
    assertThat(service.findByToken("access-2", null)).isNull();
  }

  @Test
  void deletesAuthorizationsWhoseTokensHaveAllExpired() {
    JdbcTemplate jdbc = database();
    var clients = new InMemoryRegisteredClientRepository(CLIENT);
    var service =
        (PersistentAuthorizations.Purging)
            PersistentAuthorizations.service(
                jdbc, clients, Clock.fixed(T0.plus(Duration.ofHours(2)), ZoneOffset.UTC));
    service.save(authorization("backend", "access-b", null, null));
    service.save(authorization("app", "access-a", "refresh-a", Duration.ofDays(30)));
    assertThat(service.purgeFinished()).isEqualTo(1);
    assertThat(service.findById("backend")).isNull();
    assertThat(service.findByToken("refresh-a", OAuth2TokenType.REFRESH_TOKEN)).isNotNull();
    assertThat(jdbc.queryForObject("select count(*) from oauth2_authorization", Integer.class))
        .isEqualTo(1);
  }
}
