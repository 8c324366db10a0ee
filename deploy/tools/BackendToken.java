// SMART Backend Services token client with the JDK only (no dependencies), for scripts and
// operators: run-local uses it to register the simulator's devices when security is on, the
// run-local test to read Observations, an operator to get a token for Prometheus scraping.
//
//   java deploy/tools/BackendToken.java <fhir base> <client id> <private JWK file> <scope>
//
// Prints the access token on stdout (nothing else). The private key (an EC P-384 or RSA private
// JWK, as the FHIR server writes under VITALS_DATA_DIR/security/clients/) is read from the file
// and never printed. Steps: GET {fhir base}/.well-known/smart-configuration for token_endpoint,
// sign a client assertion (ES384 or RS384; iss = sub = client id, aud = token endpoint, exp 4 min,
// random jti), POST client_credentials (fhir-server/README.md, "Backend services").

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class BackendToken {

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println(
          "usage: java BackendToken.java <fhir base> <client id> <private JWK file> <scope>");
      System.exit(2);
    }
    String base = args[0].replaceAll("/+$", "");
    String clientId = args[1];
    String jwk = Files.readString(Path.of(args[2]));
    String scope = args[3];

    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> conf =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/.well-known/smart-configuration"))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (conf.statusCode() != 200) {
      fail("smart-configuration at " + base + " answered HTTP " + conf.statusCode());
    }
    String tokenEndpoint = field(conf.body(), "token_endpoint");
    if (tokenEndpoint == null) {
      fail("no token_endpoint in " + base + "/.well-known/smart-configuration");
    }

    String kty = field(jwk, "kty");
    String alg = "EC".equals(kty) ? "ES384" : "RS384";
    String kid = field(jwk, "kid");
    Instant now = Instant.now();
    String header =
        "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"" + (kid == null ? "" : ",\"kid\":\"" + kid + "\"") + "}";
    String claims =
        "{\"iss\":\""
            + clientId
            + "\",\"sub\":\""
            + clientId
            + "\",\"aud\":\""
            + tokenEndpoint
            + "\",\"iat\":"
            + now.getEpochSecond()
            + ",\"exp\":"
            + now.plusSeconds(240).getEpochSecond()
            + ",\"jti\":\""
            + UUID.randomUUID()
            + "\"}";
    String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
    Signature signer;
    if ("EC".equals(kty)) {
      if (!"P-384".equals(field(jwk, "crv"))) {
        fail("EC keys must be on P-384 (ES384)");
      }
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp384r1"));
      PrivateKey key =
          KeyFactory.getInstance("EC")
              .generatePrivate(
                  new ECPrivateKeySpec(num(jwk, "d"), p.getParameterSpec(ECParameterSpec.class)));
      signer = Signature.getInstance("SHA384withECDSAinP1363Format");
      signer.initSign(key);
    } else if ("RSA".equals(kty)) {
      PrivateKey key =
          field(jwk, "p") != null
              ? KeyFactory.getInstance("RSA")
                  .generatePrivate(
                      new RSAPrivateCrtKeySpec(
                          num(jwk, "n"), num(jwk, "e"), num(jwk, "d"), num(jwk, "p"),
                          num(jwk, "q"), num(jwk, "dp"), num(jwk, "dq"), num(jwk, "qi")))
              : KeyFactory.getInstance("RSA")
                  .generatePrivate(new RSAPrivateKeySpec(num(jwk, "n"), num(jwk, "d")));
      signer = Signature.getInstance("SHA384withRSA");
      signer.initSign(key);
    } else {
      fail("unsupported key type " + kty + " (EC P-384 or RSA)");
      return;
    }
    signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    String assertion = signingInput + "." + b64(signer.sign());

    String form =
        "grant_type=client_credentials&scope="
            + URLEncoder.encode(scope, StandardCharsets.UTF_8)
            + "&client_assertion_type="
            + URLEncoder.encode(
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
            + "&client_assertion="
            + assertion;
    HttpResponse<String> token =
        http.send(
            HttpRequest.newBuilder(URI.create(tokenEndpoint))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String accessToken = field(token.body(), "access_token");
    if (token.statusCode() != 200 || accessToken == null) {
      String error = field(token.body(), "error");
      String description = field(token.body(), "error_description");
      fail(
          "token endpoint "
              + tokenEndpoint
              + " answered HTTP "
              + token.statusCode()
              + (error == null ? "" : ": " + error)
              + (description == null ? "" : " (" + description + ")"));
    }
    System.out.println(accessToken);
  }

  /** A top-level string field of a flat JSON object (enough for JWKs and OAuth answers). */
  static String field(String json, String name) {
    Matcher m =
        Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
            .matcher(json);
    return m.find() ? m.group(1).replace("\\/", "/") : null;
  }

  static BigInteger num(String jwk, String name) {
    String v = field(jwk, name);
    if (v == null) {
      fail("the JWK has no \"" + name + "\"");
    }
    return new BigInteger(1, Base64.getUrlDecoder().decode(v));
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static void fail(String message) {
    System.err.println("backend-token: " + message);
    System.exit(1);
  }
}
