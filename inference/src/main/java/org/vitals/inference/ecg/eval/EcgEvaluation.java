package org.vitals.inference.ecg.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.AfEpisode;
import org.vitals.inference.ecg.Beat;
import org.vitals.inference.ecg.EcgAnalysis;
import org.vitals.inference.ecg.ReferenceAnnotations;

/**
 * Accumulates EC57 scores over records: QRS detection (150 ms match window, ventricular flutter
 * excluded), beat classes and AF. Missed reference beats count as false negatives of their class;
 * unmatched detections as false positives of the class given to them.
 */
public final class EcgEvaluation {
  private long qrsTp;
  private long qrsFn;
  private long qrsFp;
  private final ClassScore classes = new ClassScore();
  private final AfScore af = new AfScore();
  private final Map<String, String> perRecord = new LinkedHashMap<>();

  /** Scores one record's analysis against its reference annotations. */
  public void add(String record, EcgAnalysis analysis, ReferenceAnnotations ref, double fs) {
    List<Beat> beats = analysis.beats();
    int[] det = new int[beats.size()];
    for (int i = 0; i < det.length; i++) {
      det[i] = beats.get(i).sample();
    }
    BeatMatch m = BeatMatch.match(det, ref, (int) Math.round(0.15 * fs));
    ClassScore rec = new ClassScore();
    for (int i = 0; i < m.refToDetected().length; i++) {
      int j = m.refToDetected()[i];
      AamiClass truth = ref.beatClasses()[i];
      if (j >= 0) {
        rec.addMatched(truth, beats.get(j).beatClass());
      } else if (j == -1) {
        rec.addMissed(truth);
      }
    }
    for (int j = 0; j < det.length; j++) {
      if (m.detectedToRef()[j] == -1) {
        rec.addExtra(beats.get(j).beatClass());
      }
    }
    classes.addAll(rec);
    qrsTp += m.truePositives();
    qrsFn += m.falseNegatives();
    qrsFp += m.falsePositives();
    List<long[]> detAf =
        analysis.afEpisodes().stream()
            .map((AfEpisode e) -> new long[] {e.startSample(), e.endSample()})
            .toList();
    af.add(ref.afEpisodes(), detAf, fs);
    String afText = "";
    if (!ref.afEpisodes().isEmpty() || !detAf.isEmpty()) {
      AfScore recordAf = new AfScore();
      recordAf.add(ref.afEpisodes(), detAf, fs);
      afText =
          String.format(
              " | AF %.0f s found, %.0f s annotated, duration Se %.1f +P %.1f",
              seconds(detAf, fs),
              seconds(ref.afEpisodes(), fs),
              recordAf.durationSe(),
              recordAf.durationPpv());
    }
    perRecord.put(
        record,
        String.format(
            "QRS tp %d fn %d fp %d | %s%s",
            m.truePositives(), m.falseNegatives(), m.falsePositives(), rec.summary(), afText));
  }

  private static double seconds(List<long[]> episodes, double fs) {
    return episodes.stream().mapToLong(e -> e[1] - e[0]).sum() / fs;
  }

  public double qrsSe() {
    return ClassScore.percent(qrsTp, qrsTp + qrsFn);
  }

  public double qrsPpv() {
    return ClassScore.percent(qrsTp, qrsTp + qrsFp);
  }

  public ClassScore classes() {
    return classes;
  }

  public AfScore af() {
    return af;
  }

  public Map<String, String> perRecord() {
    return perRecord;
  }

  /** The Contract's JSON object: qrs, classes, accuracy, af (percentages 0–100). */
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> qrs = new LinkedHashMap<>();
    qrs.put("se", ClassScore.round(qrsSe()));
    qrs.put("ppv", ClassScore.round(qrsPpv()));
    out.put("qrs", qrs);
    out.put("classes", classes.toJson());
    out.put("accuracy", ClassScore.round(classes.accuracy()));
    out.put("af", af.toJson());
    return out;
  }

  public String summary() {
    return String.format(
        "QRS Se %.2f +P %.2f | %s | %s", qrsSe(), qrsPpv(), classes.summary(), af.summary());
  }
}
