package org.vitals.gateway.ingest.hl7;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * Builds HL7 v2 acknowledgements: MSH (sender and receiver swapped), MSA with the code and the
 * original MSH-10, and one ERR segment per problem (ERR-3 code from table 0357, ERR-4 severity,
 * ERR-8 text for v2.5+; ERR-1 for v2.3.1, which has no ERR-3).
 */
public final class Ack {
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");

  /** One problem for an ERR segment. */
  public record Error(String code, String location, String text) {}

  private Ack() {}

  public static String build(Hl7Header h, String code, String text, List<Error> errors) {
    String version = h.version() == null || h.version().isBlank() ? "2.6" : h.version();
    StringBuilder sb = new StringBuilder();
    sb.append("MSH|^~\\&|")
        .append(nz(h.receivingApplication()).isEmpty() ? "VITALS" : h.receivingApplication())
        .append('|')
        .append(nz(h.receivingFacility()))
        .append('|')
        .append(nz(h.sendingApplication()))
        .append('|')
        .append(nz(h.sendingFacility()))
        .append('|')
        .append(ZonedDateTime.now(ZoneOffset.UTC).format(TS))
        .append("||ACK^")
        .append(nz(h.triggerEvent()).isEmpty() ? "R01" : h.triggerEvent())
        .append("^ACK|")
        .append(UUID.randomUUID().toString().replace("-", "").substring(0, 20))
        .append("|P|")
        .append(version)
        .append('\r');
    sb.append("MSA|").append(code).append('|').append(escape(nz(h.controlId())));
    if (text != null && !text.isEmpty()) {
      sb.append('|').append(escape(truncate(text, 80)));
    }
    sb.append('\r');
    boolean old =
        version.startsWith("2.3") || version.startsWith("2.4") || version.startsWith("2.2");
    for (Error e : errors) {
      String[] loc = location(e.location());
      if (old) {
        // ERR-1 ELD: segment ^ sequence ^ field ^ code&text&HL70357
        sb.append("ERR|")
            .append(loc[0])
            .append('^')
            .append(loc[1])
            .append('^')
            .append(loc[2])
            .append('^')
            .append(e.code())
            .append('&')
            .append(escapeSub(truncate(e.text(), 200)))
            .append("&HL70357\r");
      } else {
        sb.append("ERR||")
            .append(loc[0].isEmpty() ? "" : loc[0] + "^" + loc[1] + "^" + loc[2])
            .append('|')
            .append(e.code())
            .append('^')
            .append(escape(tableText(e.code())))
            .append("^HL70357|E||||")
            .append(escape(truncate(e.text(), 250)))
            .append('\r');
      }
    }
    return sb.toString();
  }

  static String tableText(String code) {
    return switch (code) {
      case "0" -> "Message accepted";
      case "100" -> "Segment sequence error";
      case "101" -> "Required field missing";
      case "102" -> "Data type error";
      case "103" -> "Table value not found";
      case "200" -> "Unsupported message type";
      case "201" -> "Unsupported event code";
      case "203" -> "Unsupported version id";
      case "204" -> "Unknown key identifier";
      case "205" -> "Duplicate key identifier";
      default -> "Application internal error";
    };
  }

  /** {@code PID-3} → PID, 1, 3; {@code OBX-4-5} (fourth OBX, field 5) → OBX, 4, 5. */
  private static String[] location(String loc) {
    if (loc == null || loc.isEmpty()) {
      return new String[] {"", "", ""};
    }
    String[] p = loc.split("-");
    if (p.length >= 3) {
      return new String[] {p[0], p[1], p[2]};
    }
    return new String[] {p[0], "1", p.length > 1 ? p[1] : ""};
  }

  /** HL7 escape sequences for the delimiters (\F\ \S\ \T\ \R\ \E\); CR/LF become spaces. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> sb.append("\\E\\");
        case '|' -> sb.append("\\F\\");
        case '^' -> sb.append("\\S\\");
        case '&' -> sb.append("\\T\\");
        case '~' -> sb.append("\\R\\");
        case '\r', '\n' -> sb.append(' ');
        default -> sb.append(c < 0x20 ? ' ' : c);
      }
    }
    return sb.toString();
  }

  private static String escapeSub(String s) {
    return escape(s);
  }

  private static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
