package org.vitals.inference.glucose;

import java.time.Duration;
import java.util.List;

/**
 * The 5-minute CGM grid the forecaster works on, and which forecast windows it can use.
 *
 * <p>A window is {@value #HISTORY} readings of history ending at the forecast origin (55 min) plus,
 * for evaluation and training, the readings 30 and 60 min later. Every step inside it must be one
 * CGM interval, {@value #MIN_STEP_SECONDS}–{@value #MAX_STEP_SECONDS} s: a longer step is a gap (a
 * missed reading), and a window with a gap is not forecast (no interpolation, as in the OhioT1DM
 * BGLP rules), only counted.
 */
public final class ForecastWindows {

  /** Readings of history the model sees. */
  public static final int HISTORY = 12;

  /** Steps ahead for the 30-minute horizon. */
  public static final int STEPS_30 = 6;

  /** Steps ahead for the 60-minute horizon. */
  public static final int STEPS_60 = 12;

  static final long MIN_STEP_SECONDS = 150;
  static final long MAX_STEP_SECONDS = 450;

  private ForecastWindows() {}

  /** True if the step between readings i-1 and i of the list is one regular CGM interval. */
  static boolean regularStep(List<CgmReading> r, int i) {
    long s = Duration.between(r.get(i - 1).time(), r.get(i).time()).getSeconds();
    return s >= MIN_STEP_SECONDS && s <= MAX_STEP_SECONDS;
  }

  /**
   * For each reading, the number of regular steps in a row that end at it (0 for the first reading
   * or after a gap). Window [a, b] is gap-free iff {@code run[b] >= b - a}.
   */
  static int[] regularRuns(List<CgmReading> r) {
    int[] run = new int[r.size()];
    for (int i = 1; i < r.size(); i++) {
      run[i] = regularStep(r, i) ? run[i - 1] + 1 : 0;
    }
    return run;
  }

  /** The last {@link #HISTORY} values if they form a gap-free history, else null. */
  static double[] history(List<CgmReading> r, int origin, int[] run) {
    int first = origin - HISTORY + 1;
    if (first < 0 || run[origin] < HISTORY - 1) {
      return null;
    }
    double[] h = new double[HISTORY];
    for (int k = 0; k < HISTORY; k++) {
      h[k] = r.get(first + k).mgdl();
    }
    return h;
  }
}
