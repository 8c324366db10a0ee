package org.vitals.fhir.relay;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.core.env.PropertyResolver;

/**
 * Where the CDS relay sends calls and what it signs (decision 0806). Environment:
 *
 * <ul>
 *   <li>{@code VITALS_CDS_URL}: base URL the relay connects to ({@code http://cds-hooks:8082});
 *       unset: {@code http://localhost:8082} in the demo profile, no relay in production; {@code
 *       off}: no relay;
 *   <li>{@code VITALS_CDS_PUBLIC_URL}: the CDS service's own public base, which its JWT audience is
 *       checked against (the same setting cds-hooks reads); unset: {@code VITALS_CDS_URL};
 *   <li>{@code VITALS_CDS_RELAY_KEY}: private JWK that signs the relay's CDS client JWTs (required
 *       in production; demo: made under the data folder);
 *   <li>{@code VITALS_CDS_CLIENT_ID}: the CDS service's client id here, {@code
 *       fhirAuthorization.subject} (default {@code vitals-cds}).
 * </ul>
 *
 * @param connectUrl base URL the relay connects to; null: relay off
 * @param audienceUrl base URL the JWT's {@code aud} is built on
 * @param clientId the CDS service's client id at this authorization server
 */
public record CdsRelaySettings(URI connectUrl, String audienceUrl, String clientId) {

  static final String DEMO_CDS_URL = "http://localhost:8082";

  public boolean enabled() {
    return connectUrl != null;
  }

  /** Settings from the environment; a malformed URL is an error naming the setting. */
  public static CdsRelaySettings from(PropertyResolver env) {
    List<String> problems = problems(env, false);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join("; ", problems));
    }
    String url = connectSetting(env);
    if (url == null) {
      return new CdsRelaySettings(null, null, clientId(env));
    }
    String audience = env.getProperty("VITALS_CDS_PUBLIC_URL", "").trim();
    return new CdsRelaySettings(
        URI.create(url), strip(audience.isEmpty() ? url : audience), clientId(env));
  }

  /**
   * What is wrong with the relay settings; with {@code production} also what production refuses: a
   * relay without its own key, sharing the token signing key, or without a fixed issuer.
   */
  public static List<String> problems(PropertyResolver env, boolean production) {
    List<String> problems = new ArrayList<>();
    String url = connectSetting(env);
    for (String name : new String[] {"VITALS_CDS_URL", "VITALS_CDS_PUBLIC_URL"}) {
      String value = name.equals("VITALS_CDS_URL") ? url : env.getProperty(name, "").trim();
      if (value != null && !value.isEmpty() && !httpUrl(value)) {
        problems.add(name + " '" + value + "' is not an http(s) URL (https://cds.example.org)");
      }
    }
    if (!production || url == null) {
      return problems;
    }
    String key = env.getProperty("VITALS_CDS_RELAY_KEY", "").trim();
    if (key.isEmpty()) {
      problems.add(
          "VITALS_CDS_RELAY_KEY is not set, but the CDS relay is on (VITALS_CDS_URL="
              + url
              + "): give its private JWK from a secret (java deploy/tools/MakeJwk.java client"
              + " cds-relay <dir>: cds-relay.private.jwk.json), or VITALS_CDS_URL=off");
    } else if (key.equals(env.getProperty("vitals.security.signing-key-file", "").trim())) {
      problems.add(
          "VITALS_CDS_RELAY_KEY is the token signing key: the relay needs a key of its own");
    }
    if (env.getProperty("vitals.security.public-url", "").isBlank()) {
      problems.add(
          "VITALS_PUBLIC_URL is not set, so the CDS relay's JWT issuer would follow each request's"
              + " Host header: set it (the issuer the CDS service trusts)");
    }
    return problems;
  }

  /** The base URL to connect to, or null when the relay is off. */
  static String connectSetting(PropertyResolver env) {
    String url = env.getProperty("VITALS_CDS_URL", "").trim();
    if (url.equalsIgnoreCase("off")) {
      return null;
    }
    if (url.isEmpty()) {
      String profile = env.getProperty("vitals.profile", "demo").trim().toLowerCase(Locale.ROOT);
      return profile.equals("demo") ? DEMO_CDS_URL : null;
    }
    return strip(url);
  }

  private static String clientId(PropertyResolver env) {
    String id = env.getProperty("VITALS_CDS_CLIENT_ID", "").trim();
    return id.isEmpty() ? "vitals-cds" : id;
  }

  private static boolean httpUrl(String value) {
    try {
      URI uri = URI.create(value);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getQuery() == null
          && uri.getFragment() == null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String strip(String url) {
    return url.replaceAll("/+$", "");
  }
}
