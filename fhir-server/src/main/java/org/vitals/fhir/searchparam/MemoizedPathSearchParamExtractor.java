package org.vitals.fhir.searchparam;

import ca.uhn.fhir.jpa.searchparam.extractor.SearchParamExtractorR4;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * HAPI's R4 search-parameter extractor with the split of a parameter's FHIRPath expression
 * ("(Observation.value as Quantity) | (Observation.value as SampledData)") remembered per
 * expression. HAPI splits the expression again for every parameter of every resource it indexes,
 * and each split makes new strings whose hash its parsed-FHIRPath cache then recomputes: together
 * about 5 % of the write path's CPU in the ingest profile (docs/benchmarks.md). The expressions are
 * the parameters' own, a bounded set, so the same split parts come back each time.
 */
public class MemoizedPathSearchParamExtractor extends SearchParamExtractorR4 {

  /** Far more than the R4 parameters plus any custom ones; beyond it, split as HAPI does. */
  static final int MAX_REMEMBERED = 10_000;

  private final ConcurrentMap<String, String[]> splits = new ConcurrentHashMap<>();

  @Override
  public String[] split(String paths) {
    String[] known = splits.get(paths);
    if (known != null) {
      // A copy would cost what this saves; the callers only iterate.
      return known;
    }
    String[] split = super.split(paths);
    if (splits.size() < MAX_REMEMBERED) {
      splits.putIfAbsent(paths, split);
    }
    return split;
  }
}
