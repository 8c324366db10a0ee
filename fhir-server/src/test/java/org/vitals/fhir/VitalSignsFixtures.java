package org.vitals.fhir;

import java.math.BigDecimal;
import java.util.Date;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/** Vital-sign Observations shaped as the gateway writes them (standards-and-codes.md §4). */
public final class VitalSignsFixtures {

  public static final String LOINC = "http://loinc.org";
  public static final String MDC = "urn:iso:std:iso:11073:10101";
  public static final String UCUM = "http://unitsofmeasure.org";
  public static final String CATEGORY =
      "http://terminology.hl7.org/CodeSystem/observation-category";
  public static final String READING_ID_SYSTEM = "urn:vitals:reading";

  private VitalSignsFixtures() {}

  public static Observation vital(
      String patientRef, String loinc, String mdc, double value, String ucum) {
    Observation o = new Observation();
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.addCategory().addCoding().setSystem(CATEGORY).setCode("vital-signs");
    CodeableConcept code = o.getCode();
    code.addCoding().setSystem(LOINC).setCode(loinc);
    if (mdc != null) {
      code.addCoding().setSystem(MDC).setCode(mdc);
    }
    o.setSubject(new Reference(patientRef));
    o.setEffective(new DateTimeType(new Date()));
    o.setValue(quantity(value, ucum));
    return o;
  }

  public static Observation heartRate(String patientRef, double bpm) {
    return vital(patientRef, "8867-4", "147842", bpm, "/min");
  }

  public static Observation spo2(String patientRef, double percent) {
    Observation o = vital(patientRef, "2708-6", "150456", percent, "%");
    o.getCode().addCoding().setSystem(LOINC).setCode("59408-5");
    return o;
  }

  public static Observation bloodPressure(String patientRef, double sys, double dia) {
    Observation o = new Observation();
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.addCategory().addCoding().setSystem(CATEGORY).setCode("vital-signs");
    o.getCode().addCoding().setSystem(LOINC).setCode("85354-9");
    o.getCode().addCoding().setSystem(MDC).setCode("150020");
    o.setSubject(new Reference(patientRef));
    o.setEffective(new DateTimeType(new Date()));
    o.addComponent()
        .setValue(quantity(sys, "mm[Hg]"))
        .getCode()
        .addCoding()
        .setSystem(LOINC)
        .setCode("8480-6");
    o.addComponent()
        .setValue(quantity(dia, "mm[Hg]"))
        .getCode()
        .addCoding()
        .setSystem(LOINC)
        .setCode("8462-4");
    return o;
  }

  public static Quantity quantity(double value, String ucum) {
    return new Quantity()
        .setValue(BigDecimal.valueOf(value))
        .setUnit(ucum)
        .setSystem(UCUM)
        .setCode(ucum);
  }

  /** Gives the Observation the reading identity the gateway de-duplicates on. */
  public static Observation withReadingId(Observation o, String readingId) {
    o.addIdentifier().setSystem(READING_ID_SYSTEM).setValue(readingId);
    return o;
  }
}
