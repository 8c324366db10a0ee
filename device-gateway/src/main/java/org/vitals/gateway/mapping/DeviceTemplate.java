package org.vitals.gateway.mapping;

import java.util.List;

/**
 * Describes a third-party device's own JSON so that it needs a template, not code: where the device
 * id, counters, time and values are (JSONPath expressions, e.g. {@code $.serial}).
 *
 * @param name template name (shown in dead letters and the test harness)
 * @param topic MQTT topic filter the gateway subscribes to for this device type
 * @param gatewayId JSONPath or constant for the forwarding gateway id (constant when it does not
 *     start with {@code $})
 * @param deviceId JSONPath to the device id
 * @param boot JSONPath to the boot/session counter, or null (then 0)
 * @param seq JSONPath to the sequence number
 * @param timestamp JSONPath to the measurement time, or null (gateway receive time)
 * @param timestampFormat {@code iso8601}, {@code epoch-ms} or {@code epoch-s}
 * @param values the values the message carries
 */
public record DeviceTemplate(
    String name,
    String topic,
    String gatewayId,
    String deviceId,
    String boot,
    String seq,
    String timestamp,
    String timestampFormat,
    List<ValueTemplate> values) {

  /**
   * One value: the metric it is, JSONPath to the number (or to a BP component map), and its unit.
   *
   * @param metric wire metric name
   * @param value JSONPath to the value (numeric metrics)
   * @param systolic JSONPath for bp systolic
   * @param diastolic JSONPath for bp diastolic
   * @param mean JSONPath for bp mean (optional)
   * @param unit UCUM unit the device sends
   */
  public record ValueTemplate(
      String metric, String value, String systolic, String diastolic, String mean, String unit) {}
}
