package org.vitals.gateway.measurement;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One normalised reading: patient-free, unit-checked, in the metric's canonical UCUM unit, with its
 * MDC code. Every input adapter produces these; mapping templates turn them into FHIR.
 *
 * @param identity the reading's identity, {@code dev:boot:seq} (plus a suffix for derived parts)
 * @param gatewayId the publishing gateway (PHD "PHG")
 * @param deviceId the sensor device id
 * @param mdc the 32-bit MDC code of what was measured
 * @param time the (first sample's) measurement time
 * @param end the end of the measured period, for waveform strips; null for spot values
 * @param value the value in {@code metric.canonicalUnit()}; null when absent
 * @param components BP components by MDC code (values may be null when absent)
 * @param dataAbsentReason FHIR data-absent-reason code when the value is missing
 * @param statuses the sensor status words as sent
 * @param waveform samples for ECG strips; null otherwise
 */
public record Measurement(
    String identity,
    String gatewayId,
    String deviceId,
    Metric metric,
    int mdc,
    Instant time,
    TimeQuality timeQuality,
    Instant end,
    BigDecimal value,
    Map<Integer, BigDecimal> components,
    String dataAbsentReason,
    List<String> statuses,
    Waveform waveform) {

  /** Where the measurement time came from. */
  public enum TimeQuality {
    NTP,
    RTC,
    GW,
    NONE
  }

  public boolean preliminary() {
    return statuses.stream()
        .anyMatch(
            s ->
                s.equals("questionable")
                    || s.equals("motion")
                    || s.equals("low_perfusion")
                    || s.equals("calibrating"));
  }
}
