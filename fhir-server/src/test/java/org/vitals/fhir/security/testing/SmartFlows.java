package org.vitals.fhir.security.testing;

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
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Drives the SMART flows over plain HTTP, as an app or a backend service would: backend services
 * (client credentials with a signed assertion) and the authorization code flow with PKCE (sign-in
 * form, redirects, code exchange). No browser.
 */
public final class SmartFlows {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

  private final String issuer;

  public SmartFlows(int port) {
    this("http://localhost:" + port);
  }

  public SmartFlows(String issuer) {
    this.issuer = issuer;
  }

  public String issuer() {
    return issuer;
  }

  public String fhirBase() {
    return issuer + "/fhir";
  }

  public String tokenEndpoint() {
    return issuer + "/oauth2/token";
  }

  /** A token response; {@code status} is the HTTP status, {@code body} the parsed JSON. */
  public record TokenResponse(int status, JsonNode body, HttpResponse<String> raw) {
    public String accessToken() {
      return body.path("access_token").asText(null);
    }
  }

  // ---- backend services ----

  public TokenResponse backendToken(String clientId, JWK key, String scope) {
    return tokenRequest(
        form(
            "grant_type",
            "client_credentials",
            "scope",
            scope,
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion",
            assertion(clientId, key, tokenEndpoint(), 300, UUID.randomUUID().toString())));
  }

  /** A client assertion as SMART Backend Services describes it (iss = sub = client id). */
  public static String assertion(
      String clientId, JWK key, String audience, long lifetimeSeconds, String jti) {
    try {
      JWSAlgorithm alg = key instanceof ECKey ? JWSAlgorithm.ES384 : JWSAlgorithm.RS384;
      JWSSigner signer =
          key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
              new JWTClaimsSet.Builder()
                  .issuer(clientId)
                  .subject(clientId)
                  .audience(audience)
                  .expirationTime(Date.from(Instant.now().plusSeconds(lifetimeSeconds)))
                  .issueTime(new Date())
                  .jwtID(jti)
                  .build());
      jwt.sign(signer);
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- authorization code with PKCE ----

  /** One browser session: a cookie jar, no automatic redirects. */
  public final class Browser {
    final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public HttpResponse<String> get(String url) {
      return send(HttpRequest.newBuilder(URI.create(absolute(url))).GET().build());
    }

    /** A page load as a browser asks for it ({@code Accept: text/html}). */
    public HttpResponse<String> getPage(String url) {
      return send(
          HttpRequest.newBuilder(URI.create(absolute(url)))
              .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
              .GET()
              .build());
    }

    public HttpResponse<String> postForm(String url, Map<String, String> form) {
      return send(
          HttpRequest.newBuilder(URI.create(absolute(url)))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
              .build());
    }

    public HttpResponse<String> postJson(String url, String body, Map<String, String> headers) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(absolute(url)))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body));
      headers.forEach(request::header);
      return send(request.build());
    }

    /** Signs in through the login form (after an authorize request sent us there). */
    public HttpResponse<String> signIn(String username, String password) {
      HttpResponse<String> page = get("/login");
      Matcher csrf = CSRF.matcher(page.body());
      if (!csrf.find()) {
        throw new IllegalStateException("no CSRF token on the login page: " + page.body());
      }
      return postForm(
          "/login", Map.of("username", username, "password", password, "_csrf", csrf.group(1)));
    }

    private HttpResponse<String> send(HttpRequest request) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  public Browser browser() {
    return new Browser();
  }

  /**
   * An EHR launch context for {@code patient}, minted by {@code clinician} signed in on {@code
   * browser} ({@code POST /smart/launch} with the CSRF header from {@code /smart/session}).
   */
  public String ehrLaunch(Browser browser, String clinician, String patient, String encounter) {
    browser.signIn(clinician, "demo");
    try {
      JsonNode session = JSON.readTree(browser.get("/smart/session").body());
      HttpResponse<String> minted =
          browser.postJson(
              "/smart/launch",
              "{\"patient\":\"" + patient + "\",\"encounter\":\"" + encounter + "\"}",
              Map.of(session.path("csrfHeader").asText(), session.path("csrfToken").asText()));
      if (minted.statusCode() != 200) {
        throw new IllegalStateException("launch refused: " + minted.body());
      }
      JsonNode body = JSON.readTree(minted.body());
      if (!fhirBase().equals(body.path("iss").asText())) {
        throw new IllegalStateException("launch iss is not " + fhirBase() + ": " + body);
      }
      return body.path("launch").asText();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The parameters of one authorization request; change fields to test refusals. */
  public static final class AuthorizeRequest {
    public String clientId;
    public String redirectUri;
    public String scope;
    public String state = randomText(24);
    public String aud;
    public String codeVerifier = randomText(48);
    public String codeChallengeMethod = "S256";
    public String codeChallenge;
    public final Map<String, String> extra = new LinkedHashMap<>();

    public String query() {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("response_type", "code");
      q.put("client_id", clientId);
      q.put("redirect_uri", redirectUri);
      q.put("scope", scope);
      if (state != null) {
        q.put("state", state);
      }
      if (aud != null) {
        q.put("aud", aud);
      }
      if (codeChallengeMethod != null) {
        q.put(
            "code_challenge",
            codeChallenge != null
                ? codeChallenge
                : "plain".equals(codeChallengeMethod) ? codeVerifier : s256(codeVerifier));
        q.put("code_challenge_method", codeChallengeMethod);
      }
      q.putAll(extra);
      return encode(q);
    }
  }

  public AuthorizeRequest request(String clientId, String redirectUri, String scope) {
    AuthorizeRequest r = new AuthorizeRequest();
    r.clientId = clientId;
    r.redirectUri = redirectUri;
    r.scope = scope;
    r.aud = fhirBase();
    return r;
  }

  /**
   * Authorize, sign in when asked, and return where the server finally sends the browser (the app's
   * redirect URI with {@code code} or {@code error}, or the patient picker).
   */
  public String authorize(Browser browser, AuthorizeRequest request, String user, String password) {
    HttpResponse<String> response = browser.get("/oauth2/authorize?" + request.query());
    String location = response.headers().firstValue("Location").orElse(null);
    if (location != null && location.endsWith("/login")) {
      HttpResponse<String> signedIn = browser.signIn(user, password);
      location = signedIn.headers().firstValue("Location").orElseThrow();
      if (location.contains("/oauth2/authorize")) {
        response = browser.get(location);
        location = response.headers().firstValue("Location").orElse(null);
      }
    }
    if (location == null) {
      return "status " + response.statusCode() + ": " + response.body();
    }
    return location;
  }

  /** The parameters of a redirect URI the server sent the browser to. */
  public static Map<String, String> parameters(String location) {
    String query = URI.create(location).getRawQuery();
    Map<String, String> params = new LinkedHashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        params.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  public TokenResponse exchange(AuthorizeRequest request, String code) {
    return exchange(request, code, request.codeVerifier);
  }

  public TokenResponse exchange(AuthorizeRequest request, String code, String verifier) {
    return tokenRequest(
        form(
            "grant_type",
            "authorization_code",
            "code",
            code,
            "redirect_uri",
            request.redirectUri,
            "client_id",
            request.clientId,
            "code_verifier",
            verifier));
  }

  public TokenResponse refresh(String clientId, String refreshToken) {
    return tokenRequest(
        form("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId));
  }

  /** Authorization code flow end to end; fails unless a token comes back. */
  public TokenResponse login(
      String clientId, String redirect, String scope, String user, Map<String, String> extra) {
    AuthorizeRequest request = request(clientId, redirect, scope);
    request.extra.putAll(extra);
    String location = authorize(browser(), request, user, "demo");
    Map<String, String> params = parameters(location);
    if (!params.containsKey("code")) {
      throw new IllegalStateException("no code for " + user + " / " + scope + ": " + location);
    }
    TokenResponse token = exchange(request, params.get("code"));
    if (token.status() != 200) {
      throw new IllegalStateException("token exchange failed: " + token.body());
    }
    return token;
  }

  public TokenResponse tokenRequest(String form) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(tokenEndpoint()))
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .header("Accept", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(form))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode body =
          response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
      return new TokenResponse(response.statusCode(), body, response);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String form(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return encode(map);
  }

  static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private String absolute(String url) {
    return url.startsWith("http") ? url : issuer + url;
  }

  public static String s256(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String randomText(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
