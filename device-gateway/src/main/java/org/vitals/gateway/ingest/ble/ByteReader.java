package org.vitals.gateway.ingest.ble;

import java.time.LocalDateTime;

/** Little-endian reader over a GATT characteristic value; running past the end is "truncated". */
final class ByteReader {
  private final byte[] b;
  private int pos;

  ByteReader(byte[] bytes) {
    this.b = bytes;
  }

  int u8() {
    need(1);
    return b[pos++] & 0xFF;
  }

  int u16() {
    need(2);
    int v = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8;
    pos += 2;
    return v;
  }

  int s16() {
    return (short) u16();
  }

  int u24() {
    need(3);
    int v = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16;
    pos += 3;
    return v;
  }

  MderFloat sfloat() {
    return MderFloat.sfloat(u16());
  }

  MderFloat float32() {
    need(4);
    long v =
        (b[pos] & 0xFFL)
            | (b[pos + 1] & 0xFFL) << 8
            | (b[pos + 2] & 0xFFL) << 16
            | (b[pos + 3] & 0xFFL) << 24;
    pos += 4;
    return MderFloat.float32(v);
  }

  /** Date Time 0x2A08: year uint16, month, day, hours, minutes, seconds; null if unknown. */
  LocalDateTime dateTime() {
    int year = u16();
    int month = u8();
    int day = u8();
    int h = u8();
    int m = u8();
    int s = u8();
    if (year == 0 || month == 0 || day == 0) {
      return null; // "unknown" per the characteristic definition
    }
    try {
      return LocalDateTime.of(year, month, day, h, m, s);
    } catch (java.time.DateTimeException e) {
      throw new GattFormatException("bad-time", "invalid Date Time " + e.getMessage());
    }
  }

  void end() {
    if (pos != b.length) {
      throw new GattFormatException(
          "trailing", (b.length - pos) + " byte(s) after the last field the flags announce");
    }
  }

  private void need(int n) {
    if (pos + n > b.length) {
      throw new GattFormatException(
          "truncated",
          "needs " + (pos + n) + " bytes for the fields the flags announce, has " + b.length);
    }
  }
}
