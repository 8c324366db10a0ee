package org.vitals.fhir.security.authserver;

import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * The token response with the SMART launch context beside the token ({@code patient}, {@code
 * encounter}, {@code need_patient_banner}), taken from the access token we just signed, and the
 * {@code Cache-Control: no-store} / {@code Pragma: no-cache} headers SMART requires.
 */
final class SmartTokenResponseHandler implements AuthenticationSuccessHandler {

  private final OAuth2AccessTokenResponseAuthenticationSuccessHandler delegate =
      new OAuth2AccessTokenResponseAuthenticationSuccessHandler();

  SmartTokenResponseHandler() {
    delegate.setAccessTokenResponseCustomizer(SmartTokenResponseHandler::addLaunchContext);
  }

  @Override
  public void onAuthenticationSuccess(
      HttpServletRequest request, HttpServletResponse response, Authentication authentication)
      throws IOException, ServletException {
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Pragma", "no-cache");
    delegate.onAuthenticationSuccess(request, response, authentication);
  }

  private static void addLaunchContext(OAuth2AccessTokenAuthenticationContext context) {
    org.springframework.security.oauth2.server.authorization.authentication
            .OAuth2AccessTokenAuthenticationToken
        issued = context.getAuthentication();
    String token = issued.getAccessToken().getTokenValue();
    Map<String, Object> claims;
    try {
      claims = SignedJWT.parse(token).getJWTClaimsSet().getClaims();
    } catch (ParseException e) {
      return;
    }
    // The builder's parameters are replaced as a whole: keep id_token and the others.
    Map<String, Object> extra = new HashMap<>(issued.getAdditionalParameters());
    for (String key :
        new String[] {
          SmartTokenCustomizer.PATIENT,
          SmartTokenCustomizer.ENCOUNTER,
          SmartTokenCustomizer.NEED_PATIENT_BANNER
        }) {
      if (claims.get(key) != null) {
        extra.put(key, claims.get(key));
      }
    }
    context.getAccessTokenResponse().additionalParameters(extra);
  }
}
