package org.vitals.cds.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The CDS services on TLS from a PEM certificate and key (an SSL bundle, as an operator sets it
 * with SPRING_SSL_BUNDLE_PEM_SERVER_KEYSTORE_CERTIFICATE / ..._PRIVATE_KEY and SERVER_SSL_BUNDLE),
 * made with openssl at test time: HTTPS answers (health, and a CDS call refused for want of a JWT)
 * carry the security headers (HSTS, no-store, no framing), and plaintext HTTP on the port is
 * refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TlsAndSecurityHeadersIT {
  private static Path certificate;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void tls(DynamicPropertyRegistry registry) throws Exception {
    Path dir = Files.createTempDirectory("cds-tls-it");
    certificate = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                certificate.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(openssl.waitFor()).as("openssl (apt-get install openssl): " + out).isZero();
    registry.add("spring.ssl.bundle.pem.server.keystore.certificate", certificate::toString);
    registry.add("spring.ssl.bundle.pem.server.keystore.private-key", key::toString);
    registry.add("server.ssl.bundle", () -> "server");
    registry.add("vitals.cds.auth", () -> "on");
    registry.add("vitals.cds.monitor.enabled", () -> "false");
    registry.add("vitals.cds.data-dir", () -> dir.resolve("data").toString());
    registry.add("vitals.cds.fhir-url", () -> "http://127.0.0.1:1/fhir");
  }

  private HttpClient https() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trust.setCertificateEntry(
          "server", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(tls).build();
  }

  @Test
  void httpsAnswersCarryTheSecurityHeaders() throws Exception {
    HttpClient http = https();
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"UP\"");
    HttpResponse<String> refused =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("https://localhost:" + port + "/cds-services/vitals-news2"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).as("no JWT").isEqualTo(401);
    for (HttpResponse<String> r : java.util.List.of(health, refused)) {
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
      assertThat(r.headers().firstValue("Content-Security-Policy"))
          .hasValue("default-src 'none'; frame-ancestors 'none'");
      assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(r.headers().firstValue("Strict-Transport-Security"))
          .hasValue("max-age=31536000; includeSubDomains");
    }
  }

  @Test
  void plaintextHttpOnTheTlsPortIsRefused() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              "GET /actuator/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String answer =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).matches("(?s)HTTP/1\\.[01] 400.*").doesNotContain("UP");
    }
  }
}
