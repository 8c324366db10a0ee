package org.vitals.fhir.searchparam;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.searchparam.extractor.SearchParamExtractorR4;
import org.junit.jupiter.api.Test;

class MemoizedPathSearchParamExtractorTest {

  private static final FhirContext R4 = FhirContext.forR4Cached();

  @Test
  void everyR4ParameterSplitsAsHapiSplitsItAndTheSecondSplitIsTheRememberedOne() {
    MemoizedPathSearchParamExtractor memoized = new MemoizedPathSearchParamExtractor();
    memoized.setContext(R4);
    SearchParamExtractorR4 hapi = new SearchParamExtractorR4();
    hapi.setContext(R4);
    int multiPath = 0;
    for (String type : R4.getResourceTypes()) {
      RuntimeResourceDefinition definition = R4.getResourceDefinition(type);
      for (RuntimeSearchParam param : definition.getSearchParams()) {
        String path = param.getPath();
        if (path == null || path.isBlank()) {
          continue;
        }
        String[] first = memoized.split(path);
        assertThat(first).as(type + "." + param.getName()).containsExactly(hapi.split(path));
        // The same array, so the same part strings, whose hashes the FHIRPath cache keeps.
        assertThat(memoized.split(path)).isSameAs(first);
        if (first.length > 1) {
          multiPath++;
        }
      }
    }
    // Observation's value-quantity alone is "(... as Quantity) | (... as SampledData)".
    assertThat(multiPath).isGreaterThan(10);
    assertThat(memoized.split("Observation.value as Quantity | Observation.component.value"))
        .containsExactly("Observation.value as Quantity", "Observation.component.value");
  }

  @Test
  void anExpressionSeenOnceTooManyIsStillSplitCorrectly() {
    MemoizedPathSearchParamExtractor memoized = new MemoizedPathSearchParamExtractor();
    memoized.setContext(R4);
    for (int i = 0; i < MemoizedPathSearchParamExtractor.MAX_REMEMBERED + 5; i++) {
      memoized.split("Observation.code | Observation.extension" + i);
    }
    String beyond =
        "Observation.code | Observation.extension"
            + (MemoizedPathSearchParamExtractor.MAX_REMEMBERED + 9);
    assertThat(memoized.split(beyond))
        .containsExactly(
            "Observation.code",
            "Observation.extension" + (MemoizedPathSearchParamExtractor.MAX_REMEMBERED + 9));
    assertThat(memoized.split(beyond)).isNotSameAs(memoized.split(beyond));
  }
}
