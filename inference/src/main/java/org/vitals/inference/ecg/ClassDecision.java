package org.vitals.inference.ecg;

/**
 * A beat's class from the model's own probabilities and the class offsets (decision 0310).
 *
 * <p>The offsets ({@code ClassBias}) are tuned to move the boundaries between the normal class and
 * each ectopic class; as plain log-probability shifts they would also move the boundary between S
 * and V by their difference (S +0.25, V −1.50: 1.75 in log odds towards S), which nothing tuned and
 * which sent premature PVCs the model itself called V at 0.7–0.8 to S (106, 207, 223). So the
 * offsets decide whether a beat is ectopic, and the model's own odds decide its origin.
 *
 * <p>Inside atrial fibrillation AAMI EC57 / MIT-BIH label supraventricular beats N (there is no
 * premature atrial beat without organised atrial activity): there the S probability is added to N,
 * and a beat is V only if V, with its offset, beats the merged non-ventricular probability.
 */
public final class ClassDecision {

  private ClassDecision() {}

  /**
   * The class index outside AF: arg-max of log p + offsets; if that is S or V, whichever of the two
   * the model gives the higher probability.
   *
   * @param own the model's own probabilities (offsets not applied), in the model's output order
   * @param bias class offsets (log scale), same order
   * @param s index of S
   * @param v index of V
   */
  public static int decide(double[] own, double[] bias, int s, int v) {
    int best = argMax(own, bias, -1, -1);
    if (best != s && best != v) {
      return best;
    }
    return own[s] > own[v] ? s : v;
  }

  /**
   * The class index inside a detected AF episode: S counts as N (never returned); arg-max of log p
   * + offsets over the other classes, N's offset applying to N + S.
   *
   * @param n index of N
   * @param s index of S
   */
  public static int decideInAf(double[] own, double[] bias, int n, int s) {
    return argMax(own, bias, n, s);
  }

  /** Arg-max of log p + bias; {@code from} (when >= 0) is merged into {@code into}. */
  private static int argMax(double[] p, double[] bias, int into, int from) {
    int best = into >= 0 ? into : 0;
    double bv = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < p.length; k++) {
      if (k == from) {
        continue;
      }
      double pk = k == into ? p[k] + p[from] : p[k];
      double x = Math.log(Math.max(pk, 1e-12)) + bias[k];
      if (x > bv) {
        bv = x;
        best = k;
      }
    }
    return best;
  }
}
