package org.vitals.fhir.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Date;
import org.vitals.fhir.security.SmartAccessToken;
import org.vitals.fhir.security.enforcement.CurrentToken;

/**
 * Records every FHIR request as an AuditEvent (who, what, when, outcome) once HAPI has answered it,
 * plus requests refused for want of a valid token. Capability statements are not recorded.
 */
@Interceptor
public class AuditEventRecorder {

  private final AuditTrail trail;

  public AuditEventRecorder(AuditTrail trail) {
    this.trail = trail;
  }

  @Hook(Pointcut.SERVER_PROCESSING_COMPLETED)
  public void completed(RequestDetails request, ServletRequestDetails servlet) {
    RestOperationTypeEnum operation = request.getRestOperationType();
    if (operation == RestOperationTypeEnum.METADATA || servlet == null) {
      return;
    }
    HttpServletRequest http = servlet.getServletRequest();
    SmartAccessToken token = CurrentToken.of(request);
    String type = request.getResourceName();
    String id = request.getId() == null ? null : request.getId().getIdPart();
    String patient = token == null ? null : token.compartmentPatient().orElse(null);
    if (patient == null && "Patient".equals(type) && id != null) {
      patient = id;
    }
    int status =
        servlet.getServletResponse() == null ? 0 : servlet.getServletResponse().getStatus();
    String query = http == null ? null : http.getQueryString();
    if (status >= 400 && token != null && token.compartmentPatient().isPresent()) {
      // A patient can read the AuditEvents of their compartment: a refused attempt on someone
      // else's record is kept without the id or query it named.
      id = null;
      query = null;
    }
    trail.record(
        AuditEvents.of(
            new AuditEvents.Access(
                operation,
                type,
                id,
                query,
                token == null ? null : token.fhirUser().orElse(null),
                token == null ? null : token.clientId(),
                patient,
                http == null ? null : http.getRemoteAddr(),
                status),
            new Date()));
  }

  /** A request that never reached HAPI: no token, or one that failed verification. */
  public void refused(HttpServletRequest request) {
    if (!request.getRequestURI().startsWith(request.getContextPath() + "/fhir")) {
      return;
    }
    trail.record(
        AuditEvents.of(
            new AuditEvents.Access(
                null, null, null, null, null, null, null, request.getRemoteAddr(), 401),
            new Date()));
  }
}
