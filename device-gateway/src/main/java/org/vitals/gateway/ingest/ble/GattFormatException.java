package org.vitals.gateway.ingest.ble;

/** A characteristic value that does not match its layout: {@code truncated}, {@code reserved}… */
public class GattFormatException extends RuntimeException {
  private final String kind;

  public GattFormatException(String kind, String detail) {
    super(kind + ": " + detail);
    this.kind = kind;
  }

  public String kind() {
    return kind;
  }
}
