package org.vitals.gateway.ingest.ble;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An IEEE 11073-20601 SFLOAT (16 bit) or FLOAT (32 bit) as sent by Bluetooth health devices.
 *
 * <p>Source: ../shared/reference/standards-and-codes.md §6 (HL7 PHD IG "MderFLOATsandSFLOATs"):
 * special codes are tested on the raw word before sign extension.
 */
public record MderFloat(Kind kind, int mantissa, int exponent) {

  /** Finite number or one of the special values. */
  public enum Kind {
    FINITE("finite", null),
    NAN("nan", "nan"),
    NRES("nres", "nres"),
    POS_INF("pos_inf", "pos_inf"),
    NEG_INF("neg_inf", "neg_inf"),
    RESERVED("reserved", "sensor_error");

    private final String code;
    private final String wireStatus;

    Kind(String code, String wireStatus) {
      this.code = code;
      this.wireStatus = wireStatus;
    }

    public String code() {
      return code;
    }

    /** The wire-format sensor status a special value becomes (docs/wire-format.md). */
    public String wireStatus() {
      return wireStatus;
    }
  }

  /** Decodes a 16-bit SFLOAT word (the value as a number, bytes already little-endian joined). */
  public static MderFloat sfloat(int raw) {
    raw &= 0xFFFF;
    switch (raw) {
      case 0x07FF:
        return new MderFloat(Kind.NAN, 0, 0);
      case 0x0800:
        return new MderFloat(Kind.NRES, 0, 0);
      case 0x07FE:
        return new MderFloat(Kind.POS_INF, 0, 0);
      case 0x0802:
        return new MderFloat(Kind.NEG_INF, 0, 0);
      case 0x0801:
        return new MderFloat(Kind.RESERVED, 0, 0);
      default:
        int mantissa = (raw << 20) >> 20; // sign-extend 12 bits
        int exponent = (raw << 16) >> 28; // sign-extend 4 bits
        return new MderFloat(Kind.FINITE, mantissa, exponent);
    }
  }

  /** Decodes a 32-bit FLOAT word. */
  public static MderFloat float32(long raw) {
    int w = (int) (raw & 0xFFFFFFFFL);
    switch (w) {
      case 0x007FFFFF:
        return new MderFloat(Kind.NAN, 0, 0);
      case 0x00800000:
        return new MderFloat(Kind.NRES, 0, 0);
      case 0x007FFFFE:
        return new MderFloat(Kind.POS_INF, 0, 0);
      case 0x00800002:
        return new MderFloat(Kind.NEG_INF, 0, 0);
      case 0x00800001:
        return new MderFloat(Kind.RESERVED, 0, 0);
      default:
        int mantissa = (w << 8) >> 8; // sign-extend 24 bits
        int exponent = w >> 24; // arithmetic shift keeps the sign of the 8-bit exponent
        return new MderFloat(Kind.FINITE, mantissa, exponent);
    }
  }

  public boolean isFinite() {
    return kind == Kind.FINITE;
  }

  /** The exact value m × 10^e (precision kept: 0xF014 is 2.0), or null for special values. */
  public BigDecimal value() {
    return isFinite() ? new BigDecimal(BigInteger.valueOf(mantissa), -exponent) : null;
  }

  /** Plain decimal text, or the kind for special values. */
  public String text() {
    return isFinite() ? value().toPlainString() : kind.code();
  }
}
