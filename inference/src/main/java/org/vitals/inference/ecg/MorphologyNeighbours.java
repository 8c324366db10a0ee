package org.vitals.inference.ecg;

/**
 * Patient-adaptive smoothing of the ventricular probability: each beat's V probability is blended
 * with the mean V probability of the {@value #NEIGHBOURS} beats of the same recording whose QRS
 * shape is closest to its own (Haar level-3 approximation coefficients of the aligned QRS in {@link
 * BeatFeatures}, already scaled by the patient's template). A patient's ectopic beats come in a few
 * recurring shapes: a beat the model is unsure about is judged with the other beats of its shape,
 * which is what patient-adapted classifiers do by clustering a recording's beats (Lagerholm et al.,
 * IEEE TBME 47(7):838, 2000; Llamedo &amp; Martínez, IEEE TBME 59(8):2312, 2012), without any label
 * from the recording. Prematurity is left alone: supraventricular beats share the normal shape, so
 * only V is smoothed. Decision 0309.
 */
public final class MorphologyNeighbours {

  /** Neighbours per beat. */
  public static final int NEIGHBOURS = 10;

  /**
   * Fewer beats than this (about 5 minutes, the learning period EC57 allows a classifier) are left
   * as the model gave them: in a minute-long strip a shape has too few recurrences for its
   * neighbours' mean to say more than the beat itself (in 60-s strips of MIT-BIH 208 smoothing cost
   * VEBs).
   */
  public static final int MIN_BEATS = 300;

  /** Weight of the neighbours' mean in the blended V probability. */
  public static final double WEIGHT = 0.5;

  /**
   * At most this many evenly spaced beats of the recording serve as neighbours (about an hour of
   * beats; bounds the cost of longer recordings). With 1,000 the cross-validated VEB figures fell
   * by 1-2 points.
   */
  public static final int MAX_REFERENCE_BEATS = 4000;

  /** The shape descriptor: Haar approximation coefficients of the aligned QRS. */
  static final int SHAPE_FROM = BeatFeatures.NAMES.indexOf("f032_haar_a3_0");

  static final int SHAPE_TO = BeatFeatures.NAMES.indexOf("f040_haar_a3_8") + 1;

  static {
    if (SHAPE_FROM < 0 || SHAPE_TO != SHAPE_FROM + 9) {
      throw new IllegalStateException("Haar features moved in BeatFeatures.NAMES");
    }
  }

  private MorphologyNeighbours() {}

  /**
   * Probabilities with the V column blended with its shape neighbours' mean; the other classes keep
   * their proportions; recordings of fewer than {@link #MIN_BEATS} beats are returned unchanged.
   * Inputs are not changed.
   *
   * @param p each beat's class probabilities (before class offsets), {@code [beat][class]}
   * @param features each beat's {@link BeatFeatures} row
   * @param v index of V in the probability rows
   */
  public static double[][] smoothVentricular(double[][] p, double[][] features, int v) {
    int n = p.length;
    double[][] out = new double[n][];
    if (n < MIN_BEATS) {
      for (int i = 0; i < n; i++) {
        out[i] = p[i].clone();
      }
      return out;
    }
    int refs = Math.min(n, MAX_REFERENCE_BEATS);
    int[] ref = new int[refs];
    for (int j = 0; j < refs; j++) {
      ref[j] = (int) ((long) j * n / refs);
    }
    int dims = SHAPE_TO - SHAPE_FROM;
    float[] shapes = new float[refs * dims];
    for (int j = 0; j < refs; j++) {
      for (int c = 0; c < dims; c++) {
        shapes[j * dims + c] = (float) features[ref[j]][SHAPE_FROM + c];
      }
    }
    int k = Math.min(NEIGHBOURS, refs - 1);
    double[] bestD = new double[k];
    int[] bestJ = new int[k];
    float[] x = new float[dims];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < dims; c++) {
        x[c] = (float) features[i][SHAPE_FROM + c];
      }
      int found = 0;
      for (int j = 0; j < refs; j++) {
        if (ref[j] == i) {
          continue;
        }
        double d = 0;
        int o = j * dims;
        for (int c = 0; c < dims; c++) {
          double e = x[c] - shapes[o + c];
          d += e * e;
        }
        if (found < k || d < bestD[found - 1]) {
          // insertion into the sorted k best; ties keep the earlier beat (deterministic)
          int at = found < k ? found++ : k - 1;
          while (at > 0 && bestD[at - 1] > d) {
            bestD[at] = bestD[at - 1];
            bestJ[at] = bestJ[at - 1];
            at--;
          }
          bestD[at] = d;
          bestJ[at] = ref[j];
        }
      }
      double mean = 0;
      for (int q = 0; q < found; q++) {
        mean += p[bestJ[q]][v];
      }
      mean = found == 0 ? p[i][v] : mean / found;
      out[i] = blend(p[i], v, (1 - WEIGHT) * p[i][v] + WEIGHT * mean);
    }
    return out;
  }

  private static double[] blend(double[] p, int v, double pv) {
    double[] q = new double[p.length];
    double rest = 1 - p[v];
    for (int c = 0; c < p.length; c++) {
      q[c] = c == v ? pv : rest > 1e-12 ? p[c] * (1 - pv) / rest : (1 - pv) / (p.length - 1);
    }
    return q;
  }
}
