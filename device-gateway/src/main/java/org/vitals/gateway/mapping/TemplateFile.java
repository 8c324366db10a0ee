package org.vitals.gateway.mapping;

import java.util.List;

/** The shape of one template file (YAML or JSON): observation templates and device templates. */
public record TemplateFile(List<ObservationTemplate> observations, List<DeviceTemplate> devices) {
  public TemplateFile {
    observations = observations == null ? List.of() : observations;
    devices = devices == null ? List.of() : devices;
  }
}
