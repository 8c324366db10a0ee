package org.vitals.inference.ecg;

/**
 * Supraventricular runs: a run of supraventricular tachycardia that holds a beat the classifier
 * calls S makes all of the run's beats S. Paroxysmal SVT and SVTA runs begin and end abruptly and
 * run faster than 100 /min (Page et al., 2015 ACC/AHA/HRS guideline for adult SVT, JACC
 * 67(13):e27), whereas sinus tachycardia speeds up gradually; inside a run each beat is on time
 * relative to its neighbours, so a per-beat classifier that judges prematurity against the local
 * rhythm calls most of the run normal (MIT-BIH record 209; decision 0308). From each S beat the
 * steady stretch it belongs to (successive RR within {@link #STEADY_FRACTION}) is followed back to
 * its first beat; that beat must be premature (RR below {@link #FAST_FRACTION} of the median of the
 * {@value #BASELINE_BEATS} N–N intervals before it, and below {@link #MAX_RR_S}). Then every beat
 * from there on is S while its RR stays below both limits and within {@link #STEADY_FRACTION} of
 * the previous RR; the first slower, irregular or ventricular beat ends the run. The constants come
 * from the definition (abrupt onset, steady rate above 100 /min), not from tuning.
 */
public final class SvtRuns {

  /** A run beat's RR is below this share of the median RR of the beats before the run. */
  public static final double FAST_FRACTION = 0.8;

  /** A run beat's RR is also below this many seconds: tachycardia means a rate above 100 /min. */
  public static final double MAX_RR_S = 0.6;

  /** Successive RR intervals inside a run differ by at most this share. */
  public static final double STEADY_FRACTION = 0.15;

  /** RR intervals before the run's first beat that set the rhythm it is compared with. */
  static final int BASELINE_BEATS = 8;

  private SvtRuns() {}

  /**
   * Relabels N beats that continue a supraventricular run as S, in place.
   *
   * @param peaks R peaks, increasing
   * @param classes each beat's class; only N beats of a run that holds an S beat are changed
   * @param fs sampling rate of {@code peaks} in Hz
   * @return how many beats were relabelled
   */
  public static int extend(int[] peaks, AamiClass[] classes, double fs) {
    double maxRr = MAX_RR_S * fs;
    int changed = 0;
    int nb = peaks.length;
    double[] window = new double[BASELINE_BEATS];
    // first beat of the steady stretch each beat belongs to (successive RR within
    // STEADY_FRACTION, N or S beats), found in one pass: runs are followed back to their onset
    // without walking back from every S beat. Relabelling N to S does not change it.
    int[] stretchStart = new int[nb];
    for (int k = 0; k < nb; k++) {
      stretchStart[k] = k;
      if (k - 1 > BASELINE_BEATS
          && (classes[k - 1] == AamiClass.N || classes[k - 1] == AamiClass.S)) {
        double rrHere = peaks[k] - peaks[k - 1];
        double rrBefore = peaks[k - 1] - peaks[k - 2];
        if (Math.abs(rrBefore - rrHere) <= STEADY_FRACTION * rrHere) {
          stretchStart[k] = stretchStart[k - 1];
        }
      }
    }
    for (int i = BASELINE_BEATS + 1; i < nb - 1; i++) {
      if (classes[i] != AamiClass.S) {
        continue;
      }
      int onset = stretchStart[i];
      int m = 0;
      for (int j = onset - 1; j >= 1 && m < BASELINE_BEATS && j > onset - 3 * BASELINE_BEATS; j--) {
        if (classes[j] == AamiClass.N && classes[j - 1] == AamiClass.N) {
          window[m++] = peaks[j] - peaks[j - 1];
        }
      }
      if (m < BASELINE_BEATS / 2) {
        continue;
      }
      double base = BeatFeatures.median(java.util.Arrays.copyOf(window, m));
      double prev = peaks[onset] - peaks[onset - 1];
      if (prev >= FAST_FRACTION * base || prev >= maxRr) {
        continue; // the run's first beat must be premature itself
      }
      for (int j = onset; j < i; j++) {
        if (classes[j] == AamiClass.N) {
          classes[j] = AamiClass.S;
          changed++;
        }
      }
      int j = i + 1;
      prev = peaks[i] - peaks[i - 1];
      while (j < nb && (classes[j] == AamiClass.N || classes[j] == AamiClass.S)) {
        double rr = peaks[j] - peaks[j - 1];
        if (rr >= FAST_FRACTION * base
            || rr >= maxRr
            || Math.abs(rr - prev) > STEADY_FRACTION * prev) {
          break;
        }
        if (classes[j] == AamiClass.N) {
          classes[j] = AamiClass.S;
          changed++;
        }
        prev = rr;
        j++;
      }
      i = j - 1;
    }
    return changed;
  }
}
