package org.vitals.fhir.security.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

class ExpiringAuthorizationServiceTest {

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

  @Test
  void findsByEachTokenOfTheRightTypeOnly() {
    ExpiringAuthorizationService service =
        new ExpiringAuthorizationService(Clock.fixed(T0, ZoneOffset.UTC));
    service.save(authorization("a1", "access-1", "refresh-1", Duration.ofDays(1)));
    assertThat(service.findByToken("access-1", OAuth2TokenType.ACCESS_TOKEN).getId())
        .isEqualTo("a1");
    assertThat(service.findByToken("refresh-1", OAuth2TokenType.REFRESH_TOKEN).getId())
        .isEqualTo("a1");
    assertThat(service.findByToken("refresh-1", null).getId()).isEqualTo("a1");
    assertThat(service.findByToken("refresh-1", OAuth2TokenType.ACCESS_TOKEN)).isNull();
    assertThat(service.findByToken("nope", null)).isNull();
    // A refresh replaces the tokens: the old ones no longer find it.
    service.save(authorization("a1", "access-2", "refresh-2", Duration.ofDays(1)));
    assertThat(service.findByToken("access-1", null)).isNull();
    assertThat(service.findByToken("access-2", null).getId()).isEqualTo("a1");
    service.remove(service.findById("a1"));
    assertThat(service.findByToken("access-2", null)).isNull();
  }

  @Test
  void forgetsAuthorizationsWhoseTokensHaveAllExpired() {
    MutableClock clock = new MutableClock(T0);
    ExpiringAuthorizationService service = new ExpiringAuthorizationService(clock);
    service.save(authorization("backend", "access-b", null, null));
    service.save(authorization("app", "access-a", "refresh-a", Duration.ofDays(30)));
    clock.now = T0.plus(Duration.ofHours(2));
    service.purgeExpired();
    assertThat(service.findById("backend")).isNull();
    assertThat(service.findByToken("access-b", null)).isNull();
    // Still refreshable: kept.
    assertThat(service.findByToken("refresh-a", OAuth2TokenType.REFRESH_TOKEN)).isNotNull();
    assertThat(service.size()).isEqualTo(1);
  }

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
