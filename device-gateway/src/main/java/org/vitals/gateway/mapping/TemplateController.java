package org.vitals.gateway.mapping;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.vitals.gateway.deadletter.ReadingRejectedException;
import org.vitals.gateway.measurement.Measurement;
import org.vitals.gateway.writing.ReadingPipeline;

/**
 * Templates over HTTP, including the mapping test harness: {@code POST /api/templates/test} with a
 * topic and a sample payload shows the measurements and Observations the current templates make of
 * it, without writing anything.
 */
@RestController
@RequestMapping("/api/templates")
public class TemplateController {
  private final TemplateRegistry registry;
  private final ReadingPipeline pipeline;
  private final FhirContext fhir;
  private final ObjectMapper json = new ObjectMapper();

  public TemplateController(TemplateRegistry registry, ReadingPipeline pipeline, FhirContext fhir) {
    this.registry = registry;
    this.pipeline = pipeline;
    this.fhir = fhir;
  }

  /** Harness input: the MQTT topic and the payload (a JSON value, or a string for raw text). */
  public record TestRequest(String topic, JsonNode payload) {}

  @GetMapping
  public TemplateSet current() {
    return registry.current();
  }

  @PostMapping("/reload")
  public Map<String, Object> reload() {
    TemplateSet t = registry.reload();
    return Map.of(
        "observations",
        t.observations().keySet(),
        "devices",
        t.devices().size(),
        "sources",
        t.sources());
  }

  @PostMapping("/test")
  public Map<String, Object> test(@RequestBody TestRequest req) throws Exception {
    byte[] payload =
        req.payload() != null && req.payload().isTextual()
            ? req.payload().asText().getBytes(StandardCharsets.UTF_8)
            : json.writeValueAsBytes(req.payload());
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      List<Measurement> ms = pipeline.normalise(req.topic(), payload, Instant.now());
      List<Object> observations = new ArrayList<>();
      for (Measurement m : ms) {
        var o =
            ObservationMapper.map(
                m,
                registry.current(),
                new MappingContext(
                    "Patient/example", "Device/" + m.deviceId(), "Device/" + m.gatewayId()));
        observations.add(json.readTree(fhir.newJsonParser().encodeResourceToString(o)));
      }
      out.put("ok", true);
      out.put("measurements", ms);
      out.put("observations", observations);
    } catch (ReadingRejectedException e) {
      out.put("ok", false);
      out.put("reason", e.reason().code());
      out.put("detail", e.getMessage());
    }
    return out;
  }
}
