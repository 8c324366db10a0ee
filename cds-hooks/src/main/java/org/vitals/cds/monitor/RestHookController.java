package org.vitals.cds.monitor;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Receives the FHIR server's rest-hook deliveries ({@code PUT /monitor/hook/{type}/{id}} with the
 * resource as payload), checks the shared secret and queues the resource for the {@link Monitor}.
 * Answers at once: evaluation happens on the monitor's workers.
 */
@RestController
public class RestHookController {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(RestHookController.class);

  private final Monitor monitor;
  private final MonitorSubscriptions subscriptions;
  private final FhirContext fhir = FhirContext.forR4Cached();

  public RestHookController(Monitor monitor, MonitorSubscriptions subscriptions) {
    this.monitor = monitor;
    this.subscriptions = subscriptions;
  }

  @RequestMapping(
      value = {"/monitor/hook", "/monitor/hook/**"},
      method = {RequestMethod.PUT, RequestMethod.POST})
  public ResponseEntity<String> deliver(
      @RequestHeader(value = "Authorization", required = false) String authorization,
      @RequestBody(required = false) String body) {
    byte[] expected = ("Bearer " + subscriptions.secret()).getBytes(StandardCharsets.UTF_8);
    byte[] given =
        authorization == null ? new byte[0] : authorization.getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, given)) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
          .body("rest-hook secret missing or wrong");
    }
    if (body == null || body.isBlank()) {
      return ResponseEntity.ok().build(); // a ping without payload
    }
    IBaseResource resource;
    try {
      resource = fhir.newJsonParser().parseResource(body);
    } catch (DataFormatException e) {
      return ResponseEntity.badRequest().body("not FHIR R4 JSON: " + e.getMessage());
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "delivery of {} at {}",
          resource.getIdElement().toUnqualifiedVersionless(),
          java.time.Instant.now());
    }
    monitor.accept((Resource) resource);
    return ResponseEntity.ok().build();
  }
}
