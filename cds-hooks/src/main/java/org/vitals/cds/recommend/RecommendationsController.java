package org.vitals.cds.recommend;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.vitals.cds.clinical.PatientData;
import org.vitals.cds.config.CdsProperties;
import org.vitals.cds.fhir.FhirClients;
import org.vitals.cds.fhir.FhirServerToken;
import org.vitals.cds.fhir.PatientRecordLoader;

/**
 * {@code POST /recommendations/Patient/{id}}: reads the patient's record from the FHIR server, runs
 * the recommendation rules and writes the suggestions as Communications the patient app reads.
 * Protected like the CDS endpoints (signed client JWT).
 */
@RestController
public class RecommendationsController {

  private final PatientRecordLoader loader;
  private final IGenericClient fhir;

  public RecommendationsController(
      PatientRecordLoader loader, FhirClients clients, FhirServerToken token, CdsProperties props) {
    this.loader = loader;
    this.fhir = clients.client(props.fhirUrl(), token);
  }

  @PostMapping("/recommendations/Patient/{id}")
  public ResponseEntity<?> generate(@PathVariable String id) {
    Instant now = Instant.now();
    PatientData data;
    try {
      data = loader.load(Map.of(), fhir, id, now);
    } catch (PatientRecordLoader.MissingDataException e) {
      // Our own FHIR server could not be read: a dependency is down, not a bad request.
      org.hl7.fhir.r4.model.OperationOutcome oo = new org.hl7.fhir.r4.model.OperationOutcome();
      oo.addIssue()
          .setSeverity(org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.ERROR)
          .setCode(org.hl7.fhir.r4.model.OperationOutcome.IssueType.TRANSIENT)
          .setDiagnostics("cannot read Patient/" + id + " from the FHIR server: " + e.getMessage());
      return ResponseEntity.status(503)
          .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
          .body(
              ca.uhn.fhir.context.FhirContext.forR4Cached()
                  .newJsonParser()
                  .encodeResourceToString(oo));
    }
    List<Recommendation> recs = RecommendationRules.evaluate(data);
    List<String> refs = RecommendationWriter.write(fhir, id, recs, now);
    return ResponseEntity.ok(
        Map.of(
            "patient",
            "Patient/" + id,
            "recommendations",
            recs.stream().map(Recommendation::code).toList(),
            "written",
            refs));
  }
}
