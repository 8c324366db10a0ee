package org.vitals.gateway.ingest.serial;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reassembles lines from serial reads (a read may hold part of a line or several). A CR before the
 * LF is dropped; a line longer than the 256-byte buffer is reported once as too long and skipped up
 * to its LF.
 */
public final class LineAssembler {
  public static final int BUFFER = 256;

  private final byte[] buf = new byte[BUFFER];
  private int len;
  private boolean overflow;
  private final Consumer<String> lines;
  private final Consumer<String> tooLong;

  public LineAssembler(Consumer<String> lines, Consumer<String> tooLong) {
    this.lines = lines;
    this.tooLong = tooLong;
  }

  public void feed(byte[] data, int n) {
    for (int i = 0; i < n; i++) {
      byte b = data[i];
      if (b == '\n') {
        if (overflow) {
          overflow = false;
        } else {
          int end = len > 0 && buf[len - 1] == '\r' ? len - 1 : len;
          lines.accept(new String(buf, 0, end, StandardCharsets.ISO_8859_1));
        }
        len = 0;
      } else if (!overflow) {
        if (len == BUFFER) {
          tooLong.accept(new String(buf, 0, Math.min(len, 64), StandardCharsets.ISO_8859_1));
          overflow = true;
          len = 0;
        } else {
          buf[len++] = b;
        }
      }
    }
  }

  /** Drops a partial line (the port closed or was reopened). */
  public void reset() {
    len = 0;
    overflow = false;
  }
}
