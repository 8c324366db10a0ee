package org.vitals.gateway.ingest.ble;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decoders of the Bluetooth SIG health characteristics that phones and Pi gateways forward as raw
 * bytes: Blood Pressure Measurement 0x2A35 (and Intermediate Cuff Pressure 0x2A36), Glucose
 * Measurement 0x2A18, PLX Spot-check 0x2A5E, PLX Continuous 0x2A5F, Temperature Measurement 0x2A1C
 * (and Intermediate Temperature 0x2A1E).
 *
 * <p>Layouts: ../shared/reference/standards-and-codes.md §7 (Bluetooth SIG characteristic
 * definitions, cross-checked with the Nordic SDK structs). Pure functions: bytes in, readings out.
 */
public final class GattDecoder {
  private GattDecoder() {}

  /**
   * One value as the wire format carries it: metric, UCUM unit, value (null when absent), the
   * sensor statuses, optional MDC code and BP components, and the suffix of its identity.
   */
  public record Value(
      String metric,
      String unit,
      BigDecimal value,
      Set<String> statuses,
      Integer mdc,
      Map<Integer, BigDecimal> components,
      String identitySuffix) {}

  /**
   * A decoded characteristic: its values, the device's own time stamp (or null), canonical text.
   */
  public record Decoded(List<Value> values, LocalDateTime deviceTime, String canonical) {}

  /** Decodes by the 16-bit characteristic UUID. */
  public static Decoded decode(int uuid, byte[] bytes) {
    return switch (uuid) {
      case 0x2A35, 0x2A36 -> bloodPressure(bytes);
      case 0x2A18 -> glucose(bytes);
      case 0x2A5E -> plxSpotCheck(bytes);
      case 0x2A5F -> plxContinuous(bytes);
      case 0x2A1C, 0x2A1E -> temperature(bytes);
      default ->
          throw new GattFormatException(
              "unsupported",
              String.format(
                  "characteristic 0x%04X is not supported; use 2A35, 2A18, 2A5E, 2A5F, 2A1C",
                  uuid));
    };
  }

  /** Blood Pressure Measurement 0x2A35 (§7.1). */
  public static Decoded bloodPressure(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int flags = r.u8();
    if ((flags & 0xE0) != 0) {
      throw new GattFormatException(
          "reserved", String.format("flags 0x%02X set RFU bits 5-7", flags));
    }
    boolean kpa = (flags & 0x01) != 0;
    MderFloat sys = r.sfloat();
    MderFloat dia = r.sfloat();
    MderFloat map = r.sfloat();
    LocalDateTime time = (flags & 0x02) != 0 ? r.dateTime() : null;
    MderFloat pulse = (flags & 0x04) != 0 ? r.sfloat() : null;
    Integer user = (flags & 0x08) != 0 ? r.u8() : null;
    Integer status = (flags & 0x10) != 0 ? r.u16() : null;
    r.end();

    StringBuilder c = new StringBuilder();
    c.append("unit=").append(kpa ? "kPa" : "mmHg");
    c.append(" sys=").append(sys.text()).append(" dia=").append(dia.text());
    c.append(" map=").append(map.text());
    if (time != null) {
      c.append(" time=").append(time);
    }
    if (pulse != null) {
      c.append(" pulse=").append(pulse.text());
    }
    if (user != null) {
      c.append(" user=").append(user);
    }
    if (status != null) {
      c.append(String.format(" status=0x%04X", status));
    }

    Set<String> st = new LinkedHashSet<>();
    if (status != null) {
      if ((status & 0x01) != 0) {
        st.add("motion"); // body movement during measurement
      }
      if ((status & (0x02 | 0x04 | 0x20)) != 0) {
        st.add("questionable"); // cuff too loose, irregular pulse, improper position
      }
    }
    addSpecial(st, sys);
    addSpecial(st, dia);
    Map<Integer, BigDecimal> cmp = new LinkedHashMap<>();
    cmp.put(150021, sys.value());
    cmp.put(150022, dia.value());
    if (map.isFinite()) {
      cmp.put(150023, map.value()); // optional; a NaN MAP is simply left out
    }
    List<Value> out = new ArrayList<>();
    out.add(new Value("bp", kpa ? "kPa" : "mm[Hg]", null, statuses(st), null, cmp, ""));
    if (pulse != null) {
      Set<String> pst = new LinkedHashSet<>();
      addSpecial(pst, pulse);
      out.add(new Value("pr", "/min", pulse.value(), statuses(pst), 149546, null, ":pr"));
    }
    return new Decoded(out, time, c.toString());
  }

  /** Glucose Measurement 0x2A18 (§7.2): kg/L × 100 000 = mg/dL, mol/L × 1000 = mmol/L. */
  public static Decoded glucose(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int flags = r.u8();
    if ((flags & 0xE0) != 0) {
      throw new GattFormatException(
          "reserved", String.format("flags 0x%02X set RFU bits 5-7", flags));
    }
    int seq = r.u16();
    LocalDateTime base = r.dateTime();
    Integer offset = (flags & 0x01) != 0 ? r.s16() : null;
    MderFloat conc = null;
    int type = 0;
    int location = 0;
    if ((flags & 0x02) != 0) {
      conc = r.sfloat();
      int tl = r.u8();
      type = tl & 0x0F;
      location = tl >> 4;
    }
    Integer annunciation = (flags & 0x08) != 0 ? r.u16() : null;
    r.end();
    LocalDateTime time =
        base == null ? null : offset == null ? base : base.plusMinutes(offset.longValue());
    boolean molPerL = (flags & 0x04) != 0;

    StringBuilder c = new StringBuilder("seq=" + seq);
    c.append(" time=").append(time);
    List<Value> out = new ArrayList<>();
    if (conc == null) {
      throw new GattFormatException(
          "no-value", "glucose record " + seq + " carries no concentration (flags bit 1 clear)");
    }
    if (type == 10) {
      throw new GattFormatException(
          "control-solution",
          "glucose record " + seq + " is a control-solution test, not a reading");
    }
    BigDecimal value = null;
    String unit;
    if (conc.isFinite()) {
      if (molPerL) {
        unit = "mmol/L";
        value = conc.value().multiply(BigDecimal.valueOf(1000)).stripTrailingZeros();
      } else {
        unit = "mg/dL";
        value = conc.value().multiply(BigDecimal.valueOf(100_000)).stripTrailingZeros();
      }
      if (value.scale() < 0) {
        value = value.setScale(0, RoundingMode.UNNECESSARY);
      }
    } else {
      unit = molPerL ? "mmol/L" : "mg/dL";
    }
    c.append(" conc=")
        .append(value == null ? conc.text() : value.toPlainString())
        .append(' ')
        .append(unit);
    c.append(" type=").append(type).append(" location=").append(location);
    Set<String> st = new LinkedHashSet<>();
    addSpecial(st, conc);
    if (annunciation != null) {
      c.append(String.format(" annunciation=0x%04X", annunciation));
      if ((annunciation & (0x02 | 0x400)) != 0) {
        st.add("sensor_error"); // sensor malfunction, general fault
      }
      if ((annunciation & (0x04 | 0x08 | 0x10 | 0x20 | 0x40 | 0x80 | 0x100 | 0x200)) != 0) {
        st.add("questionable"); // sample size, strip, result range, temperature, pulled too soon
      }
    }
    out.add(new Value("glucose", unit, value, statuses(st), glucoseMdc(type), null, ""));
    return new Decoded(out, time, c.toString());
  }

  /** PLX Spot-check Measurement 0x2A5E (§7.3): flags bit0 is the time stamp (not "Fast"). */
  public static Decoded plxSpotCheck(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int flags = r.u8();
    if ((flags & 0xE0) != 0) {
      throw new GattFormatException(
          "reserved", String.format("flags 0x%02X set RFU bits 5-7", flags));
    }
    MderFloat spo2 = r.sfloat();
    MderFloat pr = r.sfloat();
    LocalDateTime time = (flags & 0x01) != 0 ? r.dateTime() : null;
    Integer measurementStatus = (flags & 0x02) != 0 ? r.u16() : null;
    Integer sensorStatus = (flags & 0x04) != 0 ? r.u24() : null;
    MderFloat pai = (flags & 0x08) != 0 ? r.sfloat() : null;
    r.end();
    return plx(spo2, pr, time, measurementStatus, sensorStatus, pai);
  }

  /** PLX Continuous Measurement 0x2A5F (§7.3): the Normal pair is the reading. */
  public static Decoded plxContinuous(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int flags = r.u8();
    if ((flags & 0xE0) != 0) {
      throw new GattFormatException(
          "reserved", String.format("flags 0x%02X set RFU bits 5-7", flags));
    }
    MderFloat spo2 = r.sfloat();
    MderFloat pr = r.sfloat();
    if ((flags & 0x01) != 0) {
      r.sfloat(); // SpO2PR-Fast pair: not stored
      r.sfloat();
    }
    if ((flags & 0x02) != 0) {
      r.sfloat(); // SpO2PR-Slow pair: not stored
      r.sfloat();
    }
    Integer measurementStatus = (flags & 0x04) != 0 ? r.u16() : null;
    Integer sensorStatus = (flags & 0x08) != 0 ? r.u24() : null;
    MderFloat pai = (flags & 0x10) != 0 ? r.sfloat() : null;
    r.end();
    return plx(spo2, pr, null, measurementStatus, sensorStatus, pai);
  }

  private static Decoded plx(
      MderFloat spo2,
      MderFloat pr,
      LocalDateTime time,
      Integer measurementStatus,
      Integer sensorStatus,
      MderFloat pai) {
    StringBuilder c = new StringBuilder("spo2=" + spo2.text() + " pr=" + pr.text());
    if (time != null) {
      c.append(" time=").append(time);
    }
    Set<String> st = new LinkedHashSet<>();
    boolean absent = false;
    if (measurementStatus != null) {
      c.append(String.format(" mstatus=0x%04X", measurementStatus));
      // PHD rules (§7.3): invalid, unavailable, ongoing -> no value; questionable, calibration.
      if ((measurementStatus & (1 << 15 | 1 << 13 | 1 << 5)) != 0) {
        absent = true;
        st.add("sensor_error");
      }
      if ((measurementStatus & (1 << 14)) != 0) {
        st.add("questionable");
      }
      if ((measurementStatus & (1 << 12)) != 0) {
        st.add("calibrating");
      }
      if ((measurementStatus & (1 << 10 | 1 << 11)) != 0) {
        throw new GattFormatException(
            "demo", "measurement status marks a demo or test value, not a patient reading");
      }
    }
    if (sensorStatus != null) {
      c.append(String.format(" sstatus=0x%06X", sensorStatus));
      if ((sensorStatus & (1 << 11 | 1 << 15 | 1 << 13)) != 0) {
        absent = true;
        st.add("probe_off"); // unconnected to user, disconnected, displaced
      }
      if ((sensorStatus & (1 << 1 | 1 << 14 | 1 << 12)) != 0) {
        absent = true;
        st.add("sensor_error");
      }
      if ((sensorStatus & (1 << 5)) != 0) {
        st.add("low_perfusion");
      }
      if ((sensorStatus & (1 << 2 | 1 << 3 | 1 << 4 | 1 << 6 | 1 << 7 | 1 << 8 | 1 << 10)) != 0) {
        st.add("questionable");
      }
    }
    if (pai != null) {
      c.append(" pai=").append(pai.text());
    }
    Set<String> sSpo2 = new LinkedHashSet<>(st);
    Set<String> sPr = new LinkedHashSet<>(st);
    addSpecial(sSpo2, spo2);
    addSpecial(sPr, pr);
    List<Value> out = new ArrayList<>();
    out.add(new Value("spo2", "%", absent ? null : spo2.value(), statuses(sSpo2), null, null, ""));
    out.add(
        new Value("pr", "/min", absent ? null : pr.value(), statuses(sPr), 149530, null, ":pr"));
    return new Decoded(out, time, c.toString());
  }

  /** Temperature Measurement 0x2A1C (§7.4): FLOAT in °C or °F. */
  public static Decoded temperature(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int flags = r.u8();
    if ((flags & 0xF8) != 0) {
      throw new GattFormatException(
          "reserved", String.format("flags 0x%02X set RFU bits 3-7", flags));
    }
    MderFloat t = r.float32();
    LocalDateTime time = (flags & 0x02) != 0 ? r.dateTime() : null;
    Integer type = (flags & 0x04) != 0 ? r.u8() : null;
    r.end();
    boolean f = (flags & 0x01) != 0;
    StringBuilder c = new StringBuilder("temp=" + t.text() + " unit=" + (f ? "degF" : "degC"));
    if (time != null) {
      c.append(" time=").append(time);
    }
    if (type != null) {
      c.append(" type=").append(type);
    }
    Set<String> st = new LinkedHashSet<>();
    addSpecial(st, t);
    return new Decoded(
        List.of(new Value("temp", f ? "[degF]" : "Cel", t.value(), statuses(st), null, null, "")),
        time,
        c.toString());
  }

  /**
   * Glucose sample type (low nibble) to its MDC code (§3); unknown types: capillary whole blood.
   */
  static int glucoseMdc(int type) {
    return switch (type) {
      case 2 -> 160188;
      case 3 -> 160192;
      case 4 -> 160196;
      case 8 -> 160368;
      default -> 160184;
    };
  }

  private static void addSpecial(Set<String> st, MderFloat f) {
    if (!f.isFinite()) {
      st.add(f.kind().wireStatus());
    }
  }

  private static Set<String> statuses(Set<String> st) {
    return st.isEmpty() ? Set.of("valid") : Set.copyOf(new LinkedHashSet<>(st));
  }

  /** Parses a 16-bit UUID written as {@code 2A35}, {@code 0x2a35} or the 128-bit base form. */
  public static int uuid(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("0x")) {
      t = t.substring(2);
    }
    if (t.length() == 36 && t.endsWith("-0000-1000-8000-00805f9b34fb") && t.startsWith("0000")) {
      t = t.substring(4, 8);
    }
    if (!t.matches("[0-9a-f]{4}")) {
      throw new GattFormatException("bad-uuid", "'" + text + "' is not a 16-bit UUID like 2A35");
    }
    return Integer.parseInt(t, 16);
  }
}
