package org.vitals.cds.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.vitals.cds.config.CdsProperties;

/**
 * The bearer token the module sends to its own FHIR server (monitor, recommendations): a static
 * token ({@code VITALS_FHIR_TOKEN}), or one obtained with SMART Backend Services (client
 * credentials with a {@code private_key_jwt} assertion signed RS384 or ES384 with the key in {@code
 * VITALS_FHIR_CLIENT_KEY}, client id {@code VITALS_FHIR_CLIENT_ID}), renewed 30 s before it
 * expires; or none (a server with {@code VITALS_SECURITY=off}).
 */
@Component
public class FhirServerToken implements Supplier<String> {

  /**
   * What the monitor and recommendations read and write. Search ({@code s}) on what they write too:
   * the monitor looks up its own Subscriptions, open alerts and last RiskAssessment. Observation
   * create/update and Device create are the ECG annotator's (decision 0712: annotations, AF
   * episodes extended as they go on, the analyser's Device).
   */
  public static final String SCOPES =
      "system/Patient.rs system/Observation.crus system/Condition.rs system/MedicationStatement.rs"
          + " system/MedicationRequest.rs system/RiskAssessment.crus system/DetectedIssue.crus"
          + " system/Communication.crus system/Subscription.crus system/Device.crs";

  private final CdsProperties props;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private String token;
  private Instant renewAt = Instant.EPOCH;

  public FhirServerToken(CdsProperties props) {
    this.props = props;
  }

  @Override
  public synchronized String get() {
    if (notBlank(props.fhirToken())) {
      return props.fhirToken();
    }
    if (!notBlank(props.fhirClientId()) || !notBlank(props.fhirClientKey())) {
      return null;
    }
    if (token == null || Instant.now().isAfter(renewAt)) {
      try {
        fetch();
      } catch (IOException | InterruptedException | RuntimeException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException(
            "SMART backend-services token request for client "
                + props.fhirClientId()
                + " failed: "
                + e.getMessage(),
            e);
      }
    }
    return token;
  }

  private void fetch() throws IOException, InterruptedException {
    String tokenEndpoint = tokenEndpoint();
    String assertion =
        assertion(props.fhirClientId(), tokenEndpoint, loadKey(props.fhirClientKey()));
    String form =
        "grant_type=client_credentials&scope="
            + URLEncoder.encode(SCOPES, StandardCharsets.UTF_8)
            + "&client_assertion_type="
            + URLEncoder.encode(
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
            + "&client_assertion="
            + assertion;
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(tokenEndpoint))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("token endpoint " + tokenEndpoint + " answered " + r.statusCode());
    }
    JsonNode body = json.readTree(r.body());
    if (!body.hasNonNull("access_token")) {
      throw new IOException("token endpoint " + tokenEndpoint + " sent no access_token");
    }
    token = body.get("access_token").asText();
    long expiresIn = body.path("expires_in").asLong(300);
    renewAt = Instant.now().plusSeconds(Math.max(10, expiresIn - 30));
  }

  private String tokenEndpoint() throws IOException, InterruptedException {
    String url = props.fhirUrl().replaceAll("/+$", "") + "/.well-known/smart-configuration";
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(url + " answered " + r.statusCode());
    }
    JsonNode body = json.readTree(r.body());
    if (!body.hasNonNull("token_endpoint")) {
      throw new IOException(url + " names no token_endpoint");
    }
    return body.get("token_endpoint").asText();
  }

  /** The client's private key: a JWK as JSON, or the path of a file that holds one. */
  static JWK loadKey(String value) throws IOException {
    String text = value.trim();
    if (!text.startsWith("{")) {
      text = Files.readString(Path.of(text));
    }
    try {
      JWK jwk = JWK.parse(text);
      if (!jwk.isPrivate()) {
        throw new IOException("VITALS_FHIR_CLIENT_KEY holds a public key; a private JWK is needed");
      }
      return jwk;
    } catch (java.text.ParseException e) {
      throw new IOException("VITALS_FHIR_CLIENT_KEY is not a JWK: " + e.getMessage(), e);
    }
  }

  /** A SMART Backend Services client assertion: iss = sub = client id, aud = token endpoint. */
  static String assertion(String clientId, String tokenEndpoint, JWK key) {
    try {
      JWSAlgorithm alg;
      JWSSigner signer;
      if (key instanceof RSAKey rsa) {
        alg = JWSAlgorithm.RS384;
        signer = new RSASSASigner(rsa);
      } else if (key instanceof ECKey ec) {
        alg = JWSAlgorithm.ES384;
        signer = new ECDSASigner(ec);
      } else {
        throw new IllegalArgumentException("only RSA (RS384) and EC P-384 (ES384) keys are used");
      }
      Instant now = Instant.now();
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
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalArgumentException("cannot sign the client assertion: " + e.getMessage(), e);
    }
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
