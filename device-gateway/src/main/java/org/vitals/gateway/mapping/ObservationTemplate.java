package org.vitals.gateway.mapping;

import java.util.List;

/**
 * Declarative mapping of one metric's measurements to an Observation (loaded from YAML/JSON).
 *
 * @param metric the wire metric name (hr, spo2, bp, ...)
 * @param category observation-category codes (vital-signs, procedure, laboratory)
 * @param profile canonical URL claimed in meta.profile, or null
 * @param codings codings of Observation.code besides the measurement's MDC code (which is always
 *     added)
 * @param unitDisplay human-readable unit text for valueQuantity.unit
 * @param components BP-style component codings, by MDC code
 */
public record ObservationTemplate(
    String metric,
    List<String> category,
    String profile,
    List<CodingTemplate> codings,
    String unitDisplay,
    List<ComponentTemplate> components) {

  /** One coding: system, code, display. */
  public record CodingTemplate(String system, String code, String display) {}

  /** Codings of one component, keyed by the component's MDC code. */
  public record ComponentTemplate(int mdc, List<CodingTemplate> codings) {}

  public ObservationTemplate {
    category = category == null ? List.of("vital-signs") : List.copyOf(category);
    codings = codings == null ? List.of() : List.copyOf(codings);
    components = components == null ? List.of() : List.copyOf(components);
  }
}
