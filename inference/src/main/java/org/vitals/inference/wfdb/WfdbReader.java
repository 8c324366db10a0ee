package org.vitals.inference.wfdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads WFDB records (header + signal files in format 212 or 16) and the record lists of a database
 * folder. Format per PhysioNet "signal(5)": 212 packs two 12-bit two's-complement samples into
 * three bytes.
 */
public final class WfdbReader {

  private WfdbReader() {}

  /** Reads {@code dir/record.hea} and its signal file(s). */
  public static WfdbRecord read(Path dir, String record) throws IOException {
    Path hea = dir.resolve(record + ".hea");
    WfdbHeader header;
    try {
      header = WfdbHeader.parse(Files.readString(hea, StandardCharsets.ISO_8859_1));
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(hea.toString(), null, "WFDB header not found");
    } catch (WfdbFormatException e) {
      throw new WfdbFormatException(hea + ": " + e.getMessage());
    }
    int nSig = header.signals().size();
    int[][] samples = new int[nSig][];
    // Signals that share a file are interleaved frame by frame, in header order.
    Map<String, List<Integer>> byFile = new LinkedHashMap<>();
    for (int s = 0; s < nSig; s++) {
      byFile.computeIfAbsent(header.signals().get(s).fileName(), k -> new ArrayList<>()).add(s);
    }
    for (Map.Entry<String, List<Integer>> e : byFile.entrySet()) {
      List<Integer> group = e.getValue();
      int format = header.signals().get(group.get(0)).format();
      for (int s : group) {
        if (header.signals().get(s).format() != format) {
          throw new WfdbFormatException(hea + ": signals in " + e.getKey() + " mix formats");
        }
      }
      byte[] bytes = Files.readAllBytes(dir.resolve(e.getKey()));
      int[][] decoded = decode(bytes, format, group.size(), header.samplesPerSignal(), e.getKey());
      for (int g = 0; g < group.size(); g++) {
        samples[group.get(g)] = decoded[g];
      }
    }
    return new WfdbRecord(header, samples);
  }

  /** The value WFDB stores for a missing sample in this format. */
  public static int invalidSampleValue(int format) {
    return switch (format) {
      case 212 -> -2048;
      case 16 -> -32768;
      default -> Integer.MIN_VALUE;
    };
  }

  static int[][] decode(byte[] bytes, int format, int nSig, int nSamples, String file) {
    long totalSamples;
    switch (format) {
      case 212 -> totalSamples = (bytes.length / 3) * 2L + (bytes.length % 3 >= 2 ? 1 : 0);
      case 16 -> totalSamples = bytes.length / 2;
      default ->
          throw new WfdbFormatException(
              file + ": format " + format + " is not supported (only 212 and 16)");
    }
    int frames = (int) (totalSamples / nSig);
    if (nSamples > 0) {
      if (frames < nSamples) {
        throw new WfdbFormatException(
            file + " holds " + frames + " frames but the header announces " + nSamples);
      }
      frames = nSamples;
    }
    int[][] out = new int[nSig][frames];
    int need = frames * nSig;
    if (format == 212) {
      int k = 0;
      for (int b = 0; k < need; b += 3) {
        int b0 = bytes[b] & 0xFF;
        int b1 = bytes[b + 1] & 0xFF;
        int s0 = b0 | ((b1 & 0x0F) << 8);
        out[k % nSig][k / nSig] = (s0 << 20) >> 20; // sign-extend 12 bits
        k++;
        if (k < need) {
          int b2 = bytes[b + 2] & 0xFF;
          int s1 = b2 | ((b1 & 0xF0) << 4);
          out[k % nSig][k / nSig] = (s1 << 20) >> 20;
          k++;
        }
      }
    } else {
      for (int k = 0; k < need; k++) {
        int v = (bytes[2 * k] & 0xFF) | (bytes[2 * k + 1] << 8);
        out[k % nSig][k / nSig] = (short) v;
      }
    }
    return out;
  }

  /**
   * The record names of a database folder: the lines of {@code dir/RECORDS}, or, when that file is
   * absent, every {@code *.hea} in the folder, sorted (the caller says so to the user).
   */
  public static RecordList listRecords(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "WFDB data folder not found");
    }
    Path list = dir.resolve("RECORDS");
    if (Files.isRegularFile(list)) {
      List<String> names = new ArrayList<>();
      for (String line : Files.readAllLines(list, StandardCharsets.ISO_8859_1)) {
        String name = line.strip();
        if (!name.isEmpty() && !name.startsWith("#")) {
          names.add(name);
        }
      }
      return new RecordList(List.copyOf(names), true);
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".hea"))
              .map(n -> n.substring(0, n.length() - 4))
              .sorted()
              .toList();
      return new RecordList(names, false);
    }
  }

  /**
   * Record names and where they came from.
   *
   * @param names the record names, in order
   * @param fromRecordsFile true when read from {@code RECORDS}, false when found as headers
   */
  public record RecordList(List<String> names, boolean fromRecordsFile) {}
}
