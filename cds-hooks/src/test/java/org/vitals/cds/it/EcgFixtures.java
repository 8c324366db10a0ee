package org.vitals.cds.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.vitals.inference.ecg.MitRecord;
import org.vitals.inference.wfdb.Annotation;
import org.vitals.inference.wfdb.AnnotationReader;

/**
 * ECG strips from the MIT-BIH Arrhythmia Database in the shared data folder (setting {@code
 * vitals.data.dir}; PhysioNet mitdb 1.0.0, ODC-By 1.0, Moody &amp; Mark 2001): 60 s of record 201
 * from its first atrial-fibrillation rhythm annotation, as 1-s SampledData strips.
 */
public final class EcgFixtures {

  private EcgFixtures() {}

  static Path mitdb() {
    String dir =
        System.getProperty(
            "vitals.data.dir",
            System.getenv().getOrDefault("VITALS_SHARED_DATA", "../shared/data"));
    Path p = Path.of(dir, "mitdb");
    if (!Files.exists(p.resolve("201.hea"))) {
      throw new IllegalStateException(
          "This test needs MIT-BIH record 201 at "
              + p.toAbsolutePath()
              + " (the shared data folder; set vitals.data.dir or VITALS_SHARED_DATA)");
    }
    return p;
  }

  public static List<Observation> afStrips(String patient, Instant start) throws Exception {
    Path dir = mitdb();
    MitRecord rec = MitRecord.readSignals(dir, "201");
    long from = -1;
    for (Annotation a : AnnotationReader.read(dir, "201", "atr")) {
      if (a.aux() != null && a.aux().startsWith("(AFIB")) {
        from = a.sample();
        break;
      }
    }
    if (from < 0) {
      throw new IllegalStateException("record 201 has no (AFIB rhythm annotation");
    }
    int fs = (int) rec.fs();
    List<Observation> out = new ArrayList<>();
    for (int s = 0; s < 60; s++) {
      int a = (int) from + s * fs;
      double[] strip = Arrays.copyOfRange(rec.leadsMv()[0], a, a + fs);
      out.add(FhirFixtures.ecgStrip(patient, start.plusSeconds(s), strip, fs));
    }
    return out;
  }
}
