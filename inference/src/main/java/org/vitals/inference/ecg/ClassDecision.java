package org.vitals.inference.ecg;

/**
 * A beat's class from the model's own probabilities and the class offsets (decisions 0310, 0311).
 *
 * <p>The model's own odds decide a beat's ectopic origin: S if the model gives S a higher
 * probability than V, else V. That candidate then has to beat N (and F) with its own offset ({@code
 * ClassBias}): the S offset moves only the N–S boundary and the V offset only the N–V boundary.
 * Decision 0310 let either offset decide "ectopic or not" and the odds decide the origin
 * afterwards, so a raised S offset also turned normal beats the model found more V-like than S-like
 * into V (decision 0311: the S offset 2.0 chosen for SVEB sensitivity cost VEB +P 0.4 points that
 * way). As plain log-probability shifts the offsets would move the S–V boundary by their
 * difference, which sent premature PVCs the model called V at 0.7–0.8 to S (106, 207, 223; decision
 * 0310).
 *
 * <p>Inside atrial fibrillation AAMI EC57 / MIT-BIH label supraventricular beats N (there is no
 * premature atrial beat without organised atrial activity): there the S probability is added to N,
 * and a beat is V only if V, with its offset, beats the merged non-ventricular probability.
 */
public final class ClassDecision {

  private ClassDecision() {}

  /**
   * The class index outside AF: of S and V only the one the model gives the higher probability
   * competes (ties: V); then arg-max of log p + offsets over N, that class and F.
   *
   * @param own the model's own probabilities (offsets not applied), in the model's output order
   * @param bias class offsets (log scale), same order
   * @param s index of S
   * @param v index of V
   */
  public static int decide(double[] own, double[] bias, int s, int v) {
    return own[s] > own[v] ? argMax(own, bias, -1, v) : argMax(own, bias, -1, s);
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

  /**
   * Arg-max of log p + bias without class {@code from}, whose probability is merged into {@code
   * into} when that is >= 0 and dropped otherwise.
   */
  private static int argMax(double[] p, double[] bias, int into, int from) {
    int best = into >= 0 ? into : from == 0 ? 1 : 0;
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
