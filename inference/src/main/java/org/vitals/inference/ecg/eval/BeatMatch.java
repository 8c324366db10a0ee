package org.vitals.inference.ecg.eval;

import java.util.Arrays;
import org.vitals.inference.ecg.ReferenceAnnotations;

/**
 * Beat-by-beat matching of detected beats to reference beats (ANSI/AAMI EC57, as WFDB {@code bxb}):
 * a detection matches the nearest unmatched reference beat within the match window (150 ms); beats
 * inside excluded segments (ventricular flutter) are not scored.
 *
 * @param refToDetected for each reference beat, the index of its detection, -1 when missed, -2 when
 *     excluded
 * @param detectedToRef for each detection, the index of its reference beat, -1 when false, -2 when
 *     excluded
 */
public record BeatMatch(int[] refToDetected, int[] detectedToRef) {

  /** Matches detections to reference beats with a window of {@code windowSamples}. */
  public static BeatMatch match(int[] detected, ReferenceAnnotations reference, int windowSamples) {
    int[] ref = reference.beatSamples();
    int[] r2d = new int[ref.length];
    int[] d2r = new int[detected.length];
    Arrays.fill(r2d, -1);
    Arrays.fill(d2r, -1);
    for (int i = 0; i < ref.length; i++) {
      if (reference.isExcluded(ref[i])) {
        r2d[i] = -2;
      }
    }
    for (int j = 0; j < detected.length; j++) {
      if (reference.isExcluded(detected[j])) {
        d2r[j] = -2;
      }
    }
    // Candidate pairs in order of distance: closest pairs first (both lists are sorted).
    int j0 = 0;
    for (int i = 0; i < ref.length; i++) {
      if (r2d[i] == -2) {
        continue;
      }
      while (j0 < detected.length && detected[j0] < ref[i] - windowSamples) {
        j0++;
      }
      int best = -1;
      int bestDist = Integer.MAX_VALUE;
      for (int j = j0; j < detected.length && detected[j] <= ref[i] + windowSamples; j++) {
        if (d2r[j] != -1) {
          continue;
        }
        int dist = Math.abs(detected[j] - ref[i]);
        // a detection closer to the next reference beat is left for that beat
        if (i + 1 < ref.length && Math.abs(detected[j] - ref[i + 1]) < dist) {
          continue;
        }
        if (dist < bestDist) {
          bestDist = dist;
          best = j;
        }
      }
      if (best >= 0) {
        r2d[i] = best;
        d2r[best] = i;
      }
    }
    return new BeatMatch(r2d, d2r);
  }

  public int truePositives() {
    return (int) Arrays.stream(refToDetected).filter(v -> v >= 0).count();
  }

  public int falseNegatives() {
    return (int) Arrays.stream(refToDetected).filter(v -> v == -1).count();
  }

  public int falsePositives() {
    return (int) Arrays.stream(detectedToRef).filter(v -> v == -1).count();
  }
}
