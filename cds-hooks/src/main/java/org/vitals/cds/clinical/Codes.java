package org.vitals.cds.clinical;

/** Code systems used by the rules and the FHIR resources they lead to. */
public final class Codes {

  public static final String LOINC = "http://loinc.org";
  public static final String SNOMED = "http://snomed.info/sct";
  public static final String MDC = "urn:iso:std:iso:11073:10101";
  public static final String UCUM = "http://unitsofmeasure.org";
  public static final String ATC = "http://www.whocc.no/atc";
  public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  public static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";
  public static final String ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm";

  /** The project's own code systems. */
  public static final String BASE = "https://vitals.example.org/fhir/CodeSystem/";

  public static final String VITALS_ACTIONS = BASE + "clinical-action";
  public static final String CARD_TOPIC = BASE + "cds-topic";
  public static final String OVERRIDE_REASON = BASE + "override-reason";
  public static final String ALERT_KIND = BASE + "alert-kind";
  public static final String ALERT_STATE = BASE + "alert-state";
  public static final String ALERT_ACTION = BASE + "alert-action";
  public static final String RECOMMENDATION = BASE + "recommendation";

  /**
   * The device gateway's minute summaries of continuous numerics (decision 0209) are tagged {@code
   * AGGREGATION|MINUTE}. They repeat the readings of their minute as median, minimum and maximum,
   * so the rules leave them out: counted with the readings they would put a median point inside a
   * one-second series (decision 0711).
   */
  public static final String AGGREGATION = BASE + "aggregation";

  public static final String MINUTE_SUMMARY = "minute";

  private Codes() {}
}
