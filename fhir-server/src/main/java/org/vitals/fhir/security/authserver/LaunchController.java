package org.vitals.fhir.security.authserver;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.vitals.fhir.security.LaunchContexts;
import org.vitals.fhir.security.ServerUrls;
import org.vitals.fhir.security.realm.SecurityRealm;

/**
 * Mints EHR launch contexts for the local EHR launcher page: a signed-in clinician posts {@code
 * {"patient": id, "encounter": id}} and gets {@code {"launch": ..., "iss": fhirBase}} to open an
 * app with {@code ?iss=...&launch=...}. The launch is bound to that clinician.
 */
@RestController
class LaunchController {

  private final LaunchContexts launches;
  private final SecurityRealm realm;
  private final ServerUrls urls;

  LaunchController(LaunchContexts launches, SecurityRealm realm, ServerUrls urls) {
    this.launches = launches;
    this.realm = realm;
    this.urls = urls;
  }

  /** Request body of {@code POST /smart/launch}. */
  record LaunchRequest(String patient, String encounter) {}

  @PostMapping("/smart/launch")
  ResponseEntity<Map<String, String>> mint(
      @RequestBody LaunchRequest body, Principal user, HttpServletRequest request) {
    if (!realm.user(user.getName()).map(SecurityRealm.User::practitioner).orElse(false)) {
      return ResponseEntity.status(403).body(Map.of("error", "only clinicians start EHR launches"));
    }
    try {
      String launch = launches.mint(body.patient(), body.encounter(), user.getName(), false);
      return ResponseEntity.ok(Map.of("launch", launch, "iss", urls.fhirBase(request)));
    } catch (IllegalArgumentException e) {
      return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }
  }
}
