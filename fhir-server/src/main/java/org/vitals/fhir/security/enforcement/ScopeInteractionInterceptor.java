package org.vitals.fhir.security.enforcement;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.vitals.fhir.security.SmartAccessToken;
import org.vitals.fhir.security.SmartScope;
import org.vitals.fhir.security.SmartScope.Interaction;

/**
 * The SMART v2 letters HAPI's rules cannot tell apart: read ({@code r}) vs search ({@code s}),
 * create ({@code c}) vs update ({@code u}). Checked per request and, for transaction entries, per
 * stored resource. HAPI's rules still decide which resources (compartment, type).
 */
@Interceptor
public class ScopeInteractionInterceptor {

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
  public void beforeHandling(RequestDetails request, RestOperationTypeEnum operation) {
    SmartAccessToken token = CurrentToken.of(request);
    if (token == null) {
      return;
    }
    String type = request.getResourceName();
    switch (operation) {
      case SEARCH_TYPE, HISTORY_TYPE -> require(token, type, Interaction.SEARCH);
      case SEARCH_SYSTEM, HISTORY_SYSTEM, GET_PAGE -> require(token, null, Interaction.SEARCH);
      case READ, VREAD, HISTORY_INSTANCE -> require(token, type, Interaction.READ);
      case CREATE -> require(token, type, Interaction.CREATE);
      case UPDATE, PATCH -> require(token, type, Interaction.UPDATE);
      case DELETE -> require(token, type, Interaction.DELETE);
      default -> {}
    }
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void beforeCreate(IBaseResource resource, RequestDetails request) {
    check(request, resource, Interaction.CREATE);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void beforeUpdate(IBaseResource previous, IBaseResource resource, RequestDetails request) {
    check(request, resource, Interaction.UPDATE);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
  public void beforeDelete(IBaseResource resource, RequestDetails request) {
    check(request, resource, Interaction.DELETE);
  }

  private static void check(RequestDetails request, IBaseResource resource, Interaction needed) {
    SmartAccessToken token = CurrentToken.of(request);
    if (token != null) {
      require(token, resource.fhirType(), needed);
    }
  }

  /** {@code type} null: any type will do (system-wide search, paging). */
  static void require(SmartAccessToken token, String type, Interaction needed) {
    for (SmartScope scope : token.resourceScopes()) {
      if (scope.allows(needed) && (type == null || scope.appliesTo(type))) {
        return;
      }
    }
    throw new ForbiddenOperationException(
        "The granted scopes do not allow "
            + needed.name().toLowerCase()
            + (type == null ? "" : " on " + type)
            + " (granted: "
            + String.join(" ", token.resourceScopes().stream().map(Object::toString).toList())
            + ")");
  }
}
