package org.vitals.gateway.ingest.hl7;

/**
 * The MSH fields an ACK and the duplicate check need, read without a full parse so that even an
 * unparseable message gets an ACK that names it.
 */
public record Hl7Header(
    String sendingApplication,
    String sendingFacility,
    String receivingApplication,
    String receivingFacility,
    String messageType,
    String triggerEvent,
    String controlId,
    String version) {

  /** Reads MSH from the raw text; fields it cannot find are null. */
  public static Hl7Header of(String message) {
    int start = message.indexOf("MSH");
    if (start < 0 || message.length() < start + 8) {
      return new Hl7Header(null, null, null, null, null, null, null, null);
    }
    char fs = message.charAt(start + 3);
    char cs = message.charAt(start + 4);
    int end = message.indexOf('\r', start);
    int nl = message.indexOf('\n', start);
    if (end < 0 || (nl >= 0 && nl < end)) {
      end = nl;
    }
    String msh = end < 0 ? message.substring(start) : message.substring(start, end);
    String[] f = msh.split(java.util.regex.Pattern.quote(String.valueOf(fs)), -1);
    // f[0] = "MSH", f[1] = encoding characters (MSH-2), f[n] = MSH-(n+1)
    String type = get(f, 8);
    String[] t =
        type == null
            ? new String[0]
            : type.split(java.util.regex.Pattern.quote(String.valueOf(cs)), -1);
    return new Hl7Header(
        first(get(f, 2), cs),
        first(get(f, 3), cs),
        first(get(f, 4), cs),
        first(get(f, 5), cs),
        t.length > 0 ? t[0] : null,
        t.length > 1 ? t[1] : null,
        get(f, 9),
        first(get(f, 11), cs));
  }

  private static String get(String[] f, int i) {
    return i < f.length && !f[i].isEmpty() ? f[i] : null;
  }

  private static String first(String v, char cs) {
    if (v == null) {
      return null;
    }
    int i = v.indexOf(cs);
    return i < 0 ? v : v.substring(0, i);
  }
}
