package org.vitals.fhir.web;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import java.util.Set;

/**
 * A read replica's guard ({@code VITALS_READ_ONLY=true}): every FHIR interaction that would change
 * data is refused with 405 and an OperationOutcome that says where writes go. Searches sent as
 * {@code POST _search} and read-only operations such as {@code $latest-vitals} still pass.
 */
@Interceptor
public class ReadOnlyInterceptor {

  private static final Set<RestOperationTypeEnum> WRITES =
      Set.of(
          RestOperationTypeEnum.CREATE,
          RestOperationTypeEnum.UPDATE,
          RestOperationTypeEnum.PATCH,
          RestOperationTypeEnum.DELETE,
          RestOperationTypeEnum.TRANSACTION,
          RestOperationTypeEnum.BATCH,
          RestOperationTypeEnum.META_ADD,
          RestOperationTypeEnum.META_DELETE,
          RestOperationTypeEnum.ADD_TAGS,
          RestOperationTypeEnum.DELETE_TAGS,
          RestOperationTypeEnum.GRAPHQL_REQUEST);

  private static final Set<String> READ_OPERATIONS =
      Set.of("$latest-vitals", "$everything", "$validate", "$meta", "$graph");

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
  public void refuseWrites(RequestDetails request, RestOperationTypeEnum operation) {
    boolean write = WRITES.contains(operation);
    // Extended operations ($reindex, $expunge, ...) write unless they are ours and read-only.
    if (operation == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER
        || operation == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
        || operation == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE) {
      write = !READ_OPERATIONS.contains(request.getOperation());
    }
    if (write) {
      throw new MethodNotAllowedException(
          "This server is a read replica (VITALS_READ_ONLY=true): "
              + operation.getCode()
              + " is not accepted here. Send writes to the primary FHIR server.");
    }
  }
}
