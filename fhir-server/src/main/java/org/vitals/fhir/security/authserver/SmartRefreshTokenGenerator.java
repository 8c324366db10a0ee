package org.vitals.fhir.security.authserver;

import java.time.Instant;
import java.util.Base64;
import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Refresh tokens the SMART way: issued when {@code offline_access} or {@code online_access} was
 * granted, to public apps too (Spring's own generator never gives public clients one; SMART apps
 * such as fhirclient.js rely on them, protected by PKCE at the first exchange and by rotation).
 */
final class SmartRefreshTokenGenerator implements OAuth2TokenGenerator<OAuth2RefreshToken> {

  private final StringKeyGenerator keys =
      new Base64StringKeyGenerator(Base64.getUrlEncoder().withoutPadding(), 48);

  @Override
  public OAuth2RefreshToken generate(OAuth2TokenContext context) {
    if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())
        || AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
      return null;
    }
    if (!context.getAuthorizedScopes().contains("offline_access")
        && !context.getAuthorizedScopes().contains("online_access")) {
      return null;
    }
    Instant now = Instant.now();
    return new OAuth2RefreshToken(
        keys.generateKey(),
        now,
        now.plus(context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive()));
  }
}
