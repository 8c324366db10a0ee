package org.vitals.cds.clinical;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Small formatting helpers for card details (GitHub-Flavored Markdown). */
final class Markdown {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private Markdown() {}

  static String time(Instant t) {
    return TIME.format(t);
  }

  static String num(double v) {
    if (Math.abs(v - Math.rint(v)) < 1e-9) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String num(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static String ago(Instant now, Instant t) {
    long s = Math.max(0, now.getEpochSecond() - t.getEpochSecond());
    if (s < 120) {
      return s + " s";
    }
    if (s < 7200) {
      return (s / 60) + " min";
    }
    if (s < 172800) {
      return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
    }
    return (s / 86400) + " days";
  }
}
