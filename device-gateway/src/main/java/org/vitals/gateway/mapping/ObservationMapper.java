package org.vitals.gateway.mapping;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SampledData;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.vitals.gateway.deadletter.DeadLetterReason;
import org.vitals.gateway.deadletter.ReadingRejectedException;
import org.vitals.gateway.measurement.Mdc;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.measurement.Metric;
import org.vitals.gateway.measurement.Waveform;

/**
 * Maps a normalised measurement through its metric's template to a FHIR R4 Observation shaped after
 * the R4 vital-signs profiles and the HL7 PHD IG (standards-and-codes.md §4-5).
 */
public final class ObservationMapper {
  public static final String READING_IDENTIFIER_SYSTEM = "urn:vitals:sid:reading";
  public static final String UCUM = "http://unitsofmeasure.org";
  public static final String LOINC = "http://loinc.org";
  public static final String CATEGORY_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/observation-category";
  public static final String DATA_ABSENT_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/data-absent-reason";
  public static final String GATEWAY_DEVICE_EXTENSION =
      "http://hl7.org/fhir/StructureDefinition/observation-gatewayDevice";

  private ObservationMapper() {}

  public static Observation map(Measurement m, TemplateSet templates, MappingContext ctx) {
    ObservationTemplate t =
        templates
            .forMetric(m.metric().wireName())
            .orElseThrow(
                () ->
                    new ReadingRejectedException(
                        DeadLetterReason.NO_TEMPLATE,
                        "no mapping template for metric '" + m.metric().wireName() + "'"));
    Observation o = new Observation();
    if (t.profile() != null) {
      o.getMeta().addProfile(t.profile());
    }
    o.addIdentifier(new Identifier().setSystem(READING_IDENTIFIER_SYSTEM).setValue(m.identity()));
    o.setStatus(
        m.preliminary()
            ? Observation.ObservationStatus.PRELIMINARY
            : Observation.ObservationStatus.FINAL);
    for (String c : t.category()) {
      o.addCategory(
          new CodeableConcept().addCoding(new Coding(CATEGORY_SYSTEM, c, categoryDisplay(c))));
    }
    CodeableConcept code = new CodeableConcept();
    t.codings().forEach(c -> code.addCoding(new Coding(c.system(), c.code(), c.display())));
    code.addCoding(new Coding(Mdc.SYSTEM, String.valueOf(m.mdc()), Mdc.name(m.mdc())));
    o.setCode(code);
    o.setSubject(new Reference(ctx.patientReference()));
    o.setDevice(new Reference(ctx.deviceReference()));
    o.addExtension()
        .setUrl(GATEWAY_DEVICE_EXTENSION)
        .setValue(new Reference(ctx.gatewayReference()));
    if (m.end() != null) {
      o.setEffective(
          new Period().setStartElement(instant(m.time())).setEndElement(instant(m.end())));
    } else {
      o.setEffective(instant(m.time()));
    }
    List<String> remarks = m.statuses().stream().filter(s -> !s.equals("valid")).toList();
    if (!remarks.isEmpty()) {
      o.addNote().setText("sensor status: " + String.join(", ", remarks));
    }

    if (m.metric() == Metric.BP) {
      mapComponents(m, t, o);
    } else if (m.metric() == Metric.ECG) {
      mapWaveform(m.waveform(), o);
    } else if (m.value() != null) {
      o.setValue(quantity(m.value(), t.unitDisplay(), m.metric().canonicalUnit()));
    } else {
      o.setDataAbsentReason(absent(m.dataAbsentReason()));
    }
    return o;
  }

  private static void mapComponents(Measurement m, ObservationTemplate t, Observation o) {
    Map<Integer, ObservationTemplate.ComponentTemplate> byMdc =
        t.components().stream()
            .collect(Collectors.toMap(ObservationTemplate.ComponentTemplate::mdc, c -> c));
    for (var e : m.components().entrySet()) {
      ObservationComponentComponent c = o.addComponent();
      CodeableConcept cc = new CodeableConcept();
      ObservationTemplate.ComponentTemplate ct = byMdc.get(e.getKey());
      if (ct != null) {
        ct.codings().forEach(x -> cc.addCoding(new Coding(x.system(), x.code(), x.display())));
      }
      cc.addCoding(new Coding(Mdc.SYSTEM, String.valueOf(e.getKey()), Mdc.name(e.getKey())));
      c.setCode(cc);
      if (e.getValue() != null) {
        c.setValue(quantity(e.getValue(), t.unitDisplay(), m.metric().canonicalUnit()));
      } else {
        c.setDataAbsentReason(
            absent(m.dataAbsentReason() == null ? "error" : m.dataAbsentReason()));
      }
    }
  }

  private static void mapWaveform(Waveform w, Observation o) {
    for (Waveform.Lead lead : w.leads()) {
      SampledData sd = new SampledData();
      SimpleQuantity origin = new SimpleQuantity();
      origin.setValue(w.origin()).setUnit("mV").setSystem(UCUM).setCode("mV");
      sd.setOrigin(origin);
      sd.setPeriod(w.periodMillis());
      sd.setFactor(w.factor());
      if (w.lowerLimit() != null) {
        sd.setLowerLimit(w.lowerLimit());
      }
      if (w.upperLimit() != null) {
        sd.setUpperLimit(w.upperLimit());
      }
      sd.setDimensions(1);
      sd.setData(
          Arrays.stream(lead.samples())
              .mapToObj(Integer::toString)
              .collect(Collectors.joining(" ")));
      o.addComponent()
          .setCode(
              new CodeableConcept()
                  .addCoding(
                      new Coding(Mdc.SYSTEM, String.valueOf(lead.mdc()), Mdc.name(lead.mdc()))))
          .setValue(sd);
    }
  }

  private static Quantity quantity(BigDecimal value, String display, String ucum) {
    return new Quantity()
        .setValue(value)
        .setUnit(display == null ? ucum : display)
        .setSystem(UCUM)
        .setCode(ucum);
  }

  private static CodeableConcept absent(String code) {
    return new CodeableConcept().addCoding(new Coding(DATA_ABSENT_SYSTEM, code, null));
  }

  private static DateTimeType instant(java.time.Instant t) {
    DateTimeType d =
        new DateTimeType(
            Date.from(t), TemporalPrecisionEnum.MILLI, java.util.TimeZone.getTimeZone("UTC"));
    return d;
  }

  private static String categoryDisplay(String code) {
    return switch (code) {
      case "vital-signs" -> "Vital Signs";
      case "procedure" -> "Procedure";
      case "laboratory" -> "Laboratory";
      default -> null;
    };
  }
}
