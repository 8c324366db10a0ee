package org.vitals.gateway.identity;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.vitals.gateway.ingest.mqtt.DeviceStatusBoard;

/** Devices over HTTP: show a device with its assignments and status, assign it to a patient. */
@RestController
@RequestMapping("/api/devices")
public class DeviceController {
  private final DeviceDirectory directory;
  private final DeviceStatusBoard statusBoard;

  public DeviceController(DeviceDirectory directory, DeviceStatusBoard statusBoard) {
    this.directory = directory;
    this.statusBoard = statusBoard;
  }

  /**
   * Body of an assignment: the patient reference and the interval (start default now, end open).
   */
  public record AssignmentRequest(String patient, Instant start, Instant end) {}

  @GetMapping("/{deviceId}")
  public Map<String, Object> get(@PathVariable String deviceId) {
    DeviceIdentity d = directory.device(deviceId);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("deviceId", deviceId);
    out.put("device", d.reference());
    out.put("patient", d.patientAt(Instant.now()).orElse(null));
    out.put("assignments", d.assignments());
    out.put("status", statusBoard.get(deviceId).orElse(null));
    return out;
  }

  @GetMapping("/{deviceId}/status")
  public DeviceStatusBoard.DeviceStatus status(@PathVariable String deviceId) {
    return statusBoard
        .get(deviceId)
        .orElseThrow(
            () ->
                new ResponseStatusException(
                    HttpStatus.NOT_FOUND, "no status seen for device " + deviceId));
  }

  @PutMapping("/{deviceId}/assignment")
  public Map<String, Object> assign(
      @PathVariable String deviceId, @RequestBody AssignmentRequest req) {
    if (req.patient() == null || !req.patient().matches("Patient/[A-Za-z0-9.-]{1,64}")) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST,
          "'patient' must be a reference like Patient/123, was " + req.patient());
    }
    if (req.start() != null && req.end() != null && !req.end().isAfter(req.start())) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'end' must be after 'start'");
    }
    try {
      directory.assign(deviceId, req.patient(), req.start(), req.end());
    } catch (DeviceDirectory.AssignmentsUnavailableException e) {
      throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
    }
    return get(deviceId);
  }
}
