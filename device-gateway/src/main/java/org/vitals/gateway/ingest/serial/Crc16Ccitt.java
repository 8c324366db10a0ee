package org.vitals.gateway.ingest.serial;

/**
 * CRC-16/CCITT-FALSE (CRC-16/IBM-3740): poly 0x1021, init 0xFFFF, no reflection, xorout 0; check
 * value CRC("123456789") = 0x29B1 (docs/wire-format.md, "Serial line protocol").
 */
public final class Crc16Ccitt {
  private Crc16Ccitt() {}

  public static int of(byte[] data, int from, int to) {
    int crc = 0xFFFF;
    for (int i = from; i < to; i++) {
      crc ^= (data[i] & 0xFF) << 8;
      for (int b = 0; b < 8; b++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      crc &= 0xFFFF;
    }
    return crc;
  }

  public static int of(String ascii) {
    byte[] b = ascii.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    return of(b, 0, b.length);
  }
}
