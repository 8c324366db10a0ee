package org.vitals.fhir.ingest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.model.ResourceVersionConflictResolutionStrategy;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Set;

/**
 * Makes conditional create idempotent under concurrency. Two identical conditional creates that
 * race both pass the existence check; the unique match-URL row (HFJ_RES_SEARCH_URL) then fails the
 * second transaction. Retrying it re-runs the existence check, which now finds the first resource,
 * so the second client gets 200 and the same resource instead of a 409.
 */
@Interceptor
public class ConditionalCreateRetryInterceptor {

  private static final Set<RestOperationTypeEnum> RETRIED =
      Set.of(
          RestOperationTypeEnum.CREATE,
          RestOperationTypeEnum.TRANSACTION,
          RestOperationTypeEnum.BATCH);

  private final int maxRetries;

  public ConditionalCreateRetryInterceptor(int maxRetries) {
    this.maxRetries = maxRetries;
  }

  @Hook(Pointcut.STORAGE_VERSION_CONFLICT)
  public ResourceVersionConflictResolutionStrategy onConflict(RequestDetails request) {
    ResourceVersionConflictResolutionStrategy strategy =
        new ResourceVersionConflictResolutionStrategy();
    if (request != null && RETRIED.contains(request.getRestOperationType())) {
      strategy.setRetry(true);
      strategy.setMaxRetries(maxRetries);
    }
    return strategy;
  }
}
