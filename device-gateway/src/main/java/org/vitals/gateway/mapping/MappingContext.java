package org.vitals.gateway.mapping;

/** Where a measurement goes: the patient, the sensor Device and the gateway Device (references). */
public record MappingContext(
    String patientReference, String deviceReference, String gatewayReference) {}
