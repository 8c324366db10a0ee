package org.vitals.cds.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Observation;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.MitRecord;
import org.vitals.inference.wfdb.Annotation;
import org.vitals.inference.wfdb.AnnotationReader;

/**
 * 10-s ECG strips (360 Hz, lead MLII as lead II) cut from the committed MIT-BIH fixture records of
 * the inference module ({@code inference/src/test/resources/mitdb-fixture}: {@code 208a} = record
 * 208 0-180 s, N, frequent V and F; {@code 201a} = record 201 1,520-1,800 s, aberrated APCs and an
 * AF episode with onset and end). MIT-BIH Arrhythmia Database v1.0.0, PhysioNet, ODC-By 1.0; Moody
 * GB, Mark RG, IEEE Eng Med Biol 20(3):45-50, 2001; Goldberger AL et al., Circulation 101(23):e215,
 * 2000 (the fixture's README).
 */
public final class MitFixtureStrips {

  /** A reference beat of the fixture: its time and AAMI class. */
  public record ReferenceBeat(Instant time, AamiClass beatClass) {}

  /** A rhythm change of the fixture: its time and the rhythm that starts, e.g. "(AFIB". */
  public record RhythmChange(Instant time, String rhythm) {}

  private final MitRecord record;
  private final List<Annotation> annotations;

  private MitFixtureStrips(MitRecord record, List<Annotation> annotations) {
    this.record = record;
    this.annotations = annotations;
  }

  static Path dir() {
    Path p = Path.of("..", "inference", "src", "test", "resources", "mitdb-fixture");
    if (!Files.exists(p.resolve("201a.hea"))) {
      throw new IllegalStateException(
          "This test needs the committed MIT-BIH fixtures at "
              + p.toAbsolutePath()
              + " (run it from the cds-hooks module of a full checkout)");
    }
    return p;
  }

  public static MitFixtureStrips of(String name) throws Exception {
    Path d = dir();
    return new MitFixtureStrips(
        MitRecord.readSignals(d, name), AnnotationReader.read(d, name, "atr"));
  }

  public double fs() {
    return record.fs();
  }

  /**
   * Strips of 10 s from {@code fromSecond} ({@code count} of them) for {@code patient}, the
   * record's second {@code fromSecond} placed at {@code start}.
   */
  public List<Observation> strips(String patient, Instant start, int fromSecond, int count) {
    int fs = (int) record.fs();
    List<Observation> out = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      int a = (fromSecond + 10 * k) * fs;
      double[] mv = Arrays.copyOfRange(record.leadsMv()[0], a, a + 10 * fs);
      out.add(FhirFixtures.ecgStrip(patient, start.plusSeconds(10L * k), mv, fs));
    }
    return out;
  }

  /** The reference beats between two record seconds, in the time frame of {@link #strips}. */
  public List<ReferenceBeat> beats(Instant start, int fromSecond, int toSecond) {
    List<ReferenceBeat> out = new ArrayList<>();
    for (Annotation a : annotations) {
      Optional<AamiClass> c = AamiClass.fromMitSymbol(a.symbol());
      double s = a.sample() / record.fs();
      if (a.isBeat() && c.isPresent() && s >= fromSecond && s < toSecond) {
        out.add(new ReferenceBeat(at(start, fromSecond, a.sample()), c.get()));
      }
    }
    return out;
  }

  /** The rhythm annotations, in the time frame of {@link #strips}. */
  public List<RhythmChange> rhythms(Instant start, int fromSecond) {
    List<RhythmChange> out = new ArrayList<>();
    for (Annotation a : annotations) {
      if (a.aux() != null && a.aux().startsWith("(")) {
        out.add(new RhythmChange(at(start, fromSecond, a.sample()), a.aux().trim()));
      }
    }
    return out;
  }

  private Instant at(Instant start, int fromSecond, long sample) {
    return start.plusNanos(Math.round((sample / record.fs() - fromSecond) * 1e9));
  }
}
