package org.vitals.fhir.ingest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;

/**
 * Writes each transaction entry's {@code ifNoneExist} in the qualified form {@code
 * Observation?identifier=...}. FHIR defines the element as the bare query ({@code identifier=...}),
 * which clients such as our gateway send; HAPI answers both the same way, but pre-fetches only
 * qualified URLs in one query per bundle and otherwise runs one search per entry
 * (TransactionProcessor.preFetchConditionalUrls). Same meaning, a fifth of the CPU of a
 * conditional-create bundle.
 */
@Interceptor
public class ConditionalUrlQualifier {

  @Hook(Pointcut.STORAGE_TRANSACTION_PROCESSING)
  public void qualify(IBaseBundle bundle) {
    if (!(bundle instanceof Bundle r4)) {
      return;
    }
    for (BundleEntryComponent entry : r4.getEntry()) {
      String query = entry.hasRequest() ? entry.getRequest().getIfNoneExist() : null;
      if (query == null || query.isBlank() || query.contains("?") || !entry.hasResource()) {
        continue;
      }
      entry.getRequest().setIfNoneExist(entry.getResource().fhirType() + "?" + query);
    }
  }
}
