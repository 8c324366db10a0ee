package org.vitals.gateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the gateway's HTTP API. */
public final class GatewayHttp {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private GatewayHttp() {}

  public static JsonNode get(String url) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  public static JsonNode post(String url, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public static JsonNode put(String url, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** GET that returns the JSON body whatever the status (e.g. a DOWN health answers 503). */
  public static JsonNode getAny(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private static JsonNode send(HttpRequest.Builder b) throws Exception {
    HttpRequest req = b.timeout(Duration.ofSeconds(90)).build();
    HttpResponse<String> r;
    try {
      r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      r =
          HTTP.send(
              req, HttpResponse.BodyHandlers.ofString()); // a pooled connection the server closed
    }
    if (r.statusCode() >= 300) {
      throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  public static double counter(String gatewayHttp, String stage) throws Exception {
    JsonNode n = get(gatewayHttp + "/actuator/metrics/vitals.gateway.readings?tag=stage:" + stage);
    return n.path("measurements").get(0).path("value").asDouble();
  }
}
