package org.vitals.gateway.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;
import org.vitals.gateway.GatewayProperties;
import org.vitals.gateway.security.AccessTokens;

/**
 * Says whether the FHIR server answers its capability statement and whether the gateway holds an
 * access token for it (the token itself is never shown).
 */
@Component("fhir")
public class FhirHealthIndicator implements HealthIndicator {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String url;
  private final AccessTokens tokens;

  public FhirHealthIndicator(GatewayProperties props, AccessTokens tokens) {
    this.url = props.fhirUrl();
    this.tokens = tokens;
  }

  @Override
  public Health health() {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/metadata"))
                  .timeout(Duration.ofSeconds(5))
                  .header("Accept", "application/fhir+json")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      boolean authorised = true;
      try {
        tokens.token();
      } catch (RuntimeException e) {
        authorised = false;
      }
      return (r.statusCode() == 200 && authorised ? Health.up() : Health.down())
          .withDetail("url", url)
          .withDetail("status", r.statusCode())
          .withDetail("auth", tokens.status())
          .build();
    } catch (Exception e) {
      return Health.down().withDetail("url", url).withDetail("error", e.toString()).build();
    }
  }
}
