package org.vitals.fhir.security.authserver;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.vitals.fhir.security.LaunchContexts;
import org.vitals.fhir.security.ScopePolicy;
import org.vitals.fhir.security.ServerUrls;
import org.vitals.fhir.security.realm.SecurityRealm;

/**
 * SMART checks on the authorization request (SMART App Launch 2.2 "Obtain authorization code"):
 * exact redirect URI, {@code state} present, {@code aud} naming this FHIR server, scopes within the
 * client's registration, and a {@code launch} that resolves (and belongs to the signed-in user).
 * Spring Authorization Server itself requires PKCE and accepts only {@code S256}.
 */
final class SmartAuthorizationRequestValidator
    implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

  private final LaunchContexts launches;
  private final SecurityRealm realm;

  SmartAuthorizationRequestValidator(LaunchContexts launches, SecurityRealm realm) {
    this.launches = launches;
    this.realm = realm;
  }

  @Override
  public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
    OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
    RegisteredClient client = context.getRegisteredClient();
    String redirect = request.getRedirectUri();
    if (redirect == null || !client.getRedirectUris().contains(redirect)) {
      // Never redirect to an unregistered URI: the error is shown by the server instead.
      throw new OAuth2AuthorizationCodeRequestAuthenticationException(
          error(
              OAuth2ErrorCodes.INVALID_REQUEST,
              "redirect_uri must be one registered for " + client.getClientId()),
          withoutRedirect(request));
    }
    if (request.getState() == null || request.getState().isBlank()) {
      fail(request, OAuth2ErrorCodes.INVALID_REQUEST, "state is required");
    }
    Map<String, Object> params = request.getAdditionalParameters();
    String fhirBase =
        ServerUrls.fhirBase(AuthorizationServerContextHolder.getContext().getIssuer());
    Object aud = params.getOrDefault("aud", params.get("resource"));
    if (!fhirBase.equals(aud)) {
      fail(
          request,
          OAuth2ErrorCodes.INVALID_REQUEST,
          "aud must be this FHIR server's base URL " + fhirBase + ", was " + aud);
    }
    ScopePolicy.refusedForApp(client.getScopes(), request.getScopes())
        .ifPresent(reason -> fail(request, OAuth2ErrorCodes.INVALID_SCOPE, reason));
    if (request.getScopes().contains("launch") && !params.containsKey("launch")) {
      fail(request, OAuth2ErrorCodes.INVALID_REQUEST, "scope launch needs the launch parameter");
    }
    Authentication principal = (Authentication) request.getPrincipal();
    if (principal != null && principal.isAuthenticated() && params.containsKey("launch")) {
      checkLaunch(request, principal.getName(), String.valueOf(params.get("launch")));
    }
  }

  private void checkLaunch(
      OAuth2AuthorizationCodeRequestAuthenticationToken request, String username, String launch) {
    Optional<LaunchContexts.LaunchContext> context = launches.resolve(launch);
    if (context.isEmpty()) {
      fail(request, OAuth2ErrorCodes.INVALID_REQUEST, "launch is unknown or has expired");
    }
    if (context.get().user() != null && !context.get().user().equals(username)) {
      fail(request, OAuth2ErrorCodes.ACCESS_DENIED, "launch was started by another user");
    }
    Optional<SecurityRealm.User> user = realm.user(username);
    if (user.isPresent()
        && user.get().patient()
        && !user.get().fhirUser().equals("Patient/" + context.get().patient())) {
      fail(
          request,
          OAuth2ErrorCodes.ACCESS_DENIED,
          "a patient can only launch with their own record");
    }
  }

  private static void fail(
      OAuth2AuthorizationCodeRequestAuthenticationToken request, String code, String description) {
    throw new OAuth2AuthorizationCodeRequestAuthenticationException(
        error(code, description), request);
  }

  private static OAuth2Error error(String code, String description) {
    return new OAuth2Error(code, description, null);
  }

  private static OAuth2AuthorizationCodeRequestAuthenticationToken withoutRedirect(
      OAuth2AuthorizationCodeRequestAuthenticationToken request) {
    return new OAuth2AuthorizationCodeRequestAuthenticationToken(
        request.getAuthorizationUri(),
        request.getClientId(),
        (Authentication) request.getPrincipal(),
        null,
        request.getState(),
        request.getScopes(),
        request.getAdditionalParameters());
  }
}
