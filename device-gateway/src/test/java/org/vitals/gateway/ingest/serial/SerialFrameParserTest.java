package org.vitals.gateway.ingest.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.vitals.gateway.ingest.GoldenVectors;

class SerialFrameParserTest {
  private static final Pattern ESCAPE = Pattern.compile("\\\\x([0-9A-Fa-f]{2})");

  static String unescape(String frame) {
    Matcher m = ESCAPE.matcher(frame);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          sb, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  @Test
  void crcGoldenVectorsIncludingTheCheckValue() {
    assertEquals(0x29B1, Crc16Ccitt.of("123456789"));
    List<String[]> rows = GoldenVectors.rows("crc16.tsv");
    assertTrue(rows.size() >= 5);
    for (String[] r : rows) {
      assertEquals(Integer.parseInt(r[1], 16), Crc16Ccitt.of(r[0]), r[0]);
    }
  }

  @Test
  void everySerialFrameGoldenVectorDecodesOrIsRejectedWithItsReason() {
    List<String[]> rows = GoldenVectors.rows("serial-frames.tsv");
    assertTrue(rows.size() >= 30, "serial-frames.tsv holds its vectors");
    int ok = 0;
    for (String[] r : rows) {
      String frame = unescape(r[0]);
      if (r[1].equals("ok")) {
        assertEquals(r[2], SerialFrameParser.parse(frame).canonical(), r[0]);
        ok++;
      } else {
        FrameRejectedException e =
            assertThrows(FrameRejectedException.class, () -> SerialFrameParser.parse(frame), r[0]);
        assertEquals(r[1], e.reason(), r[0] + ": " + e.getMessage());
      }
    }
    assertTrue(ok >= 10);
  }

  @Test
  void lineAssemblerJoinsPartialReadsDropsCrAndReportsOverlongLines() {
    List<String> lines = new java.util.ArrayList<>();
    List<String> tooLong = new java.util.ArrayList<>();
    LineAssembler a = new LineAssembler(lines::add, tooLong::add);
    byte[] part1 = "$N,17,42,123".getBytes();
    byte[] part2 = "456,hr,valid,72*B56A\r\n$H,1".getBytes();
    a.feed(part1, part1.length);
    a.feed(part2, part2.length);
    assertEquals(List.of("$N,17,42,123456,hr,valid,72*B56A"), lines);
    byte[] big = ("x".repeat(300) + "\n$H,1,a,1,1*0000\n").getBytes();
    a.reset();
    a.feed(big, big.length);
    assertEquals(1, tooLong.size());
    assertEquals("$H,1,a,1,1*0000", lines.get(1));
  }
}
