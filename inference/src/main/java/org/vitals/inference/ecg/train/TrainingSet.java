package org.vitals.inference.ecg.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.BeatFeatures;
import org.vitals.inference.ecg.MitRecord;
import org.vitals.inference.ecg.QrsDetector;
import org.vitals.inference.ecg.eval.BeatMatch;

/**
 * Labelled beats for training: the beats our own detector finds (so training sees what serving
 * sees), labelled with the AAMI class of the reference beat they match within 150 ms.
 */
public final class TrainingSet {

  /**
   * The detected beats of one record.
   *
   * @param record the record (signals and reference)
   * @param peaks detected R peaks
   * @param allFeatures one feature row per detected beat
   * @param features feature rows of the beats that match a reference beat (for training)
   * @param labels the matched reference beat's class, parallel to {@code features}
   */
  public record RecordBeats(
      MitRecord record,
      int[] peaks,
      double[][] allFeatures,
      double[][] features,
      AamiClass[] labels) {
    public String name() {
      return record.name();
    }
  }

  private TrainingSet() {}

  /** Reads, detects, describes and labels every record; prints one progress line each. */
  public static List<RecordBeats> load(Path dir, List<String> records, PrintStream progress)
      throws IOException {
    List<RecordBeats> out = new ArrayList<>();
    int done = 0;
    for (String name : records) {
      MitRecord rec = MitRecord.read(dir, name);
      out.add(describe(rec));
      done++;
      if (progress != null) {
        progress.printf(
            "\r[features] %s %d/%d records",
            Progress.bar(done, records.size()), done, records.size());
        if (done == records.size()) {
          progress.println();
        }
      }
    }
    return out;
  }

  /** Labelled beats of one record. */
  public static RecordBeats describe(MitRecord rec) {
    int[] peaks = QrsDetector.detect(rec.leadsMv(), rec.fs());
    double[][] feats = BeatFeatures.extract(rec.leadsMv()[0], peaks, rec.fs());
    BeatMatch m = BeatMatch.match(peaks, rec.reference(), (int) Math.round(0.15 * rec.fs()));
    List<double[]> rows = new ArrayList<>();
    List<AamiClass> labels = new ArrayList<>();
    for (int j = 0; j < peaks.length; j++) {
      int ref = m.detectedToRef()[j];
      if (ref >= 0) {
        rows.add(feats[j]);
        labels.add(rec.reference().beatClasses()[ref]);
      }
    }
    return new RecordBeats(
        rec, peaks, feats, rows.toArray(new double[0][]), labels.toArray(new AamiClass[0]));
  }
}
