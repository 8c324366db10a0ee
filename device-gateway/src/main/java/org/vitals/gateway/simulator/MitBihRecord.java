package org.vitals.gateway.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the first channel (MLII) of an MIT-BIH Arrhythmia Database record: WFDB format 212 (two
 * 12-bit samples in three bytes), 360 Hz, gain 200 adu/mV, baseline 1024 (from the .hea header;
 * Moody and Mark 2001, PhysioNet WFDB documentation of format 212).
 */
public record MitBihRecord(String name, int frequency, int gain, int baseline, int[] samples) {

  public static MitBihRecord read(Path dir, String record) throws IOException {
    Path hea = dir.resolve(record + ".hea");
    Path dat = dir.resolve(record + ".dat");
    if (!Files.exists(hea) || !Files.exists(dat)) {
      throw new IOException(
          "MIT-BIH record "
              + record
              + " not found in "
              + dir.toAbsolutePath()
              + " (set --data or VITALS_SHARED_DATA)");
    }
    String[] lines =
        Files.readAllLines(hea).stream().filter(l -> !l.startsWith("#")).toArray(String[]::new);
    String[] head = lines[0].trim().split("\\s+");
    int channels = Integer.parseInt(head[1]);
    int frequency = (int) Double.parseDouble(head[2]);
    String[] sig = lines[1].trim().split("\\s+");
    if (!sig[1].equals("212") || channels != 2) {
      throw new IOException("record " + record + " is not 2-channel format 212");
    }
    int gain = (int) Double.parseDouble(sig[2].replaceAll("\\(.*\\)|/.*", ""));
    int baseline = Integer.parseInt(sig[4]);
    byte[] b = Files.readAllBytes(dat);
    int frames = b.length / 3;
    int[] ch0 = new int[frames];
    for (int f = 0; f < frames; f++) {
      int b0 = b[3 * f] & 0xff;
      int b1 = b[3 * f + 1] & 0xff;
      int s0 = ((b1 & 0x0f) << 8) | b0;
      if (s0 > 2047) {
        s0 -= 4096;
      }
      ch0[f] = s0;
    }
    return new MitBihRecord(record, frequency, gain, baseline, ch0);
  }

  /** Resamples the signal to {@code hz} by linear interpolation (e.g. 360 Hz to 250 Hz). */
  public int[] resampled(int hz, int fromSample, int count) {
    int[] out = new int[count];
    double step = (double) frequency / hz;
    for (int i = 0; i < count; i++) {
      double pos = (fromSample + i) * step;
      int k = (int) Math.floor(pos) % (samples.length - 1);
      double frac = pos - Math.floor(pos);
      out[i] = (int) Math.round(samples[k] * (1 - frac) + samples[k + 1] * frac);
    }
    return out;
  }
}
