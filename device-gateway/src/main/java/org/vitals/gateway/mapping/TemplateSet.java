package org.vitals.gateway.mapping;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The templates in force at one moment: observation templates by metric plus device templates. */
public record TemplateSet(
    Map<String, ObservationTemplate> observations,
    List<DeviceTemplate> devices,
    List<String> sources) {

  public Optional<ObservationTemplate> forMetric(String metric) {
    return Optional.ofNullable(observations.get(metric));
  }
}
