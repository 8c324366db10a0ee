package org.vitals.fhir.security.testing;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import java.time.Instant;

/**
 * A backend-services token for the test admin client ({@code system/*.cruds}), fetched over HTTP
 * and renewed a minute before it expires; also a HAPI client interceptor that sends it.
 */
public final class BackendTokens implements IClientInterceptor {

  private final SmartFlows flows;
  private String token;
  private Instant renewAt = Instant.MIN;

  public BackendTokens(SmartFlows flows) {
    this.flows = flows;
  }

  public static BackendTokens admin(int port) {
    return new BackendTokens(new SmartFlows(port));
  }

  public synchronized String token() {
    if (Instant.now().isAfter(renewAt)) {
      SmartFlows.TokenResponse response =
          flows.backendToken(TestRealm.ADMIN, TestRealm.ADMIN_KEY, "system/*.cruds");
      if (response.status() != 200) {
        throw new IllegalStateException("the test admin client got no token: " + response.body());
      }
      token = response.accessToken();
      renewAt = Instant.now().plusSeconds(response.body().path("expires_in").asLong() - 60);
    }
    return token;
  }

  public String authorization() {
    return "Bearer " + token();
  }

  @Override
  public void interceptRequest(IHttpRequest request) {
    request.addHeader("Authorization", authorization());
  }

  @Override
  public void interceptResponse(IHttpResponse response) {}
}
