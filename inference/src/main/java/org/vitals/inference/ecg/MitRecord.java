package org.vitals.inference.ecg;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.vitals.inference.wfdb.AnnotationReader;
import org.vitals.inference.wfdb.WfdbReader;
import org.vitals.inference.wfdb.WfdbRecord;
import org.vitals.inference.wfdb.WfdbSignal;

/**
 * An MIT-BIH style record ready for analysis: leads in millivolts with the classification lead
 * (MLII when the header names it) first, and its reference annotations when present.
 *
 * @param name record name
 * @param fs sampling rate in Hz
 * @param leadsMv leads {@code [lead][sample]}, MLII first
 * @param reference reference annotations from {@code .atr}
 */
public record MitRecord(
    String name, double fs, double[][] leadsMv, ReferenceAnnotations reference) {

  /** Records with paced beats, excluded from evaluation per AAMI EC57 / de Chazal. */
  public static final List<String> PACED = List.of("102", "104", "107", "217");

  /** Reads {@code dir/name.hea}, {@code .dat} and {@code .atr}. */
  public static MitRecord read(Path dir, String name) throws IOException {
    MitRecord r = readSignals(dir, name);
    ReferenceAnnotations ref =
        ReferenceAnnotations.from(AnnotationReader.read(dir, name, "atr"), r.length());
    return new MitRecord(name, r.fs, r.leadsMv, ref);
  }

  /** Reads the signals only (no annotations needed). */
  public static MitRecord readSignals(Path dir, String name) throws IOException {
    WfdbRecord rec = WfdbReader.read(dir, name);
    if (rec.signalCount() == 0) {
      throw new IllegalArgumentException("record " + name + " has no signals");
    }
    int primary = 0;
    List<WfdbSignal> specs = rec.header().signals();
    for (int s = 0; s < specs.size(); s++) {
      if (specs.get(s).description().equalsIgnoreCase("MLII")) {
        primary = s;
        break;
      }
    }
    int count = Math.min(2, rec.signalCount());
    double[][] leads = new double[count][];
    leads[0] = rec.physical(primary);
    if (count > 1) {
      leads[1] = rec.physical(primary == 0 ? 1 : 0);
    }
    return new MitRecord(name, rec.samplingFrequency(), leads, null);
  }

  public int length() {
    return leadsMv[0].length;
  }
}
