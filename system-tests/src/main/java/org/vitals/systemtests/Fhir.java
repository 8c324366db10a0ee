package org.vitals.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.Predicate;

/**
 * The few FHIR REST calls the tools need, over plain HTTP with a time limit on each (a stopped FHIR
 * server must not hang the tools). A bearer token is sent when {@code VITALS_FHIR_TOKEN} is set.
 */
public final class Fhir {
  static final String READING_SYSTEM = "urn:vitals:sid:reading";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  public Fhir(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token == null || token.isBlank() ? null : token;
  }

  public String base() {
    return base;
  }

  /** GET of a path below the base (or an absolute URL, e.g. a next link). */
  public JsonNode get(String pathOrUrl, Duration timeout) throws IOException {
    return get(pathOrUrl, timeout, "application/fhir+json");
  }

  /** GET with another Accept header, e.g. application/json for the actuator endpoints. */
  public JsonNode get(String pathOrUrl, Duration timeout, String accept) throws IOException {
    String url = pathOrUrl.startsWith("http") ? pathOrUrl : base + "/" + pathOrUrl;
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", accept);
    return send(b.GET(), url);
  }

  /** The body of a GET whatever its status (health endpoints answer 503 with details). */
  public String body(String pathOrUrl, Duration timeout, String accept) throws IOException {
    String url = pathOrUrl.startsWith("http") ? pathOrUrl : base + "/" + pathOrUrl;
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(timeout)
                  .header("Accept", accept)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** POSTs a transaction or batch Bundle to the base. */
  public JsonNode transaction(String bundle) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base))
            .timeout(Duration.ofSeconds(120))
            .header("Accept", "application/fhir+json")
            .header("Content-Type", "application/fhir+json");
    return send(b.POST(HttpRequest.BodyPublishers.ofString(bundle)), base);
  }

  private JsonNode send(HttpRequest.Builder b, String url) throws IOException {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        String body = r.body();
        throw new IOException(
            "HTTP "
                + r.statusCode()
                + " from "
                + url
                + ": "
                + (body.length() > 300 ? body.substring(0, 300) : body));
      }
      return JSON.readTree(r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** {@code total} of a search with {@code _summary=count}. */
  public long count(String resourceAndQuery) throws IOException {
    String sep = resourceAndQuery.contains("?") ? "&" : "?";
    return get(resourceAndQuery + sep + "_summary=count", Duration.ofSeconds(30))
        .path("total")
        .asLong(-1);
  }

  /**
   * Reads every Observation updated at or after {@code since} (page by page, 1,000 a page) and
   * records those whose reading identity passes {@code mine} in {@code into}. Returns how many
   * Observations were read.
   */
  public long sweep(Instant since, Predicate<String> mine, StoredIndex into) throws IOException {
    String url =
        "Observation?_lastUpdated="
            + URLEncoder.encode("ge" + since, StandardCharsets.UTF_8)
            + "&_sort=_lastUpdated&_count=1000&_elements=identifier";
    long read = 0;
    while (url != null) {
      JsonNode page = get(url, Duration.ofSeconds(120));
      for (JsonNode entry : page.path("entry")) {
        JsonNode res = entry.path("resource");
        read++;
        String identity = readingIdentity(res);
        if (identity == null || !mine.test(identity)) {
          continue;
        }
        into.add(identity, res.path("id").asText(), lastUpdated(res));
      }
      url = null;
      for (JsonNode link : page.path("link")) {
        if ("next".equals(link.path("relation").asText())) {
          url = link.path("url").asText();
        }
      }
    }
    return read;
  }

  static String readingIdentity(JsonNode observation) {
    for (JsonNode id : observation.path("identifier")) {
      if (READING_SYSTEM.equals(id.path("system").asText())) {
        return id.path("value").asText(null);
      }
    }
    return null;
  }

  static long lastUpdated(JsonNode resource) {
    String s = resource.path("meta").path("lastUpdated").asText(null);
    return s == null ? -1 : OffsetDateTime.parse(s).toInstant().toEpochMilli();
  }
}
