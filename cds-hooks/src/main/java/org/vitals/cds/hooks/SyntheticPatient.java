package org.vitals.cds.hooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * A made-up, deteriorating patient's CDS request with a full prefetch in the gateway's Observation
 * shapes (docs/wire-format.md: LOINC + MDC codes, UCUM units, category, subject, device,
 * identifier): 10 min of 1-Hz SpO2, 20 heart and respiratory rates, 5 temperatures, 100 BP panels,
 * 288 CGM readings, 60 one-second ECG strips at 250 Hz, COPD and bisoprolol. Used only to warm the
 * service up at start ({@link WarmUp}); it is nobody's data and is never stored.
 */
final class SyntheticPatient {

  static final String PATIENT = "warm-up-synthetic";
  private static final String LOINC = "http://loinc.org";
  private static final String MDC = "urn:iso:std:iso:11073:10101";
  private static final String UCUM = "http://unitsofmeasure.org";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SyntheticPatient() {}

  /** The request body of {@code hook} ({@code patient-view} or {@code encounter-start}). */
  static byte[] request(String hook, Instant now) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("hook", hook);
    body.put("hookInstance", UUID.randomUUID().toString());
    ObjectNode ctx = body.putObject("context");
    ctx.put("userId", "Practitioner/warm-up");
    ctx.put("patientId", PATIENT);
    if (hook.equals("encounter-start")) {
      ctx.put("encounterId", "warm-up-encounter");
    }
    ObjectNode prefetch = body.putObject("prefetch");
    ObjectNode patient = prefetch.putObject("patient");
    patient.put("resourceType", "Patient");
    patient.put("id", PATIENT);
    ArrayNode spo2 = bundle(prefetch, "spo2");
    for (int s = 599; s >= 0; s--) {
      quantity(
          spo2, now.minusSeconds(s), "monitor", "2708-6", "150456", s % 120 < 30 ? 86 : 93, "%");
    }
    ArrayNode hr = bundle(prefetch, "heartRate");
    ArrayNode rr = bundle(prefetch, "respiratoryRate");
    for (int s = 19; s >= 0; s--) {
      quantity(hr, now.minusSeconds(s), "monitor", "8867-4", "149546", 118, "/min");
      quantity(rr, now.minusSeconds(s), "monitor", "9279-1", "151562", 24, "/min");
    }
    ArrayNode temp = bundle(prefetch, "temperature");
    for (int i = 4; i >= 0; i--) {
      quantity(temp, now.minusSeconds(i * 3600L), "thermo", "8310-5", "150364", 38.4, "Cel");
    }
    ArrayNode bp = bundle(prefetch, "bloodPressure");
    for (int d = 99; d >= 0; d--) {
      ObjectNode o = base(bp, now.minusSeconds(d * 7200L), "cuff", "85354-9", "150020");
      ArrayNode comps = o.putArray("component");
      component(comps, "8480-6", "150021", 100 + (d % 7));
      component(comps, "8462-4", "150022", 64);
    }
    bundle(prefetch, "oxygen");
    bundle(prefetch, "consciousness");
    ArrayNode glucose = bundle(prefetch, "glucose");
    for (int i = 287; i >= 0; i--) {
      double v = Math.round(140 + 60 * Math.sin(i / 20.0));
      quantity(glucose, now.minusSeconds(i * 300L), "cgm", "99504-3", "160184", v, "mg/dL");
    }
    ArrayNode ecg = bundle(prefetch, "ecg");
    for (int s = 59; s >= 0; s--) {
      ecgStrip(ecg, now.minusSeconds(s + 1L), s);
    }
    ArrayNode conditions = bundle(prefetch, "conditions");
    ObjectNode copd = resource(conditions, "Condition", "copd");
    copd.putObject("clinicalStatus")
        .putArray("coding")
        .addObject()
        .put("system", "http://terminology.hl7.org/CodeSystem/condition-clinical")
        .put("code", "active");
    copd.putObject("code")
        .putArray("coding")
        .addObject()
        .put("system", "http://snomed.info/sct")
        .put("code", "13645005")
        .put("display", "Chronic obstructive lung disease");
    ArrayNode statements = bundle(prefetch, "medicationStatements");
    ObjectNode med = resource(statements, "MedicationStatement", "bisoprolol");
    med.put("status", "active");
    med.putObject("medicationCodeableConcept")
        .putArray("coding")
        .addObject()
        .put("system", "http://www.whocc.no/atc")
        .put("code", "C07AB07")
        .put("display", "bisoprolol");
    bundle(prefetch, "medicationRequests");
    return JSON.writeValueAsBytes(body);
  }

  private static ArrayNode bundle(ObjectNode prefetch, String key) {
    ObjectNode b = prefetch.putObject(key);
    b.put("resourceType", "Bundle");
    b.put("type", "searchset");
    return b.putArray("entry");
  }

  private static ObjectNode resource(ArrayNode entries, String type, String id) {
    ObjectNode e = entries.addObject();
    e.put("fullUrl", "urn:uuid:" + UUID.randomUUID());
    ObjectNode r = e.putObject("resource");
    r.put("resourceType", type);
    r.put("id", id + "-" + UUID.randomUUID());
    r.putObject("subject").put("reference", "Patient/" + PATIENT);
    return r;
  }

  private static ObjectNode base(
      ArrayNode entries, Instant t, String device, String loinc, String mdc) {
    ObjectNode o = resource(entries, "Observation", "obs");
    o.putArray("identifier")
        .addObject()
        .put("system", "urn:vitals:warm-up")
        .put("value", UUID.randomUUID().toString());
    o.put("status", "final");
    o.putArray("category")
        .addObject()
        .putArray("coding")
        .addObject()
        .put("system", "http://terminology.hl7.org/CodeSystem/observation-category")
        .put("code", "vital-signs");
    ArrayNode coding = o.putObject("code").putArray("coding");
    coding.addObject().put("system", LOINC).put("code", loinc);
    coding.addObject().put("system", MDC).put("code", mdc);
    o.put("effectiveDateTime", t.toString());
    o.putObject("device").put("reference", "Device/" + device + "-" + PATIENT);
    return o;
  }

  private static void quantity(
      ArrayNode entries,
      Instant t,
      String device,
      String loinc,
      String mdc,
      double v,
      String unit) {
    ObjectNode o = base(entries, t, device, loinc, mdc);
    o.putObject("valueQuantity")
        .put("value", v)
        .put("unit", unit)
        .put("system", UCUM)
        .put("code", unit);
  }

  private static void component(ArrayNode comps, String loinc, String mdc, double v) {
    ObjectNode c = comps.addObject();
    ArrayNode coding = c.putObject("code").putArray("coding");
    coding.addObject().put("system", LOINC).put("code", loinc);
    coding.addObject().put("system", MDC).put("code", mdc);
    c.putObject("valueQuantity")
        .put("value", v)
        .put("unit", "mm[Hg]")
        .put("system", UCUM)
        .put("code", "mm[Hg]");
  }

  /** One second of lead II at 250 Hz: QRS-like spikes at 75/min, 0.005 mV per unit. */
  private static void ecgStrip(ArrayNode entries, Instant start, int second) {
    ObjectNode o = base(entries, start, "ecg", "131328", "131328");
    o.remove("effectiveDateTime");
    ArrayNode coding = (ArrayNode) o.get("code").get("coding");
    coding.remove(0); // the ECG is coded in MDC only
    ObjectNode period = o.putObject("effectivePeriod");
    period.put("start", start.toString());
    period.put("end", start.plusSeconds(1).toString());
    StringBuilder data = new StringBuilder(1500);
    for (int i = 0; i < 250; i++) {
      double t = second + i / 250.0;
      double phase = (t % 0.8) - 0.4;
      double mv =
          1.2 * Math.exp(-phase * phase / (2 * 0.012 * 0.012))
              + 0.1 * Math.sin(2 * Math.PI * 0.3 * t);
      data.append(i == 0 ? "" : " ").append(Math.round(mv / 0.005));
    }
    ObjectNode c = o.putArray("component").addObject();
    c.putObject("code").putArray("coding").addObject().put("system", MDC).put("code", "131330");
    ObjectNode sd = c.putObject("valueSampledData");
    sd.putObject("origin").put("value", 0).put("unit", "mV").put("system", UCUM).put("code", "mV");
    sd.put("period", 4);
    sd.put("factor", 0.005);
    sd.put("dimensions", 1);
    sd.put("data", data.toString());
  }
}
