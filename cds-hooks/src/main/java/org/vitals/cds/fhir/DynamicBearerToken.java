package org.vitals.cds.fhir;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import java.util.function.Supplier;

/** Adds {@code Authorization: Bearer} with a token fetched per request (it may be refreshed). */
final class DynamicBearerToken implements IClientInterceptor {

  private final Supplier<String> tokens;

  DynamicBearerToken(Supplier<String> tokens) {
    this.tokens = tokens;
  }

  @Override
  public void interceptRequest(IHttpRequest request) {
    String token = tokens.get();
    if (token != null && !token.isBlank()) {
      request.addHeader("Authorization", "Bearer " + token);
    }
  }

  @Override
  public void interceptResponse(IHttpResponse response) {}
}
