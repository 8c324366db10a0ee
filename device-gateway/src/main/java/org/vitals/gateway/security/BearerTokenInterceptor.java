package org.vitals.gateway.security;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;

/**
 * Sends the gateway's access token on every FHIR request, and drops it when the server answers 401
 * (a restarted server with a new signing key, a revoked token), so that the retry gets a new one.
 */
public class BearerTokenInterceptor implements IClientInterceptor {
  private final AccessTokens tokens;

  public BearerTokenInterceptor(AccessTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void interceptRequest(IHttpRequest request) {
    String token = tokens.token();
    if (token != null) {
      request.addHeader("Authorization", "Bearer " + token);
    }
  }

  @Override
  public void interceptResponse(IHttpResponse response) {
    if (response.getStatus() == 401) {
      tokens.rejected();
    }
  }
}
