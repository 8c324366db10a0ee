package org.vitals.fhir.security.oidc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.vitals.fhir.security.realm.SecurityRealm;

/**
 * Loads the provider's user (Spring's {@link OidcUserService}: ID token checked, UserInfo read) and
 * maps it to its Practitioner or Patient. The signed-in name becomes {@link
 * SecurityRealm#oidcUsername}: it carries the mapped {@code fhirUser}, so launches, tokens and
 * refreshes (also after a restart, from the stored authorization) know who it is without a
 * session-side table. An account that maps to nobody is refused at sign-in.
 */
public final class MappingOidcUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

  static final String NAME_CLAIM = "vitals_user";
  private static final Logger log = LoggerFactory.getLogger(MappingOidcUserService.class);

  private final OidcUserService delegate = new OidcUserService();
  private final FhirUserMapping mapping;

  MappingOidcUserService(FhirUserMapping mapping) {
    this.mapping = mapping;
  }

  @Override
  public OidcUser loadUser(OidcUserRequest request) {
    OidcUser user = delegate.loadUser(request);
    FhirUserMapping.Result mapped = mapping.map(user.getClaims());
    if (mapped.fhirUser().isEmpty()) {
      log.info("OIDC sign-in refused: {}", mapped.refusal());
      throw new OAuth2AuthenticationException(
          new OAuth2Error("access_denied", "no Vitals user: " + mapped.refusal(), null));
    }
    String fhirUser = mapped.fhirUser().get();
    OidcIdToken id = user.getIdToken();
    Map<String, Object> claims = new HashMap<>(id.getClaims());
    claims.put(NAME_CLAIM, SecurityRealm.oidcUsername(fhirUser, user.getSubject()));
    String role = fhirUser.startsWith("Patient/") ? "ROLE_PATIENT" : "ROLE_PRACTITIONER";
    return new DefaultOidcUser(
        List.of(new SimpleGrantedAuthority(role)),
        new OidcIdToken(id.getTokenValue(), id.getIssuedAt(), id.getExpiresAt(), claims),
        user.getUserInfo(),
        NAME_CLAIM);
  }
}
