package org.vitals.gateway.ingest.serial;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.vitals.gateway.measurement.Mdc;

/**
 * Parses one line of the serial line protocol into a {@link SerialFrame}, or rejects it with the
 * protocol's reason. Checks run in the order the golden vectors fix: empty, comment, too-long,
 * no-start, bad-char, no-crc, bad-crc, unknown-type, field-count, bad-field, out-of-range.
 */
public final class SerialFrameParser {
  /** Longest line from {@code $} to the last CRC digit. */
  public static final int MAX_LINE = 250;

  private static final Pattern DEV = Pattern.compile("[A-Za-z0-9._-]{1,32}");
  private static final Pattern UINT = Pattern.compile("[0-9]{1,10}");
  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
  private static final Pattern HEX4 = Pattern.compile("[0-9A-F]{4}");
  private static final Set<String> METRICS = Set.of("hr", "pr", "spo2", "rr", "temp", "glucose");

  private SerialFrameParser() {}

  public static SerialFrame parse(String line) {
    if (line.isEmpty()) {
      throw new FrameRejectedException("empty", "empty line");
    }
    if (line.charAt(0) == '#') {
      throw new FrameRejectedException("comment", "diagnostic line from the node");
    }
    byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
    if (bytes.length > MAX_LINE) {
      throw new FrameRejectedException(
          "too-long", "line of " + bytes.length + " bytes; at most " + MAX_LINE);
    }
    if (line.charAt(0) != '$') {
      throw new FrameRejectedException("no-start", "line does not start with '$'");
    }
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c < 0x20 || c > 0x7E || (i > 0 && c == '$')) {
        throw new FrameRejectedException(
            "bad-char", String.format("byte 0x%02X at position %d is not allowed", (int) c, i));
      }
    }
    int star = line.indexOf('*');
    if (star < 0 || !HEX4.matcher(line.substring(star + 1)).matches()) {
      throw new FrameRejectedException(
          "no-crc", "line must end in '*' and 4 upper-case hex digits (truncated?)");
    }
    int sent = Integer.parseInt(line.substring(star + 1), 16);
    int crc = Crc16Ccitt.of(bytes, 1, star);
    if (sent != crc) {
      throw new FrameRejectedException(
          "bad-crc", String.format("CRC is %04X, the line says %04X", crc, sent));
    }
    String[] f = line.substring(1, star).split(",", -1);
    return switch (f[0]) {
      case "H" -> hello(f);
      case "N" -> numeric(f);
      case "B" -> bloodPressure(f);
      case "W" -> wave(f);
      default -> throw new FrameRejectedException("unknown-type", "record type '" + f[0] + "'");
    };
  }

  private static SerialFrame hello(String[] f) {
    count(f, 5);
    long proto = uint(f[1], "proto");
    if (proto != 1) {
      throw new FrameRejectedException("bad-field", "protocol version " + proto + " is not 1");
    }
    if (!DEV.matcher(f[2]).matches()) {
      throw new FrameRejectedException("bad-field", "device id must match [A-Za-z0-9._-]{1,32}");
    }
    return new SerialFrame.Hello(1, f[2], uint(f[3], "boot"), f[4]);
  }

  private static SerialFrame numeric(String[] f) {
    count(f, 7);
    long boot = uint(f[1], "boot");
    long seq = uint(f[2], "seq");
    long up = uint(f[3], "up_ms");
    if (!METRICS.contains(f[4])) {
      throw new FrameRejectedException("bad-field", "unknown metric '" + f[4] + "'");
    }
    return new SerialFrame.Numeric(boot, seq, up, f[4], status(f[5]), value(f[6], "value"));
  }

  private static SerialFrame bloodPressure(String[] f) {
    count(f, 9);
    return new SerialFrame.BloodPressure(
        uint(f[1], "boot"),
        uint(f[2], "seq"),
        uint(f[3], "up_ms"),
        status(f[4]),
        value(f[5], "sys"),
        value(f[6], "dia"),
        value(f[7], "mean"),
        value(f[8], "pr"));
  }

  private static SerialFrame wave(String[] f) {
    if (f.length < 11 || f.length > 10 + 40) {
      throw new FrameRejectedException(
          "field-count", "W record needs 1 to 40 samples; has " + Math.max(0, f.length - 10));
    }
    long boot = uint(f[1], "boot");
    long seq = uint(f[2], "seq");
    long up = uint(f[3], "up_ms");
    if (!f[4].equals("ecg")) {
      throw new FrameRejectedException("bad-field", "wave '" + f[4] + "' is not ecg");
    }
    long mdc = uint(f[5], "mdc");
    if (mdc > Integer.MAX_VALUE || !Mdc.isEcgLead((int) mdc)) {
      throw new FrameRejectedException("bad-field", "mdc " + f[5] + " is not an ECG lead code");
    }
    String period = value(f[6], "period_ms");
    String origin = value(f[7], "origin");
    String factor = value(f[8], "factor");
    if (period == null || origin == null || factor == null) {
      throw new FrameRejectedException("bad-field", "period_ms, origin and factor are required");
    }
    if (new BigDecimal(period).signum() <= 0) {
      throw new FrameRejectedException("out-of-range", "period_ms must be > 0");
    }
    if (new BigDecimal(factor).signum() <= 0) {
      throw new FrameRejectedException("out-of-range", "factor must be > 0");
    }
    List<String> st = status(f[9]);
    int[] samples = new int[f.length - 10];
    for (int i = 10; i < f.length; i++) {
      String s = f[i];
      if (!s.matches("-?[0-9]{1,10}")) {
        throw new FrameRejectedException("bad-field", "sample '" + s + "' is not an integer");
      }
      long v = Long.parseLong(s);
      if (v < -32768 || v > 32767) {
        throw new FrameRejectedException("out-of-range", "sample " + v + " is not 16-bit");
      }
      samples[i - 10] = (int) v;
    }
    return new SerialFrame.Wave(
        boot, seq, up, "ecg", (int) mdc, period, origin, factor, st, samples);
  }

  private static void count(String[] f, int n) {
    if (f.length != n) {
      throw new FrameRejectedException(
          "field-count", f[0] + " record needs " + (n - 1) + " fields; has " + (f.length - 1));
    }
  }

  private static long uint(String s, String name) {
    if (!UINT.matcher(s).matches()) {
      throw new FrameRejectedException(
          "bad-field", name + " '" + s + "' is not an unsigned integer");
    }
    long v = Long.parseLong(s);
    if (v > 4294967295L) {
      throw new FrameRejectedException("bad-field", name + " " + s + " exceeds 4294967295");
    }
    return v;
  }

  /** A plain decimal (at most 9 significant digits, 8 decimals), or null when empty. */
  private static String value(String s, String name) {
    if (s.isEmpty()) {
      return null;
    }
    if (!DECIMAL.matcher(s).matches()) {
      throw new FrameRejectedException("bad-field", name + " '" + s + "' is not a decimal");
    }
    BigDecimal d = new BigDecimal(s);
    if (d.scale() > 8
        || (d.signum() != 0 && d.precision() > 9)
        || s.replace("-", "").replace(".", "").length() > 18) {
      throw new FrameRejectedException(
          "out-of-range", name + " '" + s + "' has more than 9 significant digits or 8 decimals");
    }
    return s;
  }

  private static List<String> status(String s) {
    if (s.equals("valid")) {
      return List.of("valid");
    }
    List<String> names = new ArrayList<>();
    for (String part : s.split("\\|", -1)) {
      if (!STATUS_SET.contains(part)) {
        throw new FrameRejectedException("bad-field", "status '" + part + "' is unknown");
      }
      if (!names.contains(part)) {
        names.add(part);
      }
    }
    names.sort(java.util.Comparator.comparingInt(SerialFrame.STATUS_ORDER::indexOf));
    return List.copyOf(names);
  }

  private static final Set<String> STATUS_SET = Set.copyOf(SerialFrame.STATUS_ORDER);
}
