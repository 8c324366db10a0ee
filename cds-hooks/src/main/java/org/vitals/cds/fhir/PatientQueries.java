package org.vitals.cds.fhir;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The FHIR queries behind a patient's record, one per prefetch key. They stay in the subset CDS
 * clients are expected to support (CDS Hooks 2.0 §prefetch: reads, searches by reference and token,
 * {@code _sort}, {@code _count}) and use only the {@code {{context.patientId}}} token. The service
 * runs the same queries against {@code fhirServer} when a key was not prefetched.
 */
public final class PatientQueries {

  private static final String OBS = "Observation?patient={{context.patientId}}&code=";

  /** Key → template, in the order discovery lists them. */
  public static final Map<String, String> TEMPLATES = templates();

  /** Keys without which no vitals card can be made: missing and not fetchable gives 412. */
  public static final Set<String> REQUIRED =
      Set.of("heartRate", "respiratoryRate", "spo2", "temperature", "bloodPressure");

  private PatientQueries() {}

  private static Map<String, String> templates() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("patient", "Patient/{{context.patientId}}");
    t.put("heartRate", OBS + "http://loinc.org|8867-4&_sort=-date&_count=20");
    t.put("respiratoryRate", OBS + "http://loinc.org|9279-1&_sort=-date&_count=20");
    t.put("spo2", OBS + "http://loinc.org|2708-6&_sort=-date&_count=600");
    t.put("temperature", OBS + "http://loinc.org|8310-5&_sort=-date&_count=5");
    t.put("bloodPressure", OBS + "http://loinc.org|85354-9&_sort=-date&_count=100");
    t.put("oxygen", OBS + "http://loinc.org|3151-8,http://loinc.org|3150-0&_sort=-date&_count=5");
    t.put("consciousness", OBS + "http://loinc.org|67775-7&_sort=-date&_count=5");
    t.put(
        "glucose",
        OBS
            + "http://loinc.org|2339-0,http://loinc.org|41653-7,http://loinc.org|99504-3"
            + "&_sort=-date&_count=300");
    t.put("ecg", OBS + "urn:iso:std:iso:11073:10101|131328&_sort=-date&_count=60");
    t.put("conditions", "Condition?patient={{context.patientId}}&clinical-status=active");
    t.put(
        "medicationStatements", "MedicationStatement?patient={{context.patientId}}&status=active");
    t.put("medicationRequests", "MedicationRequest?patient={{context.patientId}}&status=active");
    return java.util.Collections.unmodifiableMap(t);
  }

  /** The template with the patient filled in. */
  public static String query(String key, String patientId) {
    return TEMPLATES.get(key).replace("{{context.patientId}}", patientId);
  }
}
