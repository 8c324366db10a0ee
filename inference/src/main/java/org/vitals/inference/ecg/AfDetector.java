package org.vitals.inference.ecg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Atrial fibrillation from RR irregularity. For each beat, a window of the surrounding RR intervals
 * between supraventricular beats (intervals touching a ventricular beat are dropped, so ectopy does
 * not look like AF) is scored by its normalised RMSSD and the Shannon entropy of its RR histogram
 * (Dash et al., Ann Biomed Eng 37(9):1701, 2009), with a robust successive difference measure (the
 * "irregularly irregular" rhythm). Flagged beats form episodes; gaps shorter than a few beats are
 * bridged and episodes shorter than {@link #MIN_EPISODE_S} are dropped.
 */
public final class AfDetector {

  /** Shortest episode reported, in seconds. */
  public static final double MIN_EPISODE_S = 15;

  private static final int HALF_WINDOW = 16;
  private static final int MIN_INTERVALS = 12;

  /** Tunable decision constants (defaults tuned on MIT-BIH DS1 with leave-record-out). */
  public record Settings(
      double minNrmssd,
      double minEntropy,
      double minMedianSuccessiveDiff,
      int bridgeBeats,
      double maxPWaveCorrelation) {
    public static Settings defaults() {
      return new Settings(0.12, 0.7, 0.12, 8, 0.6);
    }
  }

  private AfDetector() {}

  /**
   * AF episodes as {@code [start, end)} sample pairs.
   *
   * @param rPeaks beat positions, increasing
   * @param classes each beat's class (V and F beats do not count as supraventricular)
   * @param fs sampling rate in Hz
   */
  public static List<long[]> detect(int[] rPeaks, AamiClass[] classes, double fs) {
    return detect(rPeaks, classes, null, fs, Settings.defaults());
  }

  /**
   * AF episodes using P-wave evidence too.
   *
   * @param pWaveCorrelation each beat's P-wave correlation with the patient's median beat ({@link
   *     BeatFeatures}' {@code p_corr}), or null when unknown
   */
  public static List<long[]> detect(
      int[] rPeaks, AamiClass[] classes, double[] pWaveCorrelation, double fs) {
    return detect(rPeaks, classes, pWaveCorrelation, fs, Settings.defaults());
  }

  public static List<long[]> detect(
      int[] rPeaks, AamiClass[] classes, double[] pWaveCorrelation, double fs, Settings settings) {
    boolean[] af = flagBeats(rPeaks, classes, pWaveCorrelation, fs, settings);
    return episodes(rPeaks, af, fs, settings);
  }

  /** Per-beat AF flags before episode forming. */
  static boolean[] flagBeats(int[] r, AamiClass[] classes, double[] pWave, double fs, Settings s) {
    int nb = r.length;
    boolean[] flag = new boolean[nb];
    if (nb < 3) {
      return flag;
    }
    // rr[i] = interval ending at beat i, NaN when either end is ventricular or fusion
    double[] rr = new double[nb];
    rr[0] = Double.NaN;
    for (int i = 1; i < nb; i++) {
      boolean ectopic = isVentricular(classes[i]) || isVentricular(classes[i - 1]);
      // the interval after a ventricular beat (compensatory pause) is not sinus either
      boolean afterEctopic = i >= 2 && isVentricular(classes[i - 2]);
      rr[i] = ectopic || afterEctopic ? Double.NaN : (r[i] - r[i - 1]) / fs;
    }
    double[] win = new double[2 * HALF_WINDOW + 1];
    for (int i = 0; i < nb; i++) {
      int count = 0;
      for (int j = Math.max(1, i - HALF_WINDOW); j <= Math.min(nb - 1, i + HALF_WINDOW); j++) {
        if (!Double.isNaN(rr[j])) {
          win[count++] = rr[j];
        }
      }
      if (count < MIN_INTERVALS) {
        continue;
      }
      double[] w = Arrays.copyOf(win, count);
      flag[i] =
          nrmssd(w) > s.minNrmssd()
              && shannonEntropy(w) > s.minEntropy()
              && medianSuccessiveDiff(w) > s.minMedianSuccessiveDiff()
              && (pWave == null || medianPWave(pWave, classes, i) < s.maxPWaveCorrelation());
    }
    return flag;
  }

  /**
   * Median P-wave correlation of the supraventricular beats within the window around beat i: near 1
   * when each beat has the patient's usual P wave (sinus rhythm with ectopy, which can be as
   * irregular as AF), low when there is none (fibrillatory baseline).
   */
  private static double medianPWave(double[] p, AamiClass[] classes, int i) {
    int nb = p.length;
    double[] v = new double[2 * HALF_WINDOW + 1];
    int count = 0;
    for (int j = Math.max(0, i - HALF_WINDOW); j <= Math.min(nb - 1, i + HALF_WINDOW); j++) {
      if (!isVentricular(classes[j])) {
        v[count++] = p[j];
      }
    }
    return count == 0 ? Double.NEGATIVE_INFINITY : BeatFeatures.median(Arrays.copyOf(v, count));
  }

  /** V and F beats are not supraventricular; Q beats (unusable signal) are not trusted. */
  private static boolean isVentricular(AamiClass c) {
    return c == AamiClass.V || c == AamiClass.F || c == AamiClass.Q;
  }

  static List<long[]> episodes(int[] r, boolean[] af, double fs, Settings s) {
    List<long[]> out = new ArrayList<>();
    int nb = r.length;
    int i = 0;
    while (i < nb) {
      if (!af[i]) {
        i++;
        continue;
      }
      int start = i;
      int end = i;
      int gap = 0;
      int j = i + 1;
      while (j < nb) {
        if (af[j]) {
          end = j;
          gap = 0;
        } else if (++gap > s.bridgeBeats()) {
          break;
        }
        j++;
      }
      long from = r[start];
      long to = end + 1 < nb ? r[end + 1] : r[end];
      if ((to - from) / fs >= MIN_EPISODE_S) {
        out.add(new long[] {from, to});
      }
      i = end + 1;
    }
    return out;
  }

  static double nrmssd(double[] w) {
    double mean = 0;
    for (double v : w) {
      mean += v;
    }
    mean /= w.length;
    double ss = 0;
    for (int k = 1; k < w.length; k++) {
      double d = w[k] - w[k - 1];
      ss += d * d;
    }
    return Math.sqrt(ss / (w.length - 1)) / mean;
  }

  /** Shannon entropy of a 16-bin histogram of the RR intervals, normalised to 0..1. */
  static double shannonEntropy(double[] w) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : w) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (max - min < 1e-9) {
      return 0;
    }
    int bins = 16;
    int[] h = new int[bins];
    for (double v : w) {
      h[Math.min(bins - 1, (int) ((v - min) / (max - min) * bins))]++;
    }
    double e = 0;
    for (int c : h) {
      if (c > 0) {
        double p = (double) c / w.length;
        e -= p * Math.log(p);
      }
    }
    return e / Math.log(Math.min(bins, w.length));
  }

  static double medianSuccessiveDiff(double[] w) {
    double[] d = new double[w.length - 1];
    double mean = 0;
    for (double v : w) {
      mean += v;
    }
    mean /= w.length;
    for (int k = 1; k < w.length; k++) {
      d[k - 1] = Math.abs(w[k] - w[k - 1]) / mean;
    }
    return BeatFeatures.median(d);
  }
}
