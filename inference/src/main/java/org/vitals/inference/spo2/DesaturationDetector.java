package org.vitals.inference.spo2;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds oxygen desaturation events: SpO2 at least {@code dropPercent} below the baseline for at
 * least {@code minDurationSeconds}, the definition behind ODI3 and ODI4 (AASM Manual for the
 * Scoring of Sleep 2012, hypopnoea rules 1A (3 %) and 1B (4 %); events of ≥ 10 s).
 *
 * <p>Baseline = mean of the valid samples in the preceding {@code baselineWindowSeconds} (120 s),
 * leaving out samples inside earlier events so a run of events does not drag the baseline down.
 * Brief returns above the threshold of up to {@code bridgeSeconds} do not split an event. Rejected
 * samples (see {@link ArtefactRejection}) are never part of an event, and an artefact gap longer
 * than the bridge ends it.
 */
public final class DesaturationDetector {

  private final double dropPercent;
  private final double minDurationSeconds;
  private final double baselineWindowSeconds;
  private final double bridgeSeconds;

  /** Detector with explicit settings. */
  public DesaturationDetector(
      double dropPercent,
      double minDurationSeconds,
      double baselineWindowSeconds,
      double bridgeSeconds) {
    if (!(dropPercent > 0) || !(minDurationSeconds > 0) || !(baselineWindowSeconds > 0)) {
      throw new IllegalArgumentException("drop, duration and baseline window must be positive");
    }
    this.dropPercent = dropPercent;
    this.minDurationSeconds = minDurationSeconds;
    this.baselineWindowSeconds = baselineWindowSeconds;
    this.bridgeSeconds = bridgeSeconds;
  }

  /** The ODI detector for a drop of 3 or 4 percent: ≥ 10 s, 120 s baseline, 3 s bridge. */
  public static DesaturationDetector odi(double dropPercent) {
    return new DesaturationDetector(dropPercent, 10, 120, 3);
  }

  /** Detects events in the series, using the given per-sample rejection (null = valid). */
  public List<DesaturationEvent> detect(SpO2Series series, ArtefactReason[] rejected) {
    double[] v = series.spo2Percent();
    double dt = series.intervalSeconds();
    int n = v.length;
    int window = (int) Math.round(baselineWindowSeconds / dt);
    int minBaselineSamples = Math.max(1, window / 4);
    int bridge = (int) Math.round(bridgeSeconds / dt);
    boolean[] inEvent = new boolean[n];
    // Running sum over the baseline window of valid, not-in-event samples.
    double sum = 0;
    int count = 0;
    List<DesaturationEvent> events = new ArrayList<>();
    int i = 0;
    while (i < n) {
      double baseline = count >= minBaselineSamples ? sum / count : Double.NaN;
      if (rejected[i] == null && !Double.isNaN(baseline) && v[i] <= baseline - dropPercent) {
        double threshold = baseline - dropPercent;
        int start = i;
        int lastBelow = i;
        double nadir = v[i];
        int nadirAt = i;
        int k = i + 1;
        while (k < n && k - lastBelow <= bridge + 1) {
          if (rejected[k] == null && v[k] <= threshold) {
            lastBelow = k;
            if (v[k] < nadir) {
              nadir = v[k];
              nadirAt = k;
            }
          }
          k++;
        }
        int end = lastBelow + 1;
        if ((end - start) * dt >= minDurationSeconds) {
          int onset = start;
          while (onset > 0 && rejected[onset - 1] == null && v[onset - 1] < baseline - 1) {
            onset--;
          }
          double minutes = Math.max(dt, (nadirAt - onset + 1) * dt) / 60.0;
          double rate = (baseline - nadir) / minutes;
          events.add(new DesaturationEvent(start * dt, end * dt, baseline, nadir, rate));
          for (int e = start; e < end; e++) {
            inEvent[e] = true;
          }
        }
        // Advance the baseline window over the samples just examined.
        for (int j = i; j < end; j++) {
          if (rejected[j] == null && !inEvent[j]) {
            sum += v[j];
            count++;
          }
          int old = j - window;
          if (old >= 0 && rejected[old] == null && !inEvent[old]) {
            sum -= v[old];
            count--;
          }
        }
        i = end;
        continue;
      }
      if (rejected[i] == null && !inEvent[i]) {
        sum += v[i];
        count++;
      }
      int old = i - window;
      if (old >= 0 && rejected[old] == null && !inEvent[old]) {
        sum -= v[old];
        count--;
      }
      i++;
    }
    return events;
  }
}
