package org.vitals.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates the gateway's HTTP API ({@code /api/**}: dead letters with the readings as
 * received, device assignments that name patients, templates, the mapping harness) with a
 * configured bearer credential, {@code VITALS_GATEWAY_API_TOKEN} (decision 0210); only the
 * actuator's health and metrics endpoints stay open. Unset: the API is open, which only the demo
 * profile allows (DemoSecretsGuard refuses it in production). Compared in constant time; a missing
 * or wrong token gets 401 and is never logged.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
public class ApiTokenFilter extends OncePerRequestFilter {
  private final byte[] token;

  public ApiTokenFilter(@Value("${vitals.gateway.api-token:}") String token) {
    this.token =
        token == null || token.isBlank() ? null : token.trim().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Everything but the actuator's endpoints needs the token (deny by default). The path is the
   * container's decoded and normalised one (servlet path plus path info): the raw request URI would
   * let {@code /api;x=1/dead-letters} or {@code /actuator/../api/devices} past a prefix check while
   * Spring MVC still maps them to the API.
   */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    if (token == null) {
      return true;
    }
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    return path.startsWith("/actuator/") && !path.contains("..");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (authorised(request.getHeader("Authorization"))) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("WWW-Authenticate", "Bearer realm=\"vitals-gateway\"");
    response.setContentType("application/json");
    response
        .getWriter()
        .write(
            "{\"error\":\"the gateway API needs Authorization: Bearer <VITALS_GATEWAY_API_TOKEN>\"}");
  }

  boolean authorised(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }
}
