package org.vitals.fhir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vitals.fhir.VitalsFhirServerApplication;

/**
 * A read replica: {@code VITALS_READ_ONLY=true} refuses every write with 405 and an
 * OperationOutcome while reads and searches still answer; {@code VITALS_SUBSCRIPTIONS=off} leaves
 * out matching, delivery and the websocket endpoint.
 */
@SpringBootTest(
    classes = VitalsFhirServerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "vitals.db-url=",
      "vitals.security.enforcement=off",
      "vitals.read-only=true",
      "vitals.subscriptions=off"
    })
class ReadReplicaIT {

  @LocalServerPort int port;

  private final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) throws IOException {
    String dir = Files.createTempDirectory("vitals-replica-it").toString();
    registry.add("vitals.data-dir", () -> dir);
  }

  @Test
  void writesAreRefusedWithAnOperationOutcomeThatSaysWhereWritesGo() throws Exception {
    String observation =
        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}";
    String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[]}";
    for (HttpResponse<String> response :
        new HttpResponse[] {
          send("POST", "/fhir/Observation", observation),
          send("PUT", "/fhir/Observation/abc", observation.replace("{", "{\"id\":\"abc\",")),
          send("DELETE", "/fhir/Observation/abc", null),
          send("POST", "/fhir", transaction)
        }) {
      assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(405);
      assertThat(response.body()).contains("OperationOutcome").contains("read replica");
    }
  }

  @Test
  void readsAndSearchesStillAnswer() throws Exception {
    assertThat(send("GET", "/fhir/metadata", null).statusCode()).isEqualTo(200);
    HttpResponse<String> search = send("GET", "/fhir/Observation?code=8867-4", null);
    assertThat(search.statusCode()).isEqualTo(200);
    assertThat(search.body()).contains("\"searchset\"");
    HttpRequest postSearch =
        HttpRequest.newBuilder(URI.create(base() + "/fhir/Observation/_search"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("code=8867-4"))
            .build();
    assertThat(http.send(postSearch, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void withoutSubscriptionsThereIsNoWebsocketEndpoint() throws Exception {
    var handshake =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://localhost:" + port + "/websocket"),
                new java.net.http.WebSocket.Listener() {});
    assertThatThrownBy(() -> handshake.get(20, java.util.concurrent.TimeUnit.SECONDS))
        .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base() + path)).header("Accept", "application/fhir+json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/fhir+json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String base() {
    return "http://localhost:" + port;
  }
}
