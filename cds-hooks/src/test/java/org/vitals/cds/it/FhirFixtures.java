package org.vitals.cds.it;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SampledData;

/**
 * Observations in the gateway's shapes (docs/wire-format.md, standards-and-codes §4): LOINC + MDC
 * codes, UCUM units, category vital-signs, device reference, identifier of the reading.
 */
public final class FhirFixtures {

  public static final FhirContext FHIR = FhirContext.forR4Cached();
  static final String LOINC = "http://loinc.org";
  static final String MDC = "urn:iso:std:iso:11073:10101";
  static final String UCUM = "http://unitsofmeasure.org";

  private FhirFixtures() {}

  static Observation base(String patient, Instant t, String device) {
    Observation o = new Observation();
    o.setId(UUID.randomUUID().toString());
    o.addIdentifier().setSystem("urn:vitals:test-reading").setValue(UUID.randomUUID().toString());
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.addCategory()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
        .setCode("vital-signs");
    o.getSubject().setReference("Patient/" + patient);
    o.setEffective(new DateTimeType(Date.from(t)));
    if (device != null) {
      o.getDevice().setReference(device);
    }
    return o;
  }

  static Observation quantity(
      String patient,
      Instant t,
      String device,
      String loinc,
      String mdc,
      String mdcName,
      double value,
      String unit) {
    Observation o = base(patient, t, device);
    o.getCode().addCoding().setSystem(LOINC).setCode(loinc);
    if (loinc.equals("2708-6")) {
      o.getCode().addCoding().setSystem(LOINC).setCode("59408-5");
    }
    o.getCode().addCoding().setSystem(MDC).setCode(mdc).setDisplay(mdcName);
    o.setValue(
        new Quantity()
            .setValue(BigDecimal.valueOf(value))
            .setUnit(unit)
            .setSystem(UCUM)
            .setCode(unit));
    return o;
  }

  public static Observation heartRate(String p, Instant t, double v) {
    return quantity(
        p, t, "Device/monitor-" + p, "8867-4", "149546", "MDC_PULS_RATE_NON_INV", v, "/min");
  }

  public static Observation spo2(String p, Instant t, double v) {
    return quantity(
        p, t, "Device/monitor-" + p, "2708-6", "150456", "MDC_PULS_OXIM_SAT_O2", v, "%");
  }

  public static Observation respRate(String p, Instant t, double v) {
    return quantity(p, t, "Device/monitor-" + p, "9279-1", "151562", "MDC_RESP_RATE", v, "/min");
  }

  public static Observation temperature(String p, Instant t, double v) {
    return quantity(p, t, "Device/thermo-" + p, "8310-5", "150364", "MDC_TEMP_BODY", v, "Cel");
  }

  public static Observation glucose(String p, Instant t, double mgdl) {
    Observation o =
        quantity(
            p,
            t,
            "Device/cgm-" + p,
            "99504-3",
            "160184",
            "MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD",
            mgdl,
            "mg/dL");
    o.getCategory().clear();
    o.addCategory()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
        .setCode("laboratory");
    return o;
  }

  public static Observation bloodPressure(String p, Instant t, double sys, double dia) {
    Observation o = base(p, t, "Device/cuff-" + p);
    o.getCode().addCoding().setSystem(LOINC).setCode("85354-9");
    o.getCode().addCoding().setSystem(MDC).setCode("150020").setDisplay("MDC_PRESS_BLD_NONINV");
    Observation.ObservationComponentComponent s = o.addComponent();
    s.getCode().addCoding().setSystem(LOINC).setCode("8480-6");
    s.getCode().addCoding().setSystem(MDC).setCode("150021");
    s.setValue(
        new Quantity()
            .setValue(BigDecimal.valueOf(sys))
            .setUnit("mm[Hg]")
            .setSystem(UCUM)
            .setCode("mm[Hg]"));
    Observation.ObservationComponentComponent d = o.addComponent();
    d.getCode().addCoding().setSystem(LOINC).setCode("8462-4");
    d.getCode().addCoding().setSystem(MDC).setCode("150022");
    d.setValue(
        new Quantity()
            .setValue(BigDecimal.valueOf(dia))
            .setUnit("mm[Hg]")
            .setSystem(UCUM)
            .setCode("mm[Hg]"));
    return o;
  }

  /** One ECG strip of lead II (MDC 131328 / 131330) in SampledData, 0.005 mV per unit. */
  public static Observation ecgStrip(String p, Instant start, double[] mv, double fs) {
    Observation o = base(p, start, "Device/ecg-" + p);
    o.getCategory().clear();
    o.addCategory()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
        .setCode("procedure");
    o.getCode().addCoding().setSystem(MDC).setCode("131328").setDisplay("MDC_ECG_ELEC_POTL");
    double periodMs = 1000.0 / fs;
    o.setEffective(
        new Period()
            .setStart(Date.from(start))
            .setEnd(Date.from(start.plusNanos(Math.round(mv.length * periodMs * 1e6)))));
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < mv.length; i++) {
      if (i > 0) {
        data.append(' ');
      }
      data.append(Math.round(mv[i] / 0.005));
    }
    Observation.ObservationComponentComponent c = o.addComponent();
    c.getCode().addCoding().setSystem(MDC).setCode("131330").setDisplay("MDC_ECG_ELEC_POTL_II");
    SampledData sd = new SampledData();
    sd.setOrigin(new Quantity().setValue(0).setUnit("mV").setSystem(UCUM).setCode("mV"));
    sd.setPeriod(BigDecimal.valueOf(periodMs));
    sd.setFactor(new BigDecimal("0.005"));
    sd.setDimensions(1);
    sd.setData(data.toString());
    c.setValue(sd);
    return o;
  }

  public static Condition copd(String p) {
    Condition c = new Condition();
    c.setId("copd-" + p);
    c.getClinicalStatus()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/condition-clinical")
        .setCode("active");
    c.getCode()
        .addCoding()
        .setSystem("http://snomed.info/sct")
        .setCode("13645005")
        .setDisplay("Chronic obstructive lung disease");
    c.getSubject().setReference("Patient/" + p);
    return c;
  }

  public static MedicationStatement bisoprolol(String p) {
    MedicationStatement m = new MedicationStatement();
    m.setId("bisoprolol-" + p);
    m.setStatus(MedicationStatement.MedicationStatementStatus.ACTIVE);
    m.setMedication(
        new CodeableConcept()
            .addCoding(
                new org.hl7.fhir.r4.model.Coding(
                    "http://www.whocc.no/atc", "C07AB07", "bisoprolol")));
    m.getSubject().setReference("Patient/" + p);
    return m;
  }

  /** A searchset Bundle of the resources. */
  public static Bundle searchset(List<? extends Resource> resources) {
    Bundle b = new Bundle();
    b.setType(Bundle.BundleType.SEARCHSET);
    b.setTotal(resources.size());
    for (Resource r : resources) {
      b.addEntry().setResource(r).setFullUrl("urn:uuid:" + UUID.randomUUID());
    }
    return b;
  }

  public static String json(Resource r) {
    return FHIR.newJsonParser().encodeResourceToString(r);
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
