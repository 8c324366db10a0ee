package org.vitals.gateway.summary;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.vitals.gateway.mapping.MappingContext;
import org.vitals.gateway.mapping.ObservationMapper;
import org.vitals.gateway.mapping.TemplateSet;
import org.vitals.gateway.measurement.Measurement;

/**
 * Builds one minute summary (decision 0209): the metric's own template (codes, profile, unit) with
 * the minute as effectivePeriod, the median as value, and minimum, maximum and count as components;
 * tagged as an aggregate and identified by {@code deviceId/metric/minuteStart}.
 */
public final class SummaryObservation {
  public static final String AGGREGATION_SYSTEM =
      "https://vitals.example.org/fhir/CodeSystem/aggregation";
  public static final String IDENTIFIER_SYSTEM = "urn:vitals:sid:minute-summary";

  private SummaryObservation() {}

  /** The summary identifier's value: {@code deviceId/metric/minuteStartEpochSeconds}. */
  public static String identity(String deviceId, String metric, long minuteStart) {
    return deviceId + "/" + metric + "/" + minuteStart;
  }

  /**
   * @param readings the minute's valid readings of one device and metric (at least one), all of one
   *     patient
   */
  public static Observation build(
      long minuteStart, List<Measurement> readings, TemplateSet templates, MappingContext ctx) {
    List<BigDecimal> values = readings.stream().map(Measurement::value).sorted().toList();
    int n = values.size();
    BigDecimal median =
        n % 2 == 1
            ? values.get(n / 2)
            : values.get(n / 2 - 1).add(values.get(n / 2)).divide(BigDecimal.valueOf(2));
    Measurement first = readings.get(0);
    String id = identity(first.deviceId(), first.metric().wireName(), minuteStart);
    Instant start = Instant.ofEpochSecond(minuteStart);
    Measurement summary =
        new Measurement(
            id,
            first.gatewayId(),
            first.deviceId(),
            first.metric(),
            mostCommonMdc(readings),
            start,
            Measurement.TimeQuality.NONE,
            start.plusSeconds(60),
            median,
            Map.of(),
            null,
            List.of("valid"),
            null);
    Observation o = ObservationMapper.map(summary, templates, ctx);
    o.getIdentifier().clear();
    o.addIdentifier(new Identifier().setSystem(IDENTIFIER_SYSTEM).setValue(id));
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.getMeta().addTag(AGGREGATION_SYSTEM, "minute", "One-minute summary");
    Quantity unit = o.getValueQuantity();
    o.addComponent()
        .setCode(code("minimum", "Minimum"))
        .setValue(unit.copy().setValue(values.get(0)));
    o.addComponent()
        .setCode(code("maximum", "Maximum"))
        .setValue(unit.copy().setValue(values.get(n - 1)));
    o.addComponent().setCode(code("count", "Count")).setValue(new IntegerType(n));
    return o;
  }

  private static CodeableConcept code(String code, String display) {
    return new CodeableConcept().addCoding(new Coding(AGGREGATION_SYSTEM, code, display));
  }

  private static int mostCommonMdc(List<Measurement> readings) {
    Map<Integer, Long> counts =
        readings.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    Measurement::mdc, java.util.stream.Collectors.counting()));
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }
}
