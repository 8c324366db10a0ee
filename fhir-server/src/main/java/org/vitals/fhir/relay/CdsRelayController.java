package org.vitals.fhir.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.vitals.fhir.security.ServerUrls;
import org.vitals.fhir.security.SmartAccessToken;

/**
 * The CDS relay (decision 0806): browser apps call the CDS service through this server, which signs
 * the CDS Hooks client JWT a browser cannot keep a key for. The caller's SMART access token was
 * checked by the security chain like a FHIR request's; here the token must be a clinician's and may
 * read the patient named; then the request is sent on with {@code fhirServer} = this FHIR base,
 * {@code fhirAuthorization} = the caller's own token (the service reads exactly what the clinician
 * may read), {@code context.userId} = the token's user, and no prefetch (the service reads from
 * FHIR itself, never data the caller supplied). The CDS service's answer is returned as it is.
 */
@RestController
public class CdsRelayController {

  private static final Logger log = LoggerFactory.getLogger(CdsRelayController.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern RESOURCE_ID = Pattern.compile("[A-Za-z0-9.-]{1,64}");
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final CdsRelaySettings settings;
  private final CdsClientJwt jwt;
  private final ServerUrls urls;
  private final Clock clock = Clock.systemUTC();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public CdsRelayController(CdsRelaySettings settings, CdsClientJwt jwt, ServerUrls urls) {
    this.settings = settings;
    this.jwt = jwt;
    this.urls = urls;
  }

  /** The public key the CDS service trusts this server's relay by. */
  @GetMapping(value = "/cds-relay/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
  public Map<String, Object> jwks() {
    return jwt.publicKeys().toJSONObject(true);
  }

  @GetMapping(value = "/cds-relay/cds-services", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<String> discovery(
      @AuthenticationPrincipal SmartAccessToken token, HttpServletRequest request) {
    Optional<String> refused = RelayPolicy.refusal(token);
    if (refused.isPresent()) {
      return outcome(HttpStatus.FORBIDDEN, "forbidden", refused.get());
    }
    return forward("/cds-services", null, request);
  }

  @PostMapping(value = "/cds-relay/cds-services/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<String> call(
      @PathVariable String id,
      @RequestBody byte[] body,
      @AuthenticationPrincipal SmartAccessToken token,
      HttpServletRequest request) {
    if (!SERVICE_ID.matcher(id).matches()) {
      return outcome(HttpStatus.NOT_FOUND, "not-found", "no such CDS service id");
    }
    ObjectNode hook;
    try {
      JsonNode parsed = JSON.readTree(body);
      if (!(parsed instanceof ObjectNode object)) {
        return outcome(HttpStatus.BAD_REQUEST, "invalid", "the request body must be a JSON object");
      }
      hook = object;
    } catch (IOException e) {
      return outcome(HttpStatus.BAD_REQUEST, "invalid", "the request body is not JSON");
    }
    if (!(hook.get("context") instanceof ObjectNode context)) {
      return outcome(HttpStatus.BAD_REQUEST, "required", "the request needs a context object");
    }
    String patientId = context.path("patientId").asText("").replaceFirst("^Patient/", "");
    if (!RESOURCE_ID.matcher(patientId).matches()) {
      return outcome(HttpStatus.BAD_REQUEST, "required", "context.patientId must be a Patient id");
    }
    Optional<String> refused = RelayPolicy.refusal(token, patientId);
    if (refused.isPresent()) {
      return outcome(HttpStatus.FORBIDDEN, "forbidden", refused.get());
    }
    context.put("patientId", patientId);
    context.put("userId", token.fhirUser().orElseThrow());
    hook.remove("prefetch");
    hook.put("fhirServer", urls.fhirBase(request));
    hook.set("fhirAuthorization", fhirAuthorization(token, bearer(request)));
    return forward("/cds-services/" + id, hook.toString(), request);
  }

  @PostMapping(
      value = "/cds-relay/cds-services/{id}/feedback",
      produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<String> feedback(
      @PathVariable String id,
      @RequestBody byte[] body,
      @AuthenticationPrincipal SmartAccessToken token,
      HttpServletRequest request) {
    if (!SERVICE_ID.matcher(id).matches()) {
      return outcome(HttpStatus.NOT_FOUND, "not-found", "no such CDS service id");
    }
    Optional<String> refused = RelayPolicy.refusal(token);
    if (refused.isPresent()) {
      return outcome(HttpStatus.FORBIDDEN, "forbidden", refused.get());
    }
    try {
      JSON.readTree(body);
    } catch (IOException e) {
      return outcome(HttpStatus.BAD_REQUEST, "invalid", "the request body is not JSON");
    }
    return forward(
        "/cds-services/" + id + "/feedback",
        new String(body, java.nio.charset.StandardCharsets.UTF_8),
        request);
  }

  /** CDS Hooks 2.0 {@code fhirAuthorization}: the caller's token for the rest of its lifetime. */
  private ObjectNode fhirAuthorization(SmartAccessToken token, String accessToken) {
    ObjectNode auth = JSON.createObjectNode();
    auth.put("access_token", accessToken);
    auth.put("token_type", "Bearer");
    auth.put(
        "expires_in",
        Math.max(0, Duration.between(clock.instant(), token.expiresAt()).toSeconds()));
    auth.put("scope", String.join(" ", token.scopes()));
    auth.put("subject", settings.clientId());
    token.patient().ifPresent(p -> auth.put("patient", p));
    return auth;
  }

  private ResponseEntity<String> forward(String path, String json, HttpServletRequest request) {
    if (!settings.enabled()) {
      return outcome(
          HttpStatus.SERVICE_UNAVAILABLE,
          "not-supported",
          "no CDS service is configured for the relay (VITALS_CDS_URL)");
    }
    String audience = settings.audienceUrl() + path;
    HttpRequest.Builder call =
        HttpRequest.newBuilder(URI.create(settings.connectUrl() + path))
            .timeout(CALL_TIMEOUT)
            .header("Accept", "application/json")
            .header("Authorization", "Bearer " + jwt.sign(urls.issuer(request), audience));
    if (json == null) {
      call.GET();
    } else {
      call.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json));
    }
    HttpResponse<String> answer;
    try {
      answer = http.send(call.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      log.warn("CDS relay: {} cannot be reached: {}", settings.connectUrl(), e.toString());
      return outcome(
          HttpStatus.BAD_GATEWAY, "transient", "the CDS service cannot be reached: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return outcome(HttpStatus.SERVICE_UNAVAILABLE, "transient", "interrupted");
    }
    if (answer.statusCode() == 401) {
      // The service does not trust this relay: an operator's problem, not the user's token.
      String why = answer.headers().firstValue("WWW-Authenticate").orElse(answer.body());
      log.warn(
          "CDS relay: {} refused this server's client JWT (issuer {}): {}",
          settings.connectUrl(),
          urls.issuer(request),
          why);
      return outcome(
          HttpStatus.BAD_GATEWAY,
          "security",
          "the CDS service does not accept this server's relay (its VITALS_CDS_TRUSTED_ISSUERS"
              + " needs "
              + urls.issuer(request)
              + "=<this server>/cds-relay/jwks.json): "
              + why);
    }
    return ResponseEntity.status(answer.statusCode())
        .contentType(
            answer
                .headers()
                .firstValue("Content-Type")
                .map(MediaType::parseMediaType)
                .orElse(MediaType.APPLICATION_JSON))
        .body(answer.body());
  }

  private static String bearer(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    return header.substring(header.indexOf(' ') + 1).trim();
  }

  static ResponseEntity<String> outcome(HttpStatus status, String code, String diagnostics) {
    ObjectNode outcome = JSON.createObjectNode().put("resourceType", "OperationOutcome");
    outcome
        .putArray("issue")
        .addObject()
        .put("severity", "error")
        .put("code", code)
        .put("diagnostics", diagnostics);
    return ResponseEntity.status(status)
        .contentType(MediaType.parseMediaType("application/fhir+json"))
        .body(outcome.toString());
  }
}
