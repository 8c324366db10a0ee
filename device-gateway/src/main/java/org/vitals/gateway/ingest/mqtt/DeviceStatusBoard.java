package org.vitals.gateway.ingest.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The last online/offline state each device published on its retained status topic. */
public class DeviceStatusBoard {
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, DeviceStatus> byDevice = new ConcurrentHashMap<>();

  /** A device's last status message. */
  public record DeviceStatus(
      String deviceId, String gatewayId, boolean online, Instant seenAt, String payload) {}

  public void update(String topic, String payload) {
    String[] p = topic.split("/");
    boolean online = false;
    try {
      JsonNode n = json.readTree(payload);
      online = n != null && n.path("online").asBoolean(false);
    } catch (Exception e) {
      // a malformed status counts as offline; it is not a reading, so nothing is dead-lettered
    }
    byDevice.put(p[3], new DeviceStatus(p[3], p[2], online, Instant.now(), payload));
  }

  public Optional<DeviceStatus> get(String deviceId) {
    return Optional.ofNullable(byDevice.get(deviceId));
  }

  public Map<String, DeviceStatus> all() {
    return Map.copyOf(byDevice);
  }
}
