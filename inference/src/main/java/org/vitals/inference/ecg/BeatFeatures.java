package org.vitals.inference.ecg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vitals.inference.ecg.filter.Biquad;

/**
 * Per-beat features for AAMI beat classification from one lead (MLII where available) and the
 * detected R peaks. Inter-patient generalisation rests on normalising each beat against the same
 * patient: RR intervals against the local (±10 beats) and the recording's median RR, and morphology
 * against the recording's median beat (de Chazal et al., IEEE TBME 51(7):1196, 2004;
 * Mondéjar-Guerra et al., BSPC 47:41, 2019; Llamedo & Martínez, IEEE TBME 58(3):616, 2011).
 *
 * <p>Groups: RR intervals and ratios; QRS morphology (width, amplitudes, correlation and difference
 * with the patient template, after aligning the beat to it within ±30 ms); P-wave and T-wave
 * likeness; Haar wavelet approximation and detail coefficients (level 3) of the QRS, scaled by the
 * template amplitude. Windows are in milliseconds, so any sampling rate works, but the classifier
 * was trained at 360 Hz.
 */
public final class BeatFeatures {

  /** Feature names in vector order, index-prefixed so that sorted order equals vector order. */
  public static final List<String> NAMES;

  /**
   * Hinge terms max(0, x - knot) of the most telling features at fixed, physiologically chosen
   * knots: they let the linear model bend (a generalised additive model), e.g. prematurity matters
   * below about 0.9 of the local RR and hardly above.
   */
  private static final String[] HINGE_FEATURES = {
    "pre_over_local", "post_over_local", "pre_over_record", "post_over_pre", "qrs_corr",
    "wide_corr", "p_corr", "t_corr", "qrs_width_over_template", "p2p_over_template",
    "qrs_diff_rms", "local_rr_cv"
  };

  private static final double[][] HINGE_KNOTS = {
    {0.7, 0.8, 0.9, 1.1},
    {0.9, 1.1, 1.3},
    {0.7, 0.8, 0.9, 1.1},
    {1.0, 1.3, 1.6},
    {0.5, 0.8, 0.9, 0.95},
    {0.5, 0.8, 0.9},
    {0.2, 0.5, 0.8},
    {0.0, 0.5, 0.8},
    {1.1, 1.3, 1.6},
    {0.7, 1.3, 1.6},
    {0.1, 0.2, 0.4},
    {0.05, 0.1, 0.2}
  };

  private static final int[] HINGE_INDEX = new int[HINGE_FEATURES.length];

  /** Index of {@code p_corr}, the P-wave correlation with the patient's median beat. */
  public static final int P_CORR = 24;

  private static final int WAVELET_LEVEL = 3;
  private static final int WAVELET_COEFFS = 9;

  static {
    List<String> n = new ArrayList<>();
    String[] base = {
      "pre_rr_s",
      "post_rr_s",
      "local_rr_s",
      "pre_over_local",
      "post_over_local",
      "pre_over_record",
      "post_over_record",
      "local_over_record",
      "post_over_pre",
      "next_pre_over_local",
      "prev_pre_over_local",
      "local_rr_cv",
      "pre_deviation_in_local_sd",
      "local_successive_diff",
      "qrs_width_ms",
      "qrs_width_over_template",
      "p2p_mv",
      "p2p_over_template",
      "max_over_template",
      "min_over_template",
      "qrs_corr",
      "qrs_one_minus_corr_log",
      "qrs_diff_rms",
      "wide_corr",
      "p_corr",
      "p_energy_over_template",
      "t_corr",
      "t_energy_over_template",
      "qrs_area_over_template",
      "qrs_abs_area_over_template",
      "alignment_shift_ms",
      "premature_and_similar"
    };
    for (String b : base) {
      n.add(b);
    }
    for (int k = 0; k < WAVELET_COEFFS; k++) {
      n.add("haar_a3_" + k);
    }
    for (int k = 0; k < WAVELET_COEFFS; k++) {
      n.add("haar_d3_" + k);
    }
    for (int k = 0; k < WAVELET_COEFFS; k++) {
      n.add("haar_a3_diff_" + k);
    }
    for (int h = 0; h < HINGE_FEATURES.length; h++) {
      HINGE_INDEX[h] = n.indexOf(HINGE_FEATURES[h]);
      if (HINGE_INDEX[h] < 0) {
        throw new IllegalStateException("no feature " + HINGE_FEATURES[h]);
      }
      for (double knot : HINGE_KNOTS[h]) {
        n.add("hinge_" + HINGE_FEATURES[h] + "_" + knot);
      }
    }
    List<String> prefixed = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      prefixed.add(String.format("f%03d_%s", i, n.get(i)));
    }
    NAMES = List.copyOf(prefixed);
    if (!NAMES.get(P_CORR).endsWith("_p_corr")) {
      throw new IllegalStateException("P_CORR does not point at p_corr");
    }
  }

  public static int count() {
    return NAMES.size();
  }

  private BeatFeatures() {}

  /**
   * Features of every beat, {@code [beat][feature]}.
   *
   * @param leadMv one ECG lead in millivolts
   * @param rPeaks R-peak sample indices, increasing
   * @param fs sampling rate in Hz
   */
  public static double[][] extract(double[] leadMv, int[] rPeaks, double fs) {
    int nb = rPeaks.length;
    double[][] out = new double[nb][count()];
    if (nb == 0) {
      return out;
    }
    double[] x = condition(leadMv, fs);
    double[] rr = new double[nb + 1]; // rr[i] = r[i] - r[i-1] in s; edges copied
    for (int i = 1; i < nb; i++) {
      rr[i] = (rPeaks[i] - rPeaks[i - 1]) / fs;
    }
    double recordRr = nb > 1 ? median(Arrays.copyOfRange(rr, 1, nb)) : 1.0;
    rr[0] = nb > 1 ? rr[1] : recordRr;
    rr[nb] = nb > 1 ? rr[nb - 1] : recordRr;
    // local mean RR over +-10 beats (de Chazal's "local average")
    double[] local = new double[nb];
    double[] prefix = new double[nb + 2];
    for (int i = 0; i <= nb; i++) {
      prefix[i + 1] = prefix[i] + rr[i];
    }
    double[] localSd = new double[nb];
    double[] localSucc = new double[nb];
    for (int i = 0; i < nb; i++) {
      int a = Math.max(0, i - 10);
      int b = Math.min(nb, i + 10);
      local[i] = (prefix[b + 1] - prefix[a]) / (b - a + 1);
      double ss = 0;
      double succ = 0;
      for (int j = a; j <= b; j++) {
        ss += (rr[j] - local[i]) * (rr[j] - local[i]);
        if (j > a) {
          succ += Math.abs(rr[j] - rr[j - 1]);
        }
      }
      // irregularity of the surrounding rhythm: prematurity means little in atrial fibrillation
      localSd[i] = Math.sqrt(ss / (b - a + 1));
      localSucc[i] = b > a ? succ / (b - a) / local[i] : 0;
    }

    Windows w = new Windows(fs);
    // Align every beat to the patient's median beat before describing its shape: the detected
    // fiducial may sit on R in one beat and on S in the next (record 108), which would make
    // identical beats look different. Two rounds: template, align, template of aligned beats.
    int maxShift = (int) Math.round(0.03 * fs);
    double[][] template = template(x, rPeaks, w);
    int[] aligned = align(x, rPeaks, template[0], w, maxShift);
    template = template(x, aligned, w);
    aligned = align(x, rPeaks, template[0], w, maxShift);
    double[] tQrs = slice(template[0], w.qrsFrom - w.wideFrom, w.qrsLen);
    double[] tP = slice(template[0], w.pFrom - w.wideFrom, w.pLen);
    double[] tT = slice(template[0], w.tFrom - w.wideFrom, w.tLen);
    double tP2p = Math.max(p2p(tQrs), 0.05);
    double tWidth = Math.max(qrsWidthMs(tQrs, fs), 20);
    double tPstd = Math.max(std(tP), 0.005);
    double tTstd = Math.max(std(tT), 0.01);
    double tArea = sum(tQrs) / fs;
    double tAbsArea = Math.max(absSum(tQrs) / fs, 1e-4);
    double[] tHaar = haarApprox(tQrs, WAVELET_LEVEL, WAVELET_COEFFS);

    double[] wide = new double[w.wideLen];
    for (int i = 0; i < nb; i++) {
      int r = aligned[i];
      copyWindow(x, r + w.wideFrom, wide);
      double[] qrs = slice(wide, w.qrsFrom - w.wideFrom, w.qrsLen);
      double[] p = slice(wide, w.pFrom - w.wideFrom, w.pLen);
      double[] t = slice(wide, w.tFrom - w.wideFrom, w.tLen);
      double pre = rr[i];
      double post = rr[i + 1];
      double[] f = out[i];
      int k = 0;
      f[k++] = pre;
      f[k++] = post;
      f[k++] = local[i];
      f[k++] = pre / local[i];
      f[k++] = post / local[i];
      f[k++] = pre / recordRr;
      f[k++] = post / recordRr;
      f[k++] = local[i] / recordRr;
      f[k++] = clip(post / pre, 0, 5);
      f[k++] = (i + 1 < nb ? rr[i + 2] : post) / local[i];
      f[k++] = (i > 0 ? rr[i - 1] : pre) / local[i];
      f[k++] = localSd[i] / local[i];
      f[k++] = clip((pre - local[i]) / (localSd[i] + 0.02), -10, 10);
      f[k++] = localSucc[i];
      double width = qrsWidthMs(qrs, fs);
      f[k++] = width;
      f[k++] = width / tWidth;
      double bp2p = p2p(qrs);
      f[k++] = bp2p;
      f[k++] = bp2p / tP2p;
      f[k++] = max(qrs) / tP2p;
      f[k++] = min(qrs) / tP2p;
      double corr = correlation(qrs, tQrs);
      f[k++] = corr;
      f[k++] = Math.log10(Math.max(1 - corr, 1e-3));
      f[k++] = rmsDiff(qrs, tQrs) / tP2p;
      f[k++] = correlation(wide, template[0]);
      f[k++] = correlation(p, tP);
      f[k++] = clip(std(p) / tPstd, 0, 10);
      f[k++] = correlation(t, tT);
      f[k++] = clip(std(t) / tTstd, 0, 10);
      f[k++] = sum(qrs) / fs / tAbsArea;
      f[k++] = absSum(qrs) / fs / tAbsArea;
      f[k++] = (aligned[i] - rPeaks[i]) / fs * 1000;
      f[k++] = Math.max(0, 1 - pre / local[i]) * Math.max(0, corr);
      double[] haar = haarApprox(qrs, WAVELET_LEVEL, WAVELET_COEFFS);
      double[] detail = haarDetail(qrs, WAVELET_LEVEL, WAVELET_COEFFS);
      for (int c = 0; c < WAVELET_COEFFS; c++) {
        f[k++] = haar[c] / tP2p;
      }
      for (int c = 0; c < WAVELET_COEFFS; c++) {
        f[k++] = detail[c] / tP2p;
      }
      for (int c = 0; c < WAVELET_COEFFS; c++) {
        f[k++] = (haar[c] - tHaar[c]) / tP2p;
      }
      for (int h = 0; h < HINGE_FEATURES.length; h++) {
        double v = f[HINGE_INDEX[h]];
        for (double knot : HINGE_KNOTS[h]) {
          f[k++] = Math.max(0, v - knot);
        }
      }
      for (int c = 0; c < f.length; c++) {
        if (!Double.isFinite(f[c])) {
          f[c] = 0;
        }
      }
    }
    return out;
  }

  /** Baseline and high-frequency noise removal: 0.5 Hz high-pass, 35 Hz low-pass. */
  static double[] condition(double[] x, double fs) {
    return Biquad.bandPass(x, fs, 0.5, Math.min(35, fs * 0.4));
  }

  /** Window offsets in samples relative to the R peak. */
  private static final class Windows {
    final int wideFrom;
    final int wideLen;
    final int qrsFrom;
    final int qrsLen;
    final int pFrom;
    final int pLen;
    final int tFrom;
    final int tLen;

    Windows(double fs) {
      wideFrom = -ms(250, fs);
      wideLen = ms(650, fs);
      qrsLen = 8 * WAVELET_COEFFS * (int) Math.max(1, Math.round(fs / 360.0));
      qrsFrom = -qrsLen / 2;
      pFrom = -ms(250, fs);
      pLen = ms(170, fs);
      tFrom = ms(150, fs);
      tLen = ms(250, fs);
    }

    private static int ms(double ms, double fs) {
      return (int) Math.round(ms * fs / 1000);
    }
  }

  /** The patient's median beat over up to 1,000 evenly spaced beats, {@code [0][sample]}. */
  private static double[][] template(double[] x, int[] r, Windows w) {
    int nb = r.length;
    int use = Math.min(nb, 1000);
    double[][] beats = new double[use][w.wideLen];
    for (int j = 0; j < use; j++) {
      int i = (int) ((long) j * nb / use);
      copyWindow(x, r[i] + w.wideFrom, beats[j]);
    }
    double[] t = new double[w.wideLen];
    double[] col = new double[use];
    for (int s = 0; s < w.wideLen; s++) {
      for (int j = 0; j < use; j++) {
        col[j] = beats[j][s];
      }
      t[s] = median(col);
    }
    return new double[][] {t};
  }

  /** Each beat's fiducial moved by up to {@code maxShift} to best match the template's QRS. */
  private static int[] align(double[] x, int[] r, double[] template, Windows w, int maxShift) {
    double[] t = slice(template, w.qrsFrom - w.wideFrom, w.qrsLen);
    double tm = mean(t);
    double tn = 0;
    for (int k = 0; k < t.length; k++) {
      t[k] -= tm;
      tn += t[k] * t[k];
    }
    int[] out = new int[r.length];
    int last = x.length - 1;
    for (int i = 0; i < r.length; i++) {
      int best = 0;
      double bestCorr = Double.NEGATIVE_INFINITY;
      for (int s = -maxShift; s <= maxShift; s++) {
        int from = r[i] + s + w.qrsFrom;
        double sx = 0;
        double sxx = 0;
        double sxt = 0;
        for (int k = 0; k < t.length; k++) {
          int idx = from + k;
          double v = x[idx < 0 ? 0 : (idx > last ? last : idx)];
          sx += v;
          sxx += v * v;
          sxt += v * t[k];
        }
        double var = sxx - sx * sx / t.length;
        double c = var > 0 && tn > 0 ? sxt / Math.sqrt(var * tn) : 0;
        if (c > bestCorr) {
          bestCorr = c;
          best = s;
        }
      }
      out[i] = r[i] + best;
    }
    return out;
  }

  private static void copyWindow(double[] x, int from, double[] dst) {
    int last = x.length - 1;
    for (int k = 0; k < dst.length; k++) {
      int idx = from + k;
      dst[k] = x[idx < 0 ? 0 : (idx > last ? last : idx)];
    }
  }

  private static double[] slice(double[] v, int from, int len) {
    return Arrays.copyOfRange(v, from, from + len);
  }

  /** QRS width: span where the slope exceeds 15 % of its maximum. */
  private static double qrsWidthMs(double[] qrs, double fs) {
    double maxSlope = 0;
    for (int i = 1; i < qrs.length; i++) {
      maxSlope = Math.max(maxSlope, Math.abs(qrs[i] - qrs[i - 1]));
    }
    if (maxSlope == 0) {
      return 0;
    }
    int first = -1;
    int last = -1;
    for (int i = 1; i < qrs.length; i++) {
      if (Math.abs(qrs[i] - qrs[i - 1]) > 0.15 * maxSlope) {
        if (first < 0) {
          first = i;
        }
        last = i;
      }
    }
    return (last - first + 1) / fs * 1000;
  }

  static double[] haarApprox(double[] v, int level, int coeffs) {
    int block = 1 << level;
    double scale = Math.pow(Math.sqrt(0.5), level);
    double[] a = new double[coeffs];
    for (int c = 0; c < coeffs; c++) {
      double s = 0;
      for (int k = 0; k < block && c * block + k < v.length; k++) {
        s += v[c * block + k];
      }
      a[c] = s * scale;
    }
    return a;
  }

  static double[] haarDetail(double[] v, int level, int coeffs) {
    int block = 1 << level;
    int half = block / 2;
    double scale = Math.pow(Math.sqrt(0.5), level);
    double[] d = new double[coeffs];
    for (int c = 0; c < coeffs; c++) {
      double s = 0;
      for (int k = 0; k < block && c * block + k < v.length; k++) {
        s += (k < half ? 1 : -1) * v[c * block + k];
      }
      d[c] = s * scale;
    }
    return d;
  }

  private static double correlation(double[] a, double[] b) {
    double ma = mean(a);
    double mb = mean(b);
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      double da = a[i] - ma;
      double db = b[i] - mb;
      sab += da * db;
      saa += da * da;
      sbb += db * db;
    }
    return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
  }

  private static double rmsDiff(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return Math.sqrt(s / a.length);
  }

  private static double p2p(double[] v) {
    return max(v) - min(v);
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double d : v) {
      m = Math.max(m, d);
    }
    return m;
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double d : v) {
      m = Math.min(m, d);
    }
    return m;
  }

  private static double mean(double[] v) {
    return sum(v) / v.length;
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d;
    }
    return s;
  }

  private static double absSum(double[] v) {
    double s = 0;
    for (double d : v) {
      s += Math.abs(d);
    }
    return s;
  }

  private static double std(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double d : v) {
      s += (d - m) * (d - m);
    }
    return Math.sqrt(s / v.length);
  }

  private static double clip(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] c = v.clone();
    Arrays.sort(c);
    int n = c.length;
    return n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
  }
}
