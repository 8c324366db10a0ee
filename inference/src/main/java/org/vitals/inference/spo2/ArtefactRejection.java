package org.vitals.inference.spo2;

import java.util.EnumMap;
import java.util.Map;

/**
 * Marks SpO2 samples that must not be analysed.
 *
 * <ul>
 *   <li>{@link ArtefactReason#PROBE_OFF}: SpO2 below {@value #PROBE_OFF_BELOW} % or a pulse of
 *       zero, and {@value #PROBE_OFF_GUARD_SECONDS} s either side (values settle slowly when a
 *       probe is put back on).
 *   <li>{@link ArtefactReason#MOTION}: oxygen saturation of arterial blood cannot change by more
 *       than a few percent per second (circulation delay; desaturation during apnoea falls at well
 *       under 1 %/s), so a step of {@value #MAX_STEP_PERCENT_PER_SECOND} %/s or more opens an
 *       artefact that lasts until the signal steps back, at most {@value #MAX_MOTION_SECONDS} s.
 *       This follows the plausibility rules used by oximetry analysers (e.g. Taha BH et al., Sleep
 *       1997;20:991, artefact rejection by maximal rate of change).
 * </ul>
 */
public final class ArtefactRejection {

  static final double PROBE_OFF_BELOW = 50.0;
  static final double PROBE_OFF_GUARD_SECONDS = 5.0;
  static final double MAX_STEP_PERCENT_PER_SECOND = 4.0;
  static final double MAX_MOTION_SECONDS = 30.0;

  private ArtefactRejection() {}

  /** Per-sample result: null = valid, otherwise the reason it was rejected. */
  public static ArtefactReason[] classify(SpO2Series series) {
    double[] v = series.spo2Percent();
    double dt = series.intervalSeconds();
    int n = v.length;
    ArtefactReason[] reason = new ArtefactReason[n];
    int guard = (int) Math.ceil(PROBE_OFF_GUARD_SECONDS / dt);
    for (int i = 0; i < n; i++) {
      boolean pulseZero =
          series.pulse() != null && !Double.isNaN(series.pulse()[i]) && series.pulse()[i] <= 0;
      if (!Double.isNaN(v[i]) && (v[i] < PROBE_OFF_BELOW || pulseZero)) {
        for (int k = Math.max(0, i - guard); k <= Math.min(n - 1, i + guard); k++) {
          reason[k] = ArtefactReason.PROBE_OFF;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(v[i])) {
        reason[i] = ArtefactReason.MISSING;
      }
    }
    double maxStep = MAX_STEP_PERCENT_PER_SECOND * dt;
    int maxMotion = (int) Math.ceil(MAX_MOTION_SECONDS / dt);
    int prev = -1; // last valid sample, the reference level for the next step
    int i = 0;
    while (i < n) {
      if (reason[i] != null) {
        prev = -1;
        i++;
        continue;
      }
      if (prev >= 0 && Math.abs(v[i] - v[prev]) >= maxStep * (i - prev)) {
        // A jump: the artefact lasts until the signal steps back to the level before it.
        double before = v[prev];
        int back = -1;
        for (int k = i + 1; k < Math.min(n, i + maxMotion); k++) {
          if (reason[k] == null && Math.abs(v[k] - before) < maxStep) {
            back = k;
            break;
          }
        }
        int stop = back >= 0 ? back : i + 1;
        for (int k = i; k < stop; k++) {
          if (reason[k] == null) {
            reason[k] = ArtefactReason.MOTION;
          }
        }
        // No step back: a new level (probe moved); measure later steps from the new value.
        prev = back >= 0 ? back : i;
        i = back >= 0 ? back + 1 : i + 1;
        continue;
      }
      prev = i;
      i++;
    }
    return reason;
  }

  /** How many samples were rejected for each reason. */
  public static Map<ArtefactReason, Integer> count(ArtefactReason[] reasons) {
    Map<ArtefactReason, Integer> counts = new EnumMap<>(ArtefactReason.class);
    for (ArtefactReason r : ArtefactReason.values()) {
      counts.put(r, 0);
    }
    for (ArtefactReason r : reasons) {
      if (r != null) {
        counts.merge(r, 1, Integer::sum);
      }
    }
    return counts;
  }
}
