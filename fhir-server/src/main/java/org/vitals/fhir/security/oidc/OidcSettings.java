package org.vitals.fhir.security.oidc;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.env.PropertyResolver;

/**
 * Sign-in at an external OpenID Connect identity provider (decision 0807), from the environment:
 *
 * <ul>
 *   <li>{@code VITALS_OIDC_ISSUER}: the provider's issuer URL (its {@code
 *       /.well-known/openid-configuration} is read at start); unset: no external sign-in;
 *   <li>{@code VITALS_OIDC_CLIENT_ID}, {@code VITALS_OIDC_CLIENT_SECRET}: this server's client at
 *       the provider (redirect URI {@code <public url>/login/oauth2/code/oidc});
 *   <li>{@code VITALS_OIDC_SCOPES}: default {@code openid profile};
 *   <li>{@code VITALS_OIDC_NAME}: the sign-in link's text, default {@code Hospital sign-in};
 *   <li>who the person is in FHIR: {@code VITALS_OIDC_IDENTIFIER_CLAIM} and {@code
 *       VITALS_OIDC_IDENTIFIER_SYSTEM} (the claim's value is an identifier of that system on
 *       exactly one Practitioner or Patient), or else {@code VITALS_OIDC_FHIR_USER_CLAIM} (default
 *       {@code fhirUser}: the claim is a Practitioner or Patient reference, relative or absolute).
 * </ul>
 */
public record OidcSettings(
    String issuer,
    String clientId,
    String clientSecret,
    List<String> scopes,
    String name,
    String fhirUserClaim,
    String identifierClaim,
    String identifierSystem) {

  public static final String REGISTRATION_ID = "oidc";

  public boolean enabled() {
    return issuer != null;
  }

  public boolean byIdentifier() {
    return identifierClaim != null;
  }

  public static OidcSettings from(PropertyResolver env) {
    List<String> problems = problems(env, false);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join("; ", problems));
    }
    String scopes = get(env, "VITALS_OIDC_SCOPES");
    return new OidcSettings(
        get(env, "VITALS_OIDC_ISSUER"),
        get(env, "VITALS_OIDC_CLIENT_ID"),
        get(env, "VITALS_OIDC_CLIENT_SECRET"),
        List.of((scopes == null ? "openid profile" : scopes).split("[,\\s]+")),
        orDefault(get(env, "VITALS_OIDC_NAME"), "Hospital sign-in"),
        orDefault(get(env, "VITALS_OIDC_FHIR_USER_CLAIM"), "fhirUser"),
        get(env, "VITALS_OIDC_IDENTIFIER_CLAIM"),
        get(env, "VITALS_OIDC_IDENTIFIER_SYSTEM"));
  }

  /** What is wrong; with {@code production} also a plain-HTTP issuer. */
  public static List<String> problems(PropertyResolver env, boolean production) {
    List<String> problems = new ArrayList<>();
    String issuer = get(env, "VITALS_OIDC_ISSUER");
    if (issuer == null) {
      for (String name :
          List.of(
              "VITALS_OIDC_CLIENT_ID",
              "VITALS_OIDC_CLIENT_SECRET",
              "VITALS_OIDC_IDENTIFIER_CLAIM")) {
        if (get(env, name) != null) {
          problems.add(name + " is set but VITALS_OIDC_ISSUER is not: give the provider's issuer");
        }
      }
      return problems;
    }
    URI uri;
    try {
      uri = URI.create(issuer);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null
        || uri.getHost() == null
        || !List.of("http", "https").contains(uri.getScheme())) {
      problems.add("VITALS_OIDC_ISSUER '" + issuer + "' is not an http(s) URL");
    } else if (production && !"https".equals(uri.getScheme())) {
      problems.add(
          "VITALS_OIDC_ISSUER is plain http: sign-in codes and ID tokens would travel in clear");
    }
    if (get(env, "VITALS_OIDC_CLIENT_ID") == null) {
      problems.add("VITALS_OIDC_CLIENT_ID is not set: register this server at the provider");
    }
    if (get(env, "VITALS_OIDC_CLIENT_SECRET") == null) {
      problems.add(
          "VITALS_OIDC_CLIENT_SECRET is not set: give the client secret from the environment");
    }
    if ((get(env, "VITALS_OIDC_IDENTIFIER_CLAIM") == null)
        != (get(env, "VITALS_OIDC_IDENTIFIER_SYSTEM") == null)) {
      problems.add(
          "VITALS_OIDC_IDENTIFIER_CLAIM and VITALS_OIDC_IDENTIFIER_SYSTEM go together: the claim"
              + " names the identifier, the system says whose identifiers they are");
    }
    return problems;
  }

  private static String get(PropertyResolver env, String name) {
    String value = env.getProperty(name, "").trim();
    return value.isEmpty() ? null : value;
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
