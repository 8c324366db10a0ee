package org.vitals.support.smart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.LongUnaryOperator;

/**
 * A service's access token for its FHIR server, by SMART Backend Services (client credentials grant
 * with a {@code private_key_jwt} client assertion, <a
 * href="https://hl7.org/fhir/smart-app-launch/backend-services.html">SMART App Launch 2.2, Backend
 * Services</a>): the token endpoint comes from {@code {fhirUrl}/.well-known/smart-configuration};
 * the assertion is signed ES384 (EC P-384 key) or RS384 (RSA key) with {@code iss} = {@code sub} =
 * client id, {@code aud} = token endpoint, a 4-minute {@code exp} and a random {@code jti}. The
 * token is cached and renewed when the service's renewal rule says, and after the server answered
 * 401 ({@link #rejected()}). The one copy the gateway and the CDS services share (decisions 0205,
 * 0705, 0935); the settings named in its errors ({@code VITALS_FHIR_CLIENT_ID}, {@code
 * VITALS_FHIR_CLIENT_KEY}) are theirs.
 *
 * <p>Neither the key nor a token is ever logged.
 */
public class BackendServicesToken {
  private final String fhirUrl;
  private final String clientId;
  private final JWK key;
  private final String scopes;
  private final String optionalScopes;
  private final String scopesSetting;
  private final LongUnaryOperator renewAfter;
  private final Clock clock;
  private volatile boolean withoutOptional;
  private volatile java.util.Set<String> granted = java.util.Set.of();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private String token;
  private Instant renewAt = Instant.EPOCH;
  private Instant expiresAt = Instant.EPOCH;
  private volatile String lastError;
  private volatile long fetched;

  /**
   * @param keySetting a private JWK as JSON, or the path of a file that holds one
   * @param optionalScopes asked for too, but left out (once, with a warning) when the server
   *     answers {@code invalid_scope}: the client's registration does not cover them; may be empty
   * @param scopesSetting what to name when the registration does not cover the scopes asked for (a
   *     setting such as {@code VITALS_FHIR_SCOPES}, or where the service's scopes are listed)
   * @param renewAfter seconds after which a token of the given lifetime (seconds) is renewed, e.g.
   *     {@link #renewAfterSeconds}
   * @throws IllegalArgumentException when the client id is empty or the key cannot be read or is
   *     not a private RSA or EC P-384 key (a configuration error, reported at start-up)
   */
  public BackendServicesToken(
      String fhirUrl,
      String clientId,
      String keySetting,
      String scopes,
      String optionalScopes,
      String scopesSetting,
      LongUnaryOperator renewAfter,
      Clock clock) {
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("VITALS_FHIR_CLIENT_ID is empty");
    }
    this.fhirUrl = fhirUrl.replaceAll("/+$", "");
    this.clientId = clientId;
    this.key = loadKey(keySetting);
    this.scopes = scopes;
    this.optionalScopes = optionalScopes == null ? "" : optionalScopes.trim();
    this.scopesSetting = scopesSetting;
    this.renewAfter = renewAfter;
    this.clock = clock;
  }

  private String requested() {
    return optionalScopes.isEmpty() || withoutOptional ? scopes : scopes + " " + optionalScopes;
  }

  /**
   * Whether the granted scopes reach a resource type ({@code system/<type>.*} or {@code
   * system/*.*}); true while unknown (no token could be had yet).
   */
  public boolean reaches(String resourceType) {
    java.util.Set<String> g = granted;
    if (g.isEmpty()) {
      try {
        token();
      } catch (RuntimeException e) {
        return true; // unknown yet; the request that needs it fails and is retried
      }
      g = granted;
    }
    return g.stream()
        .anyMatch(s -> s.startsWith("system/" + resourceType + ".") || s.startsWith("system/*."));
  }

  public String clientId() {
    return clientId;
  }

  public String scopes() {
    return scopes;
  }

  /** Tokens fetched so far (for health and tests). */
  public long fetched() {
    return fetched;
  }

  /**
   * The token to send now, fetched or renewed when due.
   *
   * @throws TokenException when none could be had; the request that needed it is retried later
   */
  public synchronized String token() {
    if (token == null || !clock.instant().isBefore(renewAt)) {
      try {
        fetch();
        lastError = null;
      } catch (IOException | InterruptedException | RuntimeException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        lastError = reason(e);
        token = null;
        throw new TokenException(
            "SMART backend-services token for client '" + clientId + "': " + lastError, e);
      }
    }
    return token;
  }

  /** The server answered 401 to the last token: get a new one next time. */
  public synchronized void rejected() {
    token = null;
  }

  /** A line for a health endpoint (never the token itself). */
  public String status() {
    String error = lastError;
    if (error != null) {
      return "token request failed: " + error;
    }
    synchronized (this) {
      return token == null
          ? "no token yet (client " + clientId + ")"
          : "token of client " + clientId + " valid until " + expiresAt;
    }
  }

  private void fetch() throws IOException, InterruptedException {
    String endpoint = tokenEndpoint();
    String asked = requested();
    String form =
        "grant_type=client_credentials&scope="
            + URLEncoder.encode(asked, StandardCharsets.UTF_8)
            + "&client_assertion_type="
            + URLEncoder.encode(
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
            + "&client_assertion="
            + assertion(clientId, endpoint, key, clock.instant());
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(endpoint))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = parse(r.body());
    if (r.statusCode() != 200
        && body != null
        && "invalid_scope".equals(body.path("error").asText())
        && !optionalScopes.isEmpty()
        && !withoutOptional) {
      withoutOptional = true;
      org.slf4j.LoggerFactory.getLogger(BackendServicesToken.class)
          .warn(
              "Client '{}' is not registered for {} ({}); asking without them",
              clientId,
              optionalScopes,
              body.path("error_description").asText(""));
      fetch();
      return;
    }
    if (r.statusCode() != 200) {
      throw new IOException(refusal(endpoint, r.statusCode(), body));
    }
    if (body == null || !body.hasNonNull("access_token")) {
      throw new IOException("the token endpoint " + endpoint + " sent no access_token");
    }
    Instant now = clock.instant();
    long lifetime = Math.max(1, body.path("expires_in").asLong(300));
    token = body.get("access_token").asText();
    String grantedText = body.path("scope").asText(asked);
    granted = java.util.Set.copyOf(java.util.Arrays.asList(grantedText.trim().split("\\s+")));
    expiresAt = now.plusSeconds(lifetime);
    renewAt = now.plusSeconds(renewAfter.applyAsLong(lifetime));
    fetched++;
  }

  /** What went wrong, also when the exception has no message (a refused connection). */
  public static String reason(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** Renew at 80 % of the lifetime, or 30 s before the end when that is earlier (and possible). */
  public static long renewAfterSeconds(long lifetime) {
    long margin = Math.max(30, lifetime / 5);
    return lifetime - margin > 0 ? lifetime - margin : Math.max(1, lifetime * 4 / 5);
  }

  /** What the token endpoint's refusal means for whoever configures the service. */
  private String refusal(String endpoint, int status, JsonNode body) {
    String error = body == null ? "" : body.path("error").asText("");
    String description = body == null ? "" : body.path("error_description").asText("");
    String said =
        "the token endpoint "
            + endpoint
            + " answered "
            + status
            + (error.isEmpty() ? "" : " " + error)
            + (description.isEmpty() ? "" : " (" + description + ")");
    return switch (error) {
      case "invalid_client" ->
          said
              + ": check VITALS_FHIR_CLIENT_ID (is '"
              + clientId
              + "' registered as a backend client?) and that VITALS_FHIR_CLIENT_KEY is the"
              + " private key of the JWK Set registered for it";
      case "invalid_scope" ->
          said
              + ": the client's registered scopes do not cover "
              + scopesSetting
              + " ("
              + requested()
              + ")";
      case "unauthorized_client", "unsupported_grant_type" ->
          said + ": the client is not registered for the client-credentials grant (type backend)";
      default -> said;
    };
  }

  private JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? null : json.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private String tokenEndpoint() throws IOException, InterruptedException {
    String url = fhirUrl + "/.well-known/smart-configuration";
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(url + " answered " + r.statusCode() + " (is SMART on at the server?)");
    }
    JsonNode body = parse(r.body());
    if (body == null || !body.hasNonNull("token_endpoint")) {
      throw new IOException(url + " names no token_endpoint");
    }
    return body.get("token_endpoint").asText();
  }

  /** The client's private key: a JWK as JSON, or the path of a file that holds one. */
  public static JWK loadKey(String setting) {
    if (setting == null || setting.isBlank()) {
      throw new IllegalArgumentException("VITALS_FHIR_CLIENT_KEY is empty");
    }
    String text = setting.trim();
    if (!text.startsWith("{")) {
      Path file = Path.of(text);
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "VITALS_FHIR_CLIENT_KEY names the file " + file + ", which cannot be read: " + e, e);
      }
    }
    JWK jwk;
    try {
      jwk = JWK.parse(text);
    } catch (java.text.ParseException e) {
      throw new IllegalArgumentException(
          "VITALS_FHIR_CLIENT_KEY is not a JWK (JSON Web Key): " + e.getMessage(), e);
    }
    if (!jwk.isPrivate()) {
      throw new IllegalArgumentException(
          "VITALS_FHIR_CLIENT_KEY holds a public key; the private JWK is needed to sign");
    }
    if (jwk instanceof ECKey ec && !Curve.P_384.equals(ec.getCurve())) {
      throw new IllegalArgumentException(
          "VITALS_FHIR_CLIENT_KEY is an EC key on " + ec.getCurve() + "; ES384 needs P-384");
    }
    if (!(jwk instanceof ECKey) && !(jwk instanceof RSAKey)) {
      throw new IllegalArgumentException(
          "VITALS_FHIR_CLIENT_KEY must be an EC P-384 (ES384) or RSA (RS384) key, not "
              + jwk.getKeyType());
    }
    return jwk;
  }

  /** A SMART Backend Services client assertion: iss = sub = client id, aud = token endpoint. */
  public static String assertion(String clientId, String tokenEndpoint, JWK key, Instant now) {
    try {
      JWSAlgorithm alg;
      JWSSigner signer;
      if (key instanceof RSAKey rsa) {
        alg = JWSAlgorithm.RS384;
        signer = new RSASSASigner(rsa);
      } else {
        alg = JWSAlgorithm.ES384;
        signer = new ECDSASigner((ECKey) key);
      }
      JWTClaimsSet claims =
          new JWTClaimsSet.Builder()
              .issuer(clientId)
              .subject(clientId)
              .audience(tokenEndpoint)
              .issueTime(Date.from(now))
              .expirationTime(Date.from(now.plusSeconds(240)))
              .jwtID(UUID.randomUUID().toString())
              .build();
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
              claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot sign the client assertion: " + e.getMessage(), e);
    }
  }

  /** The token could not be had; the request that needed it is retried later. */
  public static class TokenException extends RuntimeException {
    public TokenException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
