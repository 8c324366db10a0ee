package org.vitals.fhir.security.enforcement;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * A FHIR request without a usable token: 401 with {@code WWW-Authenticate: Bearer} (RFC 6750) and
 * an OperationOutcome saying what was wrong with the token (never echoing the token).
 */
public final class FhirAuthenticationEntryPoint implements AuthenticationEntryPoint {

  private final BiConsumer<HttpServletRequest, String> refused;

  public FhirAuthenticationEntryPoint(BiConsumer<HttpServletRequest, String> refused) {
    this.refused = refused;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    boolean tokenGiven =
        request.getHeader("Authorization") != null || request.getParameter("access_token") != null;
    String reason =
        tokenGiven ? e.getMessage() : "this request needs an access token (Authorization: Bearer)";
    refused.accept(request, reason);
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader(
        "WWW-Authenticate",
        tokenGiven
            ? "Bearer error=\"invalid_token\", error_description=\""
                + reason.replace('"', '\'')
                + "\""
            : "Bearer");
    response.setContentType("application/fhir+json;charset=UTF-8");
    String body =
        "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
            + "\"code\":\"login\",\"diagnostics\":\""
            + reason.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\"}]}";
    response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }
}
