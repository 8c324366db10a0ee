package org.vitals.gateway.writing;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/** The transaction response is read as JSON text: the entries that already existed are counted. */
class TransactionResponseTest {

  @Test
  void countsTheEntriesTheServerFoundAlreadyThere() {
    Bundle resp = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
    resp.addEntry().getResponse().setStatus("201 Created").setLocation("Observation/1/_history/1");
    resp.addEntry().getResponse().setStatus("200 OK").setLocation("Observation/2/_history/1");
    resp.addEntry().getResponse().setStatus("201 Created").setLocation("Observation/3/_history/1");
    resp.addEntry().getResponse().setStatus("200 OK").setLocation("Observation/4/_history/1");
    String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(resp);

    assertThat(FhirBatchWriter.existingEntries(json)).isEqualTo(2);
  }

  @Test
  void anAnswerWithoutEntriesOrNotJsonCountsNone() {
    assertThat(FhirBatchWriter.existingEntries("{\"resourceType\":\"Bundle\"}")).isZero();
    assertThat(FhirBatchWriter.existingEntries("<Bundle/>")).isZero();
  }
}
