package org.vitals.fhir.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vitals.fhir.VitalsFhirServerApplication;
import org.vitals.fhir.security.testing.SmartFlows;
import org.vitals.fhir.security.testing.TestRealm;

/**
 * The FHIR server on TLS from the settings an operator gives ({@code SERVER_SSL_*}: a PKCS#12 key
 * store made with keytool at test time), with security on: HTTPS works, plaintext on the port is
 * refused, and every response carries the security headers of {@link SecurityHeadersFilter} (HSTS
 * because the request came over TLS; no-store on FHIR answers; framing allowed only for the apps
 * and sign-in, by this origin and the EHR origin of VITALS_FRAME_ANCESTORS).
 */
@SpringBootTest(
    classes = VitalsFhirServerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "vitals.db-url=",
      "VITALS_FRAME_ANCESTORS=https://ehr.example.org",
      "VITALS_CDS_URL=http://cds-hooks:8082",
      "VITALS_CDS_PUBLIC_URL=https://cds.example.org"
    })
@ContextConfiguration(initializers = TestRealm.Initializer.class)
class SecurityHeadersTlsIT {
  private static final String STORE_PASSWORD = UUID.randomUUID().toString();
  private static Path keyStore;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void tls(DynamicPropertyRegistry registry) throws Exception {
    Path dir = Files.createTempDirectory("fhir-tls-it");
    keyStore = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "vitals",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                STORE_PASSWORD)
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as("keytool: " + out).isZero();
    // What an operator sets as SERVER_SSL_KEY_STORE, ..._PASSWORD, ..._TYPE.
    registry.add("server.ssl.key-store", keyStore::toString);
    registry.add("server.ssl.key-store-password", () -> STORE_PASSWORD);
    registry.add("server.ssl.key-store-type", () -> "PKCS12");
  }

  private HttpClient https() throws Exception {
    KeyStore server = KeyStore.getInstance(keyStore.toFile(), STORE_PASSWORD.toCharArray());
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("server", server.getCertificate("vitals"));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder()
        .sslContext(tls)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  private String base() {
    return "https://localhost:" + port;
  }

  private HttpResponse<String> get(HttpClient http, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void httpsServesFhirWithNoStoreHstsAndNoFraming() throws Exception {
    HttpClient http = https();
    String tokenEndpoint = base() + "/oauth2/token";
    String form =
        "grant_type=client_credentials&scope="
            + URLEncoder.encode("system/*.cruds", StandardCharsets.UTF_8)
            + "&client_assertion_type="
            + URLEncoder.encode(
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
            + "&client_assertion="
            + SmartFlows.assertion(
                TestRealm.ADMIN,
                TestRealm.ADMIN_KEY,
                tokenEndpoint,
                300,
                UUID.randomUUID().toString());
    HttpResponse<String> tokenResponse =
        http.send(
            HttpRequest.newBuilder(URI.create(tokenEndpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
    assertNoStore(tokenResponse);
    String token =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(tokenResponse.body())
            .path("access_token")
            .asText();

    HttpResponse<String> patients = get(http, "/fhir/Patient?_count=5", token);
    assertThat(patients.statusCode()).as(patients.body()).isEqualTo(200);
    assertThat(patients.body()).contains("\"resourceType\":\"Bundle\"");
    assertCommon(patients);
    assertNoFraming(patients);
    assertNoStore(patients);
    assertThat(patients.headers().firstValue("Strict-Transport-Security"))
        .hasValue("max-age=31536000; includeSubDomains");

    HttpResponse<String> refused = get(http, "/fhir/Patient", null);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertCommon(refused);
    assertNoFraming(refused);
    assertNoStore(refused);
  }

  @Test
  void appsAndSignInMayBeFramedByThisOriginAndTheConfiguredEhrOnly() throws Exception {
    HttpClient http = https();
    for (String path : new String[] {"/apps/doctor/", "/login"}) {
      HttpResponse<String> page = get(http, path, null);
      assertThat(page.statusCode()).as(path).isEqualTo(200);
      assertCommon(page);
      String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
      if (path.startsWith("/apps/")) {
        // The apps' full policy (decision 0808): this server as reached, and the CDS service.
        String self = "https://localhost:" + port;
        assertThat(policy)
            .startsWith("default-src 'self'; script-src 'self';")
            .contains(
                "connect-src 'self' "
                    + self
                    + " wss://localhost:"
                    + port
                    + " https://cds.example.org;")
            .endsWith("frame-ancestors 'self' https://ehr.example.org");
      } else {
        assertThat(policy).isEqualTo("frame-ancestors 'self' https://ehr.example.org");
      }
      assertThat(page.headers().firstValue("X-Frame-Options")).as(path).isEmpty();
      assertThat(page.headers().firstValue("Strict-Transport-Security")).as(path).isPresent();
    }
  }

  @Test
  void plaintextHttpOnTheTlsPortIsRefused() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              "GET /fhir/metadata HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      // Tomcat answers a plaintext request on a TLS connector with 400 and no content.
      assertThat(answer).matches("(?s)HTTP/1\\.[01] 400.*").doesNotContain("CapabilityStatement");
    }
  }

  private static void assertCommon(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
  }

  private static void assertNoFraming(HttpResponse<String> r) {
    assertThat(r.headers().allValues("X-Frame-Options")).containsExactly("DENY");
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValue("frame-ancestors 'none'");
  }

  private static void assertNoStore(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("Cache-Control"))
        .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
  }
}
