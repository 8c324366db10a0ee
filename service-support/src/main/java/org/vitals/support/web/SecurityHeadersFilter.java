package org.vitals.support.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The browser security headers of every response of a service (docs/security.md, "HTTP headers";
 * decisions 0932, 0935), ordered before Spring Security: {@code X-Content-Type-Options: nosniff},
 * {@code Referrer-Policy: no-referrer} (launch parameters and codes travel in URLs), HSTS on TLS
 * requests, and per request path what the service's {@link Rules} decide: the
 * Content-Security-Policy, whether {@code X-Frame-Options: DENY} is sent, and {@code Cache-Control:
 * no-store}. An API that serves no pages uses {@link #forApi()}.
 */
public class SecurityHeadersFilter extends OncePerRequestFilter implements Ordered {

  /** Before Spring Security's filter chain, so its default headers come second. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

  public static final String HSTS = "max-age=31536000; includeSubDomains";

  /** An API answer: no content of its own to run, framed nowhere. */
  public static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

  /** Headers this filter decides when it owns them; later writes are ignored. */
  private static final Set<String> OWNED =
      Set.of(
          "x-frame-options",
          "x-content-type-options",
          "referrer-policy",
          "content-security-policy",
          "strict-transport-security");

  /** What a service decides per request; {@code path} is the request path without the context. */
  public interface Rules {
    Framing framing(HttpServletRequest request, String path);

    /** Whether the answer may carry patient data or tokens, so it must not be cached. */
    boolean noStore(String path);
  }

  /**
   * The Content-Security-Policy of an answer, and whether {@code X-Frame-Options: DENY} goes with
   * it (it cannot name an allowed origin, so an answer that an EHR may frame sends none).
   */
  public record Framing(String contentSecurityPolicy, boolean denyFrames) {
    public static Framing denied(String contentSecurityPolicy) {
      return new Framing(contentSecurityPolicy, true);
    }

    public static Framing allowedBy(String contentSecurityPolicy) {
      return new Framing(contentSecurityPolicy, false);
    }
  }

  private final Rules rules;
  private final boolean ownsHeaders;

  /**
   * @param ownsHeaders whether later writes of the headers set here are ignored (the FHIR server,
   *     whose security chains would otherwise send their own framing headers)
   */
  public SecurityHeadersFilter(Rules rules, boolean ownsHeaders) {
    this.rules = rules;
    this.ownsHeaders = ownsHeaders;
  }

  /**
   * The headers of a JSON API (the gateway's, the CDS services'): nothing cached, framed or run,
   * whatever the path.
   */
  public static SecurityHeadersFilter forApi() {
    Framing api = Framing.denied(API_POLICY);
    return new SecurityHeadersFilter(
        new Rules() {
          @Override
          public Framing framing(HttpServletRequest request, String path) {
            return api;
          }

          @Override
          public boolean noStore(String path) {
            return true;
          }
        },
        false);
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    Framing framing = rules.framing(request, path);
    if (framing.denyFrames()) {
      response.setHeader("X-Frame-Options", "DENY");
    }
    response.setHeader("Content-Security-Policy", framing.contentSecurityPolicy());
    if (request.isSecure()) {
      response.setHeader("Strict-Transport-Security", HSTS);
    }
    if (rules.noStore(path)) {
      response.setHeader("Cache-Control", "no-store");
    }
    chain.doFilter(request, ownsHeaders ? new OwnedHeaders(response) : response);
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
