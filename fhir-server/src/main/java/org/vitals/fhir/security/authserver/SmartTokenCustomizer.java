package org.vitals.fhir.security.authserver;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.vitals.fhir.security.LaunchContexts;
import org.vitals.fhir.security.ServerUrls;
import org.vitals.fhir.security.realm.SecurityRealm;

/**
 * Puts the SMART claims into our tokens. Access tokens: audience = the FHIR base, {@code scope} as
 * a space-separated string, {@code client_id}, {@code fhirUser}, and the launch context ({@code
 * patient}, {@code encounter}, {@code need_patient_banner}). ID tokens: {@code fhirUser} as an
 * absolute URL when {@code fhirUser} was granted.
 */
final class SmartTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

  static final String PATIENT = "patient";
  static final String ENCOUNTER = "encounter";
  static final String NEED_PATIENT_BANNER = "need_patient_banner";
  static final String FHIR_USER = "fhirUser";

  private final SecurityRealm realm;
  private final LaunchContexts launches;

  SmartTokenCustomizer(SecurityRealm realm, LaunchContexts launches) {
    this.realm = realm;
    this.launches = launches;
  }

  @Override
  public void customize(JwtEncodingContext context) {
    String fhirBase = ServerUrls.fhirBase(context.getAuthorizationServerContext().getIssuer());
    Set<String> scopes = context.getAuthorizedScopes();
    boolean backend =
        AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType());
    Optional<SecurityRealm.User> user =
        backend ? Optional.empty() : realm.user(context.getPrincipal().getName());
    if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
      var claims = context.getClaims();
      // A mutable list: claims are stored as JSON (decision 0804) and read back through Spring
      // Security's Jackson allowlist, which has no entry for List.of's classes.
      claims.audience(new java.util.ArrayList<>(List.of(fhirBase)));
      claims.claim("client_id", context.getRegisteredClient().getClientId());
      claims.claim("scope", String.join(" ", scopes));
      if (!backend) {
        user.map(SecurityRealm.User::fhirUser).ifPresent(f -> claims.claim(FHIR_USER, f));
        launchClaims(context, user).forEach(claims::claim);
      }
    } else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())
        && scopes.contains(FHIR_USER)) {
      user.map(SecurityRealm.User::fhirUser)
          .ifPresent(f -> context.getClaims().claim(FHIR_USER, fhirBase + "/" + f));
    }
  }

  /** Context of a first token from the launch; of a refreshed one, from the token it replaces. */
  private Map<String, Object> launchClaims(
      JwtEncodingContext context, Optional<SecurityRealm.User> user) {
    OAuth2Authorization authorization = context.getAuthorization();
    if (authorization != null
        && authorization.getAccessToken() != null
        && authorization.getAccessToken().getClaims() != null) {
      Map<String, Object> previous = authorization.getAccessToken().getClaims();
      java.util.HashMap<String, Object> copy = new java.util.HashMap<>();
      for (String key : List.of(PATIENT, ENCOUNTER, NEED_PATIENT_BANNER)) {
        if (previous.get(key) != null) {
          copy.put(key, previous.get(key));
        }
      }
      return copy;
    }
    java.util.HashMap<String, Object> claims = new java.util.HashMap<>();
    OAuth2AuthorizationRequest request =
        authorization == null
            ? null
            : authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
    Object launch = request == null ? null : request.getAdditionalParameters().get("launch");
    if (user.isPresent() && user.get().patient()) {
      claims.put(PATIENT, user.get().fhirUser().substring("Patient/".length()));
      claims.put(NEED_PATIENT_BANNER, true);
      launches
          .resolve(launch == null ? null : launch.toString())
          .filter(l -> l.patient().equals(claims.get(PATIENT)) && l.encounter() != null)
          .ifPresent(l -> claims.put(ENCOUNTER, l.encounter()));
      return claims;
    }
    if (launch != null) {
      LaunchContexts.LaunchContext resolved =
          launches
              .resolve(launch.toString())
              .orElseThrow(
                  () ->
                      new OAuth2AuthenticationException(
                          new OAuth2Error(
                              OAuth2ErrorCodes.INVALID_GRANT,
                              "the launch context has expired; launch the app again",
                              null)));
      claims.put(PATIENT, resolved.patient());
      if (resolved.encounter() != null) {
        claims.put(ENCOUNTER, resolved.encounter());
      }
      claims.put(NEED_PATIENT_BANNER, resolved.needPatientBanner());
    }
    return claims;
  }
}
