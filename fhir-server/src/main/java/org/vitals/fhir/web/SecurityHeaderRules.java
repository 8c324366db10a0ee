package org.vitals.fhir.web;

import jakarta.servlet.http.HttpServletRequest;
import org.vitals.fhir.relay.CdsRelaySettings;
import org.vitals.fhir.security.ServerUrls;
import org.vitals.fhir.security.oidc.OidcSettings;
import org.vitals.support.web.SecurityHeadersFilter.Framing;
import org.vitals.support.web.SecurityHeadersFilter.Rules;

/**
 * What the FHIR server's security headers say per path (docs/security.md, "HTTP headers";
 * docs/decisions/0932-security-headers-and-framing.md); the shared {@code SecurityHeadersFilter}
 * (decision 0935) sends them and owns them, so the security chains' defaults do not override them:
 *
 * <ul>
 *   <li>framing: the SMART apps and the sign-in pages an app passes through may be framed by this
 *       origin and the EHR origins of {@code VITALS_FRAME_ANCESTORS} (an EHR launch may open the
 *       app in an iframe); everything else may not be framed at all; the apps also get their full
 *       Content-Security-Policy ({@link AppContentSecurityPolicy}, decision 0808);
 *   <li>{@code Cache-Control: no-store} on the FHIR API, the SMART endpoints and the CDS relay,
 *       whose answers carry patient data or tokens.
 * </ul>
 */
public class SecurityHeaderRules implements Rules {

  private final String frameAncestors;
  private final AppContentSecurityPolicy appPolicy;
  private final ServerUrls urls;

  public SecurityHeaderRules(
      String ehrOrigins,
      String cdsPublicUrl,
      CdsRelaySettings relay,
      OidcSettings oidc,
      ServerUrls urls) {
    this.urls = urls;
    this.appPolicy =
        new AppContentSecurityPolicy(
            relay.enabled() ? relay.audienceUrl() : cdsPublicUrl, oidc.issuer());
    StringBuilder sources = new StringBuilder("'self'");
    for (String origin : ehrOrigins.trim().split("[,\\s]+")) {
      if (!origin.isBlank()) {
        if (!origin.matches("https?://[A-Za-z0-9.\\-]+(:\\d+)?")) {
          throw new IllegalArgumentException(
              "VITALS_FRAME_ANCESTORS entry '"
                  + origin
                  + "' is not an origin (https://ehr.example.org[:port])");
        }
        sources.append(' ').append(origin);
      }
    }
    this.frameAncestors = sources.toString();
  }

  @Override
  public Framing framing(HttpServletRequest request, String path) {
    if (app(path)) {
      // The apps' full policy (decision 0808); it includes frame-ancestors.
      return Framing.allowedBy(appPolicy.header(urls.issuer(request), frameAncestors));
    }
    if (frameable(path)) {
      // No X-Frame-Options: it cannot name the EHR's origin; browsers follow frame-ancestors.
      return Framing.allowedBy("frame-ancestors " + frameAncestors);
    }
    return Framing.denied("frame-ancestors 'none'");
  }

  @Override
  public boolean noStore(String path) {
    return carriesPatientDataOrTokens(path);
  }

  static boolean app(String path) {
    return path.equals("/apps") || path.startsWith("/apps/");
  }

  /** The apps and what an app opened in an EHR frame passes through to sign in. */
  static boolean frameable(String path) {
    return app(path)
        || path.equals("/login")
        || path.equals("/oauth2/authorize")
        || path.equals("/smart/patient-picker");
  }

  static boolean carriesPatientDataOrTokens(String path) {
    return path.startsWith("/fhir")
        || path.startsWith("/oauth2/")
        || path.startsWith("/smart/")
        || path.startsWith("/cds-relay/")
        || path.startsWith("/websocket");
  }
}
