package org.vitals.inference.wfdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads MIT-format annotation files (PhysioNet "annot(5)"): 16-bit little-endian words, {@code type
 * = word >> 10}, {@code interval = word & 0x3FF}; SKIP (59), NUM (60), SUB (61), CHN (62) and AUX
 * (63) modify the annotation before them; a zero word ends the file.
 */
public final class AnnotationReader {

  private static final int SKIP = 59;
  private static final int NUM = 60;
  private static final int SUB = 61;
  private static final int CHN = 62;
  private static final int AUX = 63;

  private AnnotationReader() {}

  /** Reads {@code dir/record.extension}, for example {@code 100.atr}. */
  public static List<Annotation> read(Path dir, String record, String extension)
      throws IOException {
    Path file = dir.resolve(record + "." + extension);
    try {
      return parse(Files.readAllBytes(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "annotation file not found");
    }
  }

  /** Parses the bytes of an MIT annotation file; {@code name} appears in error messages. */
  public static List<Annotation> parse(byte[] b, String name) {
    List<Annotation> out = new ArrayList<>();
    long time = 0;
    int num = 0;
    int chan = 0;
    // the annotation being built; modifiers after it update these fields
    boolean pending = false;
    long pTime = 0;
    int pCode = 0;
    int pSub = 0;
    int pChan = 0;
    int pNum = 0;
    String pAux = "";
    int i = 0;
    while (i + 1 < b.length) {
      int word = (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8);
      i += 2;
      int type = word >> 10;
      int interval = word & 0x3FF;
      if (word == 0) {
        break;
      }
      switch (type) {
        case SKIP -> {
          if (i + 4 > b.length) {
            throw new WfdbFormatException(name + ": truncated SKIP at byte " + (i - 2));
          }
          int hi = (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8);
          int lo = (b[i + 2] & 0xFF) | ((b[i + 3] & 0xFF) << 8);
          time += ((long) hi << 16 | lo);
          i += 4;
        }
        case NUM -> {
          num = interval;
          pNum = num;
        }
        case SUB -> pSub = interval;
        case CHN -> {
          chan = interval;
          pChan = chan;
        }
        case AUX -> {
          if (i + interval > b.length) {
            throw new WfdbFormatException(name + ": truncated AUX text at byte " + (i - 2));
          }
          int len = interval;
          int end = i;
          while (end < i + len && b[end] != 0) {
            end++;
          }
          pAux = new String(b, i, end - i, StandardCharsets.ISO_8859_1);
          i += len + (len & 1);
        }
        default -> {
          if (pending) {
            out.add(new Annotation(pTime, pCode, pSub, pChan, pNum, pAux));
          }
          time += interval;
          pending = true;
          pTime = time;
          pCode = type;
          pSub = 0;
          pChan = chan;
          pNum = num;
          pAux = "";
        }
      }
    }
    if (pending) {
      out.add(new Annotation(pTime, pCode, pSub, pChan, pNum, pAux));
    }
    return out;
  }
}
