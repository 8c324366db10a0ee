package org.vitals.cds.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requires a valid CDS client JWT ({@link CdsJwtVerifier}) on discovery, service calls and
 * feedback; answers 401 with the reason otherwise. The audience expected is the public base URL
 * (when configured, for deployments behind a proxy) or the URL of the request, plus the path.
 */
public final class CdsClientAuthFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(CdsClientAuthFilter.class);

  /** Request attribute holding the verified issuer. */
  public static final String ISSUER = "org.vitals.cds.issuer";

  private final CdsJwtVerifier verifier;
  private final String publicUrl;

  public CdsClientAuthFilter(CdsJwtVerifier verifier, String publicUrl) {
    this.verifier = verifier;
    this.publicUrl =
        publicUrl == null || publicUrl.isBlank() ? null : publicUrl.replaceAll("/+$", "");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if ("OPTIONS".equals(request.getMethod())) {
      chain.doFilter(request, response);
      return;
    }
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      reject(response, "a signed JWT is required: Authorization: Bearer <JWT>");
      return;
    }
    String called =
        (publicUrl != null
                ? publicUrl
                : request
                    .getRequestURL()
                    .substring(0, request.getRequestURL().indexOf(request.getRequestURI())))
            + request.getRequestURI();
    try {
      var claims = verifier.verify(header.substring(7).trim(), called);
      request.setAttribute(ISSUER, claims.getIssuer());
    } catch (CdsJwtVerifier.Rejected e) {
      log.info("CDS client JWT refused for {}: {}", request.getRequestURI(), e.getMessage());
      reject(response, e.getMessage());
      return;
    }
    chain.doFilter(request, response);
  }

  private static void reject(HttpServletResponse response, String reason) throws IOException {
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    String safe = reason.replace("\"", "'").replace("\\", "/");
    response.setHeader(
        "WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + safe + "\"");
    response.setContentType("application/json");
    response
        .getOutputStream()
        .write(
            ("{\"error\":\"invalid_token\",\"error_description\":\"" + safe + "\"}")
                .getBytes(StandardCharsets.UTF_8));
  }
}
