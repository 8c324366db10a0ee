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
  FHIR_REJECTED("fhir-rejected");

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
