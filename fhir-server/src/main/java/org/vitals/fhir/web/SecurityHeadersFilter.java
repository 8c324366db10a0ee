package org.vitals.fhir.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.vitals.fhir.relay.CdsRelaySettings;
import org.vitals.fhir.security.ServerUrls;
import org.vitals.fhir.security.oidc.OidcSettings;

/**
 * The browser security headers of every response (docs/security.md, "HTTP headers";
 * docs/decisions/0932-security-headers-and-framing.md). It runs before Spring Security and owns
 * these headers, so the security chains' defaults do not override them:
 *
 * <ul>
 *   <li>{@code X-Content-Type-Options: nosniff} and {@code Referrer-Policy: no-referrer} (launch
 *       parameters and authorization codes travel in URLs) everywhere;
 *   <li>framing: the SMART apps and the sign-in pages an app passes through may be framed by this
 *       origin and the EHR origins of {@code VITALS_FRAME_ANCESTORS} (an EHR launch may open the
 *       app in an iframe); everything else may not be framed at all; the apps also get their full
 *       Content-Security-Policy ({@link AppContentSecurityPolicy}, decision 0808);
 *   <li>{@code Strict-Transport-Security} on TLS requests;
 *   <li>{@code Cache-Control: no-store} on the FHIR API, the SMART endpoints and the CDS relay,
 *       whose answers carry patient data or tokens.
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class SecurityHeadersFilter extends OncePerRequestFilter {

  static final String HSTS = "max-age=31536000; includeSubDomains";

  /** Headers this filter decides; later writers (Spring Security's defaults) cannot change them. */
  private static final Set<String> OWNED =
      Set.of(
          "x-frame-options",
          "x-content-type-options",
          "referrer-policy",
          "content-security-policy",
          "strict-transport-security");

  private final String frameAncestors;
  private final AppContentSecurityPolicy appPolicy;
  private final ServerUrls urls;

  public SecurityHeadersFilter(
      @Value("${VITALS_FRAME_ANCESTORS:}") String ehrOrigins,
      @Value("${VITALS_CDS_PUBLIC_URL:}") String cdsPublicUrl,
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
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    if (app(path)) {
      // The apps' full policy (decision 0808); it includes frame-ancestors.
      response.setHeader(
          "Content-Security-Policy", appPolicy.header(urls.issuer(request), frameAncestors));
    } else if (frameable(path)) {
      // No X-Frame-Options: it cannot name the EHR's origin; browsers follow frame-ancestors.
      response.setHeader("Content-Security-Policy", "frame-ancestors " + frameAncestors);
    } else {
      response.setHeader("X-Frame-Options", "DENY");
      response.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
    }
    if (request.isSecure()) {
      response.setHeader("Strict-Transport-Security", HSTS);
    }
    if (carriesPatientDataOrTokens(path)) {
      response.setHeader("Cache-Control", "no-store");
    }
    chain.doFilter(request, new OwnedHeaders(response));
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

  /** Ignores later writes of the headers this filter owns. */
  private static final class OwnedHeaders extends HttpServletResponseWrapper {
    OwnedHeaders(HttpServletResponse response) {
      super(response);
    }

    private static boolean owned(String name) {
      return name != null && OWNED.contains(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public void setHeader(String name, String value) {
      if (!owned(name)) {
        super.setHeader(name, value);
      }
    }

    @Override
    public void addHeader(String name, String value) {
      if (!owned(name)) {
        super.addHeader(name, value);
      }
    }
  }
}
