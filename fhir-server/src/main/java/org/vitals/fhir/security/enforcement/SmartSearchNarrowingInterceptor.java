package org.vitals.fhir.security.enforcement;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import org.vitals.fhir.security.SmartAccessToken;

/**
 * Patient-level tokens search within their patient's compartment: a search for all Observations
 * becomes a search for that patient's Observations (instead of failing on other patients' rows).
 */
public class SmartSearchNarrowingInterceptor extends SearchNarrowingInterceptor {

  @Override
  protected AuthorizedList buildAuthorizedList(RequestDetails request) {
    SmartAccessToken token = CurrentToken.of(request);
    if (token == null || token.compartmentPatient().isEmpty()) {
      return null;
    }
    boolean allConfined =
        token.resourceScopes().stream().allMatch(s -> SmartRules.confined(s, token));
    if (!allConfined) {
      return null;
    }
    return new AuthorizedList().addCompartment("Patient/" + token.compartmentPatient().get());
  }
}
