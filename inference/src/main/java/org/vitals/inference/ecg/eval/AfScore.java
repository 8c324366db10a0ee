package org.vitals.inference.ecg.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Atrial fibrillation scores per ANSI/AAMI EC57: duration sensitivity and positive predictivity
 * (overlap of detected and reference AF time), episode sensitivity (reference episodes overlapped
 * by a detection), episode positive predictivity (detections overlapping a reference episode), and
 * the sensitivity for reference episodes of 30 s or more.
 */
public final class AfScore {
  private long refDuration;
  private long detDuration;
  private long overlap;
  private int refEpisodes;
  private int refDetected;
  private int ref30;
  private int ref30Detected;
  private int detEpisodes;
  private int detTrue;

  /** Adds one record's episodes ({@code [start, end)} samples). */
  public void add(List<long[]> reference, List<long[]> detected, double fs) {
    for (long[] r : reference) {
      refDuration += r[1] - r[0];
      refEpisodes++;
      boolean hit = detected.stream().anyMatch(d -> overlaps(r, d));
      if (hit) {
        refDetected++;
      }
      if ((r[1] - r[0]) / fs >= 30) {
        ref30++;
        if (hit) {
          ref30Detected++;
        }
      }
      for (long[] d : detected) {
        overlap += Math.max(0, Math.min(r[1], d[1]) - Math.max(r[0], d[0]));
      }
    }
    for (long[] d : detected) {
      detDuration += d[1] - d[0];
      detEpisodes++;
      if (reference.stream().anyMatch(r -> overlaps(r, d))) {
        detTrue++;
      }
    }
  }

  private static boolean overlaps(long[] a, long[] b) {
    return Math.min(a[1], b[1]) > Math.max(a[0], b[0]);
  }

  public double durationSe() {
    return ClassScore.percent(overlap, refDuration);
  }

  public double durationPpv() {
    return ClassScore.percent(overlap, detDuration);
  }

  public double episodeSe() {
    return ClassScore.percent(refDetected, refEpisodes);
  }

  public double episodePpv() {
    return ClassScore.percent(detTrue, detEpisodes);
  }

  public double episode30Se() {
    return ClassScore.percent(ref30Detected, ref30);
  }

  /** The {@code af} object of the evaluation JSON (null where undefined, e.g. no AF at all). */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("episode_se", ClassScore.round(episodeSe()));
    m.put("episode_ppv", ClassScore.round(episodePpv()));
    m.put("duration_se", ClassScore.round(durationSe()));
    m.put("duration_ppv", ClassScore.round(durationPpv()));
    m.put("episode30_se", ClassScore.round(episode30Se()));
    return m;
  }

  public String summary() {
    return String.format(
        "AF duration Se %.1f +P %.1f | episode Se %.1f +P %.1f | >=30 s Se %.1f",
        durationSe(), durationPpv(), episodeSe(), episodePpv(), episode30Se());
  }
}
