package org.vitals.gateway.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.it.ItEnvironment;

/**
 * The CSV export against the real FHIR server (this build's jar, on PostgreSQL, SMART security on):
 * the client holds a backend-services token, the export pages through the Bundle's next links and
 * flattens the blood-pressure components into rows.
 */
class VitalsCsvExportIT {
  static final String VS = "http://terminology.hl7.org/CodeSystem/observation-category";

  static Observation vital(
      String patient, String device, Instant at, String loinc, String display) {
    Observation o = new Observation();
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.addCategory(new CodeableConcept(new Coding(VS, "vital-signs", "Vital Signs")));
    o.setCode(new CodeableConcept(new Coding("http://loinc.org", loinc, display)));
    o.setSubject(new Reference(patient));
    o.setEffective(new DateTimeType(at.toString()));
    o.setDevice(new Reference(device));
    return o;
  }

  static Quantity q(double v, String unit) {
    return new Quantity()
        // As a device sends it: 60, not 60.0 (the export keeps the stored decimal as it is).
        .setValue(new BigDecimal(BigDecimal.valueOf(v).stripTrailingZeros().toPlainString()))
        .setUnit(unit)
        .setSystem("http://unitsofmeasure.org")
        .setCode(unit);
  }

  @Test
  void exportsATimeRangeOfAPatientsVitalsPageByPageWithComponentsFlattened() throws Exception {
    ItEnvironment.FhirServer server = ItEnvironment.fhir();
    IGenericClient fhir = ItEnvironment.client(server.base());
    String patient = ItEnvironment.createPatient(fhir, "Csvexport");
    String devId = "csv-mon-" + UUID.randomUUID().toString().substring(0, 8);
    Device d = new Device();
    d.addIdentifier().setSystem(VitalsCsvExport.DEVICE_SYSTEM).setValue(devId);
    String device =
        fhir.create().resource(d).execute().getId().toUnqualifiedVersionless().getValue();

    Instant t0 = Instant.parse("2026-11-20T08:00:00Z");
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (int i = 0; i < 230; i++) {
      Observation hr = vital(patient, device, t0.plusSeconds(i * 60L), "8867-4", "Heart rate");
      hr.setValue(q(60 + i % 40, "/min"));
      tx.addEntry()
          .setResource(hr)
          .getRequest()
          .setMethod(Bundle.HTTPVerb.POST)
          .setUrl("Observation");
    }
    for (int i = 0; i < 20; i++) {
      Observation bp =
          vital(
              patient,
              device,
              t0.plusSeconds(i * 600L + 30),
              "85354-9",
              "Blood pressure panel with all children optional");
      bp.addComponent()
          .setCode(
              new CodeableConcept(
                  new Coding("http://loinc.org", "8480-6", "Systolic blood pressure")))
          .setValue(q(120 + i, "mm[Hg]"));
      bp.addComponent()
          .setCode(
              new CodeableConcept(
                  new Coding("http://loinc.org", "8462-4", "Diastolic blood pressure")))
          .setValue(q(80 - i, "mm[Hg]"));
      tx.addEntry()
          .setResource(bp)
          .getRequest()
          .setMethod(Bundle.HTTPVerb.POST)
          .setUrl("Observation");
    }
    // Outside the range: must not be exported (a value no heart rate in the range has).
    Observation late = vital(patient, device, t0.plusSeconds(86_400), "8867-4", "Heart rate");
    late.setValue(q(199, "/min"));
    tx.addEntry()
        .setResource(late)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Observation");
    fhir.transaction().withBundle(tx).execute();

    VitalsCsvExport.Options o =
        VitalsCsvExport.parse(
            new String[] {
              "--fhir", server.base(),
              "--from", "2026-11-20T08:00:00Z",
              "--to", "2026-11-20T12:00:00Z",
              "--patient", patient,
              "--page-size", "50"
            });
    StringWriter csv = new StringWriter();
    VitalsCsvExport.Result r = VitalsCsvExport.export(fhir, o, csv);

    List<String> lines = csv.toString().lines().toList();
    assertEquals(VitalsCsvExport.HEADER, lines.get(0));
    // 4 h of minutes: 230 heart rates (all within), 20 BP panels of 2 components each.
    assertEquals(250, r.observations());
    assertEquals(230 + 40, r.rows());
    assertEquals(1 + 270, lines.size());
    assertTrue(r.pages() >= 5, "250 Observations at 50 a page: " + r.pages() + " pages");
    String first = lines.get(1);
    assertEquals(
        patient + ",2026-11-20T08:00:00Z,8867-4,Heart rate,60,/min,," + devId + ",",
        first.substring(0, first.lastIndexOf(',') + 1));
    assertTrue(
        lines.contains(
            lines.stream()
                .filter(l -> l.contains(",8480-6,Systolic blood pressure,120,mm[Hg],85354-9,"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no systolic row in\n" + csv))));
    assertTrue(lines.stream().anyMatch(l -> l.contains(",99,/min,")), "the range's 99 /min");
    assertTrue(lines.stream().noneMatch(l -> l.contains(",199,/min,")), "outside the range");
  }
}
