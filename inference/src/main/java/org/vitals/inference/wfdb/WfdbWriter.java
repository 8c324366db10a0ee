package org.vitals.inference.wfdb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes WFDB records (format 212, one signal file) and MIT annotation files: used to cut small
 * test fixtures out of the shared records and by anyone who wants WFDB output.
 */
public final class WfdbWriter {

  private WfdbWriter() {}

  /**
   * Writes {@code record.hea} and {@code record.dat} (format 212) for samples in adu. The signal
   * specs keep their gain, baseline and description; file name and format are set here.
   */
  public static void write(
      Path dir, String record, WfdbHeader like, int[][] samples, List<String> comments)
      throws IOException {
    Files.createDirectories(dir);
    int nSig = samples.length;
    int frames = nSig == 0 ? 0 : samples[0].length;
    List<WfdbSignal> specs = new ArrayList<>();
    for (int s = 0; s < nSig; s++) {
      WfdbSignal o = like.signals().get(s);
      int first = frames > 0 ? samples[s][0] : 0;
      specs.add(
          new WfdbSignal(
              record + ".dat",
              212,
              o.gain(),
              o.baseline(),
              o.units(),
              o.adcResolution(),
              o.adcZero(),
              first,
              WfdbSignal.checksumOf(samples[s]),
              o.description()));
    }
    WfdbHeader header =
        new WfdbHeader(record, like.samplingFrequency(), frames, List.copyOf(specs), comments);
    Files.writeString(dir.resolve(record + ".hea"), header.toText(), StandardCharsets.ISO_8859_1);
    Files.write(dir.resolve(record + ".dat"), encode212(samples));
  }

  static byte[] encode212(int[][] samples) {
    int nSig = samples.length;
    int frames = nSig == 0 ? 0 : samples[0].length;
    int total = frames * nSig;
    ByteArrayOutputStream out = new ByteArrayOutputStream(total * 3 / 2 + 3);
    for (int k = 0; k < total; k += 2) {
      int s0 = clamp12(samples[k % nSig][k / nSig]);
      int s1 = k + 1 < total ? clamp12(samples[(k + 1) % nSig][(k + 1) / nSig]) : 0;
      out.write(s0 & 0xFF);
      out.write(((s0 >> 8) & 0x0F) | ((s1 >> 4) & 0xF0));
      if (k + 1 < total) {
        out.write(s1 & 0xFF);
      }
    }
    return out.toByteArray();
  }

  private static int clamp12(int v) {
    if (v < -2048 || v > 2047) {
      throw new IllegalArgumentException("sample " + v + " does not fit format 212 (12 bits)");
    }
    return v;
  }

  /** Writes an MIT annotation file; annotations must be in time order. */
  public static void writeAnnotations(Path file, List<Annotation> annotations) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long time = 0;
    int num = 0;
    int chan = 0;
    for (Annotation a : annotations) {
      long dt = a.sample() - time;
      if (dt < 0) {
        throw new IllegalArgumentException("annotations out of order at sample " + a.sample());
      }
      if (dt > 1023) {
        word(out, 59 << 10);
        word(out, (int) (dt >> 16) & 0xFFFF);
        word(out, (int) dt & 0xFFFF);
        dt = 0;
      }
      word(out, (a.code() << 10) | (int) dt);
      time = a.sample();
      if (a.subtype() != 0) {
        word(out, (61 << 10) | (a.subtype() & 0x3FF));
      }
      if (a.channel() != chan) {
        chan = a.channel();
        word(out, (62 << 10) | (chan & 0x3FF));
      }
      if (a.number() != num) {
        num = a.number();
        word(out, (60 << 10) | (num & 0x3FF));
      }
      if (!a.aux().isEmpty()) {
        byte[] text = a.aux().getBytes(StandardCharsets.ISO_8859_1);
        word(out, (63 << 10) | text.length);
        out.write(text);
        if ((text.length & 1) == 1) {
          out.write(0);
        }
      }
    }
    word(out, 0);
    Files.write(file, out.toByteArray());
  }

  private static void word(ByteArrayOutputStream out, int w) {
    out.write(w & 0xFF);
    out.write((w >> 8) & 0xFF);
  }
}
