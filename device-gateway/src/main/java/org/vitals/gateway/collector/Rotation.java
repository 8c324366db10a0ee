package org.vitals.gateway.collector;

import java.time.Duration;

/**
 * When a recorded file is closed and the next one begun: after {@code maxBytes} bytes or after
 * {@code maxAge} of wall time, whichever comes first (0 or null: no limit of that kind).
 */
public record Rotation(long maxBytes, Duration maxAge) {
  public static final Rotation NEVER = new Rotation(0, null);

  /** Whether a file of {@code bytes} opened at {@code openedMs} is due at {@code nowMs}. */
  public boolean due(long bytes, long openedMs, long nowMs) {
    return (maxBytes > 0 && bytes >= maxBytes)
        || (maxAge != null && !maxAge.isZero() && nowMs - openedMs >= maxAge.toMillis());
  }

  /** Parses sizes such as {@code 500}, {@code 64k}, {@code 10m}, {@code 1g} (bytes). */
  public static long parseSize(String s) {
    String t = s.trim().toLowerCase(java.util.Locale.ROOT);
    long unit = 1;
    if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
      unit =
          switch (t.charAt(t.length() - 1)) {
            case 'k' -> 1024L;
            case 'm' -> 1024L * 1024;
            default -> 1024L * 1024 * 1024;
          };
      t = t.substring(0, t.length() - 1);
    }
    try {
      return Long.parseLong(t) * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "size '" + s + "' is not a number of bytes (e.g. 500, 64k, 10m, 1g)");
    }
  }

  /** Parses durations such as {@code 30s}, {@code 15m}, {@code 1h}, {@code 1d}. */
  public static Duration parseDuration(String s) {
    String t = s.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "duration '" + s + "' is not a number with a unit (e.g. 500ms, 30s, 15m, 1h, 1d)");
    }
  }
}
