package org.vitals.fhir.web;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The Content-Security-Policy header of the SMART apps' responses ({@code /apps/**}, decision
 * 0808): scripts, styles, images, fonts and frames of this origin only (inline style blocks
 * allowed; no inline scripts, no {@code eval}), no plugins, no {@code <base>}, forms to this
 * origin; the apps may connect to this FHIR server (its origin and websocket origin, as the request
 * reached it) and to the configured CDS service; the launcher's frame may also show the external
 * OpenID Connect provider's sign-in. Framing follows {@code frame-ancestors} as for every frameable
 * page.
 */
public final class AppContentSecurityPolicy {

  private final String cdsOrigin;
  private final String identityProviderOrigin;

  /**
   * @param cdsUrl the CDS service's public base URL ({@code https://cds.example.org}), or null
   * @param identityProviderUrl the OpenID Connect issuer, or null
   */
  public AppContentSecurityPolicy(String cdsUrl, String identityProviderUrl) {
    this.cdsOrigin = origin(cdsUrl);
    this.identityProviderOrigin = origin(identityProviderUrl);
  }

  /**
   * @param serverUrl this server's base as the request reached it ({@code https://host[:port]})
   * @param frameAncestors the sources that may frame the apps ({@code 'self' https://ehr...})
   */
  public String header(String serverUrl, String frameAncestors) {
    Set<String> connect = new LinkedHashSet<>();
    connect.add("'self'");
    String self = origin(serverUrl);
    if (self != null) {
      connect.add(self);
      connect.add(self.replaceFirst("^http", "ws"));
    }
    if (cdsOrigin != null) {
      connect.add(cdsOrigin);
    }
    String frames = identityProviderOrigin == null ? "'self'" : "'self' " + identityProviderOrigin;
    return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
        + " img-src 'self' data:; font-src 'self' data:; connect-src "
        + String.join(" ", connect)
        + "; frame-src "
        + frames
        + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors "
        + frameAncestors;
  }

  /** {@code scheme://host[:port]} of an http(s) URL, or null. */
  static String origin(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      return null; // not a URL (a malformed Host header): 'self' still applies
    }
    if (uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      return null;
    }
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }
}
