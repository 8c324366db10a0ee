package org.vitals.fhir.security.enforcement;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import org.vitals.fhir.security.SmartAccessToken;

/** The verified access token of the HTTP request a FHIR operation runs for. */
public final class CurrentToken {

  static final String ATTRIBUTE = SmartAccessToken.class.getName();

  private CurrentToken() {}

  /** The token, or null for internal work (no servlet request) and with security off. */
  public static SmartAccessToken of(RequestDetails request) {
    if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
      return of(servlet.getServletRequest());
    }
    return null;
  }

  public static SmartAccessToken of(HttpServletRequest request) {
    return (SmartAccessToken) request.getAttribute(ATTRIBUTE);
  }

  static void set(HttpServletRequest request, SmartAccessToken token) {
    request.setAttribute(ATTRIBUTE, token);
  }
}
