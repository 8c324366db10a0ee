package org.vitals.fhir.security.authserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vitals.fhir.security.ServerUrls;

/**
 * SMART discovery, {@code {fhirBase}/.well-known/smart-configuration} (SMART App Launch 2.2
 * "Conformance"): our endpoints and capabilities, JSON whatever the Accept header, open to any
 * origin.
 */
public class SmartConfigurationServlet extends HttpServlet {

  static final List<String> CAPABILITIES =
      List.of(
          "launch-ehr",
          "launch-standalone",
          "authorize-post",
          "client-public",
          "client-confidential-asymmetric",
          "sso-openid-connect",
          "context-banner",
          "context-ehr-patient",
          "context-ehr-encounter",
          "context-standalone-patient",
          "permission-offline",
          "permission-online",
          "permission-patient",
          "permission-user",
          "permission-v1",
          "permission-v2");

  static final List<String> SCOPES =
      List.of(
          "openid",
          "fhirUser",
          "profile",
          "launch",
          "launch/patient",
          "launch/encounter",
          "offline_access",
          "online_access",
          "patient/*.cruds",
          "patient/*.rs",
          "user/*.cruds",
          "user/*.rs",
          "system/*.cruds",
          "system/*.rs",
          "patient/*.read",
          "user/*.read",
          "system/*.read");

  private final transient ServerUrls urls;
  private final transient ObjectMapper json = new ObjectMapper();

  public SmartConfigurationServlet(ServerUrls urls) {
    this.urls = urls;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String issuer = urls.issuer(request);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("issuer", issuer);
    body.put("jwks_uri", issuer + "/oauth2/jwks");
    body.put("authorization_endpoint", issuer + "/oauth2/authorize");
    body.put("token_endpoint", issuer + "/oauth2/token");
    body.put("introspection_endpoint", issuer + "/oauth2/introspect");
    body.put("revocation_endpoint", issuer + "/oauth2/revoke");
    body.put(
        "grant_types_supported",
        List.of("authorization_code", "client_credentials", "refresh_token"));
    body.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
    body.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
    body.put("scopes_supported", SCOPES);
    body.put("response_types_supported", List.of("code"));
    body.put("code_challenge_methods_supported", List.of("S256"));
    body.put("capabilities", CAPABILITIES);
    response.setStatus(200);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Access-Control-Allow-Origin", "*");
    response.setHeader("Cache-Control", "max-age=300");
    json.writeValue(response.getOutputStream(), body);
  }

  @Override
  protected void doOptions(HttpServletRequest request, HttpServletResponse response) {
    response.setHeader("Access-Control-Allow-Origin", "*");
    response.setHeader("Access-Control-Allow-Methods", "GET, OPTIONS");
    response.setHeader("Access-Control-Allow-Headers", "Accept, Authorization");
    response.setStatus(204);
  }
}
