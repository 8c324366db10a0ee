package org.vitals.gateway.deadletter;

/**
 * Why a reading went to the dead-letter store; the wire names are documented in
 * docs/wire-format.md.
 */
public enum DeadLetterReason {
  PAYLOAD_TOO_LARGE("payload-too-large"),
  MALFORMED_JSON("malformed-json"),
  SCHEMA_VIOLATION("schema-violation"),
  UNSUPPORTED_VERSION("unsupported-version"),
  TOPIC_MISMATCH("topic-mismatch"),
  IDENTITY_MISMATCH("identity-mismatch"),
  UNKNOWN_METRIC("unknown-metric"),
  UNIT_NOT_ALLOWED("unit-not-allowed"),
  IMPLAUSIBLE_VALUE("implausible-value"),
  NO_TEMPLATE("no-template"),
  MAPPING_FAILED("mapping-failed"),
  UNASSIGNED_DEVICE("unassigned-device"),
  FHIR_REJECTED("fhir-rejected"),
  // Serial line protocol rejections (docs/wire-format.md, "Serial line protocol").
  TOO_LONG("too-long"),
  NO_START("no-start"),
  NO_CRC("no-crc"),
  BAD_CHAR("bad-char"),
  BAD_CRC("bad-crc"),
  UNKNOWN_TYPE("unknown-type"),
  FIELD_COUNT("field-count"),
  BAD_FIELD("bad-field"),
  OUT_OF_RANGE("out-of-range"),
  NO_HELLO("no-hello"),
  // HL7 v2 (docs/hl7-v2.md) and Bluetooth GATT payloads.
  HL7_MALFORMED("hl7-malformed"),
  HL7_UNSUPPORTED("hl7-unsupported"),
  UNKNOWN_PATIENT("unknown-patient"),
  GATT_MALFORMED("gatt-malformed");

  private final String code;

  DeadLetterReason(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static DeadLetterReason fromCode(String code) {
    for (DeadLetterReason r : values()) {
      if (r.code.equals(code)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown dead-letter reason: " + code);
  }
}
