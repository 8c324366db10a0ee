package org.vitals.fhir.security.authserver;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Lets a public SMART app use its refresh token ({@code grant_type=refresh_token} with only {@code
 * client_id}, as SMART App Launch 2.2 describes for public clients). The refresh token itself is
 * checked by Spring's refresh-token provider (bound to this client, rotated on use).
 */
final class PublicClientRefresh {

  private PublicClientRefresh() {}

  static final class Converter implements AuthenticationConverter {
    @Override
    public Authentication convert(HttpServletRequest request) {
      if (!"POST".equals(request.getMethod())
          || !AuthorizationGrantType.REFRESH_TOKEN
              .getValue()
              .equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))
          || request.getParameter(OAuth2ParameterNames.CLIENT_ID) == null
          || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
          || request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null
          || request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
        return null;
      }
      return new OAuth2ClientAuthenticationToken(
          request.getParameter(OAuth2ParameterNames.CLIENT_ID),
          ClientAuthenticationMethod.NONE,
          null,
          Map.of());
    }
  }

  static final class Provider implements AuthenticationProvider {
    private final RegisteredClientRepository clients;

    Provider(RegisteredClientRepository clients) {
      this.clients = clients;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
      OAuth2ClientAuthenticationToken token = (OAuth2ClientAuthenticationToken) authentication;
      if (!ClientAuthenticationMethod.NONE.equals(token.getClientAuthenticationMethod())
          || token.getCredentials() != null
          || !token.getAdditionalParameters().isEmpty()) {
        return null;
      }
      RegisteredClient client = clients.findByClientId(String.valueOf(token.getPrincipal()));
      if (client == null
          || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
        throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
      }
      return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
    }

    @Override
    public boolean supports(Class<?> authentication) {
      return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
    }
  }
}
