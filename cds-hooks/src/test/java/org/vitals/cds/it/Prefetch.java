package org.vitals.cds.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/** Builds a CDS request whose prefetch holds what a client would have fetched for each key. */
public final class Prefetch {

  static final ObjectMapper JSON = new ObjectMapper();

  private Prefetch() {}

  static String keyOf(Observation o) {
    for (Coding c : o.getCode().getCoding()) {
      switch (c.getCode()) {
        case "8867-4":
          return "heartRate";
        case "9279-1":
          return "respiratoryRate";
        case "2708-6":
          return "spo2";
        case "8310-5":
          return "temperature";
        case "85354-9":
          return "bloodPressure";
        case "99504-3", "2339-0", "41653-7":
          return "glucose";
        case "131328":
          return "ecg";
        case "3151-8", "3150-0":
          return "oxygen";
        case "67775-7":
          return "consciousness";
        default:
          break;
      }
    }
    throw new IllegalArgumentException(
        "no prefetch key for " + o.getCode().getCodingFirstRep().getCode());
  }

  /** The request body for a hook with every key prefetched. */
  public static ObjectNode request(
      String hook,
      String patient,
      List<Observation> obs,
      List<Condition> conditions,
      List<MedicationStatement> meds)
      throws Exception {
    Map<String, List<Resource>> byKey = new LinkedHashMap<>();
    for (String k :
        new String[] {
          "heartRate",
          "respiratoryRate",
          "spo2",
          "temperature",
          "bloodPressure",
          "oxygen",
          "consciousness",
          "glucose",
          "ecg"
        }) {
      byKey.put(k, new ArrayList<>());
    }
    for (Observation o : obs) {
      byKey.get(keyOf(o)).add(o);
    }
    ObjectNode prefetch = JSON.createObjectNode();
    Patient p = new Patient();
    p.setId(patient);
    prefetch.set("patient", JSON.readTree(FhirFixtures.json(p)));
    for (Map.Entry<String, List<Resource>> e : byKey.entrySet()) {
      prefetch.set(
          e.getKey(), JSON.readTree(FhirFixtures.json(FhirFixtures.searchset(e.getValue()))));
    }
    prefetch.set(
        "conditions", JSON.readTree(FhirFixtures.json(FhirFixtures.searchset(conditions))));
    prefetch.set(
        "medicationStatements", JSON.readTree(FhirFixtures.json(FhirFixtures.searchset(meds))));
    prefetch.set(
        "medicationRequests", JSON.readTree(FhirFixtures.json(FhirFixtures.searchset(List.of()))));
    ObjectNode body = bare(hook, patient);
    body.set("prefetch", prefetch);
    return body;
  }

  /** A request without prefetch. */
  public static ObjectNode bare(String hook, String patient) {
    ObjectNode body = JSON.createObjectNode();
    body.put("hook", hook);
    body.put("hookInstance", java.util.UUID.randomUUID().toString());
    ObjectNode ctx = body.putObject("context");
    ctx.put("userId", "Practitioner/pr1");
    ctx.put("patientId", patient);
    if (hook.equals("encounter-start")) {
      ctx.put("encounterId", "enc-" + patient);
    }
    return body;
  }
}
