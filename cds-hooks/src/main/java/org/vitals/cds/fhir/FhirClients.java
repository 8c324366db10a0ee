package org.vitals.cds.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Makes HAPI generic clients: one per CDS request for the client's {@code fhirServer} with its
 * {@code fhirAuthorization} token, and the module's own client for the monitor and recommendations,
 * which asks {@link FhirServerToken} for a token on every request.
 */
@Component
public class FhirClients {

  private final FhirContext fhir = FhirContext.forR4Cached();

  public FhirClients() {
    IRestfulClientFactory f = fhir.getRestfulClientFactory();
    f.setServerValidationMode(ServerValidationModeEnum.NEVER);
    f.setConnectTimeout(5_000);
    f.setSocketTimeout(30_000);
    f.setPoolMaxPerRoute(64);
    f.setPoolMaxTotal(128);
  }

  /** The FHIR context (R4). */
  public FhirContext context() {
    return fhir;
  }

  /** A client for a CDS request's fhirServer, sending the given bearer token when not null. */
  public IGenericClient client(String base, String bearerToken) {
    IGenericClient c = fhir.newRestfulGenericClient(base);
    if (bearerToken != null && !bearerToken.isBlank()) {
      c.registerInterceptor(new BearerTokenAuthInterceptor(bearerToken));
    }
    return c;
  }

  /** A client that asks for a fresh token on every request (empty: none sent). */
  public IGenericClient client(String base, Supplier<String> tokens) {
    IGenericClient c = fhir.newRestfulGenericClient(base);
    c.registerInterceptor(new DynamicBearerToken(tokens));
    return c;
  }
}
