package org.vitals.inference.spo2;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic 1 Hz SpO2 with known desaturations and artefacts, for scoring the detector where no
 * annotated public set is in reach (see docs/decisions/0322): an AR(1) baseline around 96–97 %,
 * injected desaturations (3–10 % deep, 10–120 s, physiological fall and recovery slopes), probe-off
 * stretches and motion spikes, rounded to whole percent as oximeters report.
 */
public final class SyntheticOximetry {

  /** An injected desaturation: where it is and how deep below the local baseline. */
  public record InjectedEvent(double startSeconds, double endSeconds, double depthPercent) {}

  /** The series and what was injected into it. */
  public record Recording(
      SpO2Series series, List<InjectedEvent> events, List<double[]> artefactIntervals) {}

  private SyntheticOximetry() {}

  /** Generates {@code seconds} of data with the given seed; same seed, same recording. */
  public static Recording generate(int seconds, long seed) {
    Random rnd = new Random(seed);
    double[] clean = new double[seconds];
    double level = 96.5 + rnd.nextGaussian() * 0.5;
    double ar = 0;
    for (int i = 0; i < seconds; i++) {
      ar = 0.98 * ar + rnd.nextGaussian() * 0.08;
      clean[i] = level + ar;
    }
    List<InjectedEvent> events = new ArrayList<>();
    int t = 150 + rnd.nextInt(120);
    while (t < seconds - 300) {
      double depth = 3 + rnd.nextDouble() * 7;
      int plateau = 10 + rnd.nextInt(100);
      double fallRate = 0.3 + rnd.nextDouble() * 0.6; // %/s
      double riseRate = 0.8 + rnd.nextDouble() * 1.2; // %/s
      int fall = (int) Math.ceil(depth / fallRate);
      int rise = (int) Math.ceil(depth / riseRate);
      for (int k = 0; k < fall + plateau + rise && t + k < seconds; k++) {
        double drop;
        if (k < fall) {
          drop = depth * (k + 1) / fall;
        } else if (k < fall + plateau) {
          drop = depth;
        } else {
          drop = depth * (1 - (double) (k - fall - plateau + 1) / rise);
        }
        clean[t + k] -= drop;
      }
      events.add(new InjectedEvent(t, t + fall + plateau + rise, depth));
      t += fall + plateau + rise + 150 + rnd.nextInt(400);
    }
    double[] spo2 = new double[seconds];
    double[] pulse = new double[seconds];
    for (int i = 0; i < seconds; i++) {
      spo2[i] = Math.min(100, Math.round(clean[i]));
      pulse[i] = Math.round(75 + 5 * Math.sin(i / 300.0) + rnd.nextGaussian());
    }
    // Artefacts between events: probe off (zeros or NaN) and motion spikes.
    List<double[]> artefacts = new ArrayList<>();
    for (int a = 0; a < seconds / 900; a++) {
      int at = rnd.nextInt(seconds - 40);
      if (overlaps(events, at - 10, at + 40)) {
        continue;
      }
      if (rnd.nextBoolean()) {
        int len = 5 + rnd.nextInt(25);
        boolean zeros = rnd.nextBoolean();
        for (int k = at; k < at + len; k++) {
          spo2[k] = zeros ? 0 : Double.NaN;
          pulse[k] = zeros ? 0 : Double.NaN;
        }
        artefacts.add(new double[] {at, at + len});
      } else {
        int len = 2 + rnd.nextInt(4);
        double spike = 10 + rnd.nextInt(15);
        for (int k = at; k < at + len; k++) {
          spo2[k] = Math.max(50, spo2[k] - spike);
        }
        artefacts.add(new double[] {at, at + len});
      }
    }
    return new Recording(new SpO2Series(1.0, spo2, pulse), events, artefacts);
  }

  private static boolean overlaps(List<InjectedEvent> events, double from, double to) {
    for (InjectedEvent e : events) {
      if (e.startSeconds() < to && from < e.endSeconds()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sensitivity and positive predictivity of detected events against injected ones.
   *
   * @param found injected events that a detection overlaps
   * @param missed injected events no detection overlaps
   * @param detections all detections
   * @param falseDetections detections that overlap no injected event
   */
  public record Agreement(int found, int missed, int detections, int falseDetections) {
    /** Sensitivity in percent. */
    public double sensitivity() {
      return 100.0 * found / Math.max(1, found + missed);
    }

    /** Positive predictivity in percent (100 when nothing was detected). */
    public double positivePredictivity() {
      return detections == 0 ? 100.0 : 100.0 * (detections - falseDetections) / detections;
    }
  }

  /**
   * Scores detections: an injected event of at least {@code minScoredDepth} counts as found if a
   * detection overlaps it; a detection counts as false if it overlaps no injected event at all
   * (events just under the drop threshold may or may not be found, and are not held against either
   * figure).
   */
  public static Agreement score(
      List<InjectedEvent> truth, List<DesaturationEvent> detected, double minScoredDepth) {
    int tp = 0;
    int fn = 0;
    for (InjectedEvent e : truth) {
      if (e.depthPercent() < minScoredDepth) {
        continue;
      }
      boolean found =
          detected.stream()
              .anyMatch(
                  d -> d.startSeconds() < e.endSeconds() && e.startSeconds() < d.endSeconds());
      if (found) {
        tp++;
      } else {
        fn++;
      }
    }
    int fp = 0;
    for (DesaturationEvent d : detected) {
      if (!overlaps(truth, d.startSeconds(), d.endSeconds())) {
        fp++;
      }
    }
    return new Agreement(tp, fn, detected.size(), fp);
  }
}
