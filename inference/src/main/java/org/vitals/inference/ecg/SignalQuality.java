package org.vitals.inference.ecg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vitals.inference.ecg.filter.Biquad;

/**
 * ECG signal-quality index: cuts a recording into {@value #WINDOW_S}-s windows and marks a window
 * unusable when beats cannot be trusted in it, so that its beats are not classified and its RR
 * intervals do not feed rhythm analysis.
 *
 * <p>Checks, in this order, on the classified lead (lead 0):
 *
 * <ul>
 *   <li><b>flat line</b>: peak-to-peak under {@value #FLAT_MV} mV, or the signal not changing for
 *       {@value #FLAT_RUN_S} s (lead off, disconnected electrode, or asystole: both need a look at
 *       the patient);
 *   <li><b>saturation</b>: more than {@value #SATURATED_SHARE} of the window on plateaus at its
 *       extremes (an amplifier or ADC at its rail);
 *   <li><b>noise</b>: the bSQI of Li, Mark &amp; Clifford (Physiol Meas 29(1):15, 2008): the
 *       agreement of two different QRS detectors within 150 ms, here the Pan–Tompkins-family {@link
 *       QrsDetector} and a slope-energy detector ({@link #slopeDetector}); agreement below {@value
 *       #MIN_BSQI} (as F1 = 2 matched / (beats of one + beats of the other)) means noise or
 *       artefact bends one of them. The window is judged with {@value #CONTEXT_S} s of context on
 *       each side so beats at its edges count.
 * </ul>
 *
 * <p>Clifford et al. (Physiol Meas 33(9):1419, 2012) and Behar et al. (IEEE TMI 2013) combine bSQI
 * with spectral and kurtosis indices in a learned classifier; with no quality-labelled ECG in the
 * shared data the rules here are fixed thresholds, chosen so that the clean MIT-BIH DS1 records
 * stay almost wholly usable and noise at 0 dB SNR, flat lines and clipping are caught (see the
 * tests and docs/decisions/0304).
 */
public final class SignalQuality {

  /** Length of a judged window in seconds. */
  public static final double WINDOW_S = 5;

  static final double CONTEXT_S = 2.5;
  static final double FLAT_MV = 0.05;
  static final double FLAT_RUN_S = 1.0;
  static final double SATURATED_SHARE = 0.05;
  static final double PLATEAU_S = 0.02;
  static final double MIN_BSQI = 0.8;
  static final double MIN_KURTOSIS = 3.5;
  static final double GOOD_BSQI = 0.9;
  static final double MATCH_S = 0.15;

  /** Why a window is unusable. */
  public enum Reason {
    FLAT_LINE("flat line (lead off, disconnected or asystole)"),
    SATURATION("saturated signal (clipping at the amplifier limits)"),
    NOISE("noise or artefact (QRS detectors disagree)");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /**
   * An unusable stretch of the recording.
   *
   * @param startSample first sample
   * @param endSample sample just after the segment
   * @param reason why it was not analysed
   */
  public record Segment(long startSample, long endSample, Reason reason) {
    public double durationSeconds(double fs) {
      return (endSample - startSample) / fs;
    }
  }

  private SignalQuality() {}

  /**
   * Unusable segments of a recording (adjacent windows with the same reason merged).
   *
   * @param leadMv the classified lead in millivolts
   * @param peaks the R peaks the analysis detected on it (the first of the two bSQI detectors)
   * @param fs sampling rate in Hz
   */
  public static List<Segment> unusable(double[] leadMv, int[] peaks, double fs) {
    int n = leadMv.length;
    int win = (int) Math.round(WINDOW_S * fs);
    int ctx = (int) Math.round(CONTEXT_S * fs);
    int match = (int) Math.round(MATCH_S * fs);
    int[] other = alignFiducials(slopeDetector(leadMv, fs), peaks, (int) Math.round(0.25 * fs));
    double[] band = Biquad.bandPass(leadMv, fs, 0.5, Math.min(40, 0.45 * fs));
    List<Segment> out = new ArrayList<>();
    for (int from = 0; from < n; from += win) {
      int to = Math.min(n, from + win);
      if (to - from < fs) { // a last scrap under 1 s joins the verdict of the window before
        if (!out.isEmpty() && out.get(out.size() - 1).endSample() == from) {
          Segment last = out.remove(out.size() - 1);
          out.add(new Segment(last.startSample(), to, last.reason()));
        }
        break;
      }
      Reason r =
          judge(
              leadMv,
              band,
              from,
              to,
              Math.max(0, from - ctx),
              Math.min(n, to + ctx),
              peaks,
              other,
              match,
              fs);
      if (r == null) {
        continue;
      }
      if (!out.isEmpty()
          && out.get(out.size() - 1).endSample() == from
          && out.get(out.size() - 1).reason() == r) {
        Segment last = out.remove(out.size() - 1);
        out.add(new Segment(last.startSample(), to, r));
      } else {
        out.add(new Segment(from, to, r));
      }
    }
    return out;
  }

  private static Reason judge(
      double[] x,
      double[] band,
      int from,
      int to,
      int cFrom,
      int cTo,
      int[] a,
      int[] b,
      int match,
      double fs) {
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    int flatRun = 0;
    int longestFlat = 0;
    for (int i = from; i < to; i++) {
      max = Math.max(max, x[i]);
      min = Math.min(min, x[i]);
      if (i > from && Math.abs(x[i] - x[i - 1]) < 1e-6) {
        longestFlat = Math.max(longestFlat, ++flatRun);
      } else {
        flatRun = 0;
      }
    }
    if (max - min < FLAT_MV || longestFlat + 1 >= FLAT_RUN_S * fs) {
      return Reason.FLAT_LINE;
    }
    // plateaus (runs of equal samples of at least PLATEAU_S) at the window's extremes
    double tol = 1e-3 * (max - min);
    int plateau = (int) Math.max(3, Math.round(PLATEAU_S * fs));
    int onRail = 0;
    int run = 0;
    for (int i = from; i <= to; i++) {
      boolean rail = i < to && (x[i] >= max - tol || x[i] <= min + tol);
      if (rail) {
        run++;
      } else {
        if (run >= plateau) {
          onRail += run;
        }
        run = 0;
      }
    }
    if (onRail > SATURATED_SHARE * (to - from)) {
      return Reason.SATURATION;
    }
    double f1 = agreement(a, b, cFrom, cTo, match);
    // Gaussian-like amplitudes only condemn a window whose detectors do not agree well either: a
    // run of wide ventricular beats also has a low kurtosis, but both detectors find its beats.
    boolean noisy = f1 < MIN_BSQI || (f1 < GOOD_BSQI && kurtosis(band, from, to) < MIN_KURTOSIS);
    return noisy ? Reason.NOISE : null;
  }

  /** Kurtosis of {@code v[from, to)}: 3 for Gaussian noise, well above 5 for a spiky ECG. */
  static double kurtosis(double[] v, int from, int to) {
    double m = 0;
    for (int i = from; i < to; i++) {
      m += v[i];
    }
    m /= to - from;
    double m2 = 0;
    double m4 = 0;
    for (int i = from; i < to; i++) {
      double d = v[i] - m;
      m2 += d * d;
      m4 += d * d * d * d;
    }
    m2 /= to - from;
    m4 /= to - from;
    return m2 == 0 ? 0 : m4 / (m2 * m2);
  }

  /**
   * F1 agreement of two sorted beat lists within {@code [from, to)}: 2 matched / (na + nb); 1 when
   * neither has a beat (a pause both agree on).
   */
  static double agreement(int[] a, int[] b, int from, int to, int match) {
    int ia = lowerBound(a, from);
    int ib = lowerBound(b, from);
    int endA = lowerBound(a, to);
    int endB = lowerBound(b, to);
    int na = endA - ia;
    int nb = endB - ib;
    if (na + nb == 0) {
      return 1;
    }
    int matched = 0;
    int i = ia;
    int j = ib;
    while (i < endA && j < endB) {
      int d = a[i] - b[j];
      if (Math.abs(d) <= match) {
        matched++;
        i++;
        j++;
      } else if (d < 0) {
        i++;
      } else {
        j++;
      }
    }
    return 2.0 * matched / (na + nb);
  }

  /**
   * The second detector's beats shifted by the median offset to their nearest first-detector beat
   * (within {@code near} samples): the two detectors put their fiducial point at different places
   * of the QRS, and a wide QRS would otherwise look like disagreement.
   */
  static int[] alignFiducials(int[] b, int[] a, int near) {
    List<Integer> offsets = new ArrayList<>();
    for (int v : b) {
      int k = lowerBound(a, v);
      int best = Integer.MAX_VALUE;
      for (int j = Math.max(0, k - 1); j <= Math.min(a.length - 1, k); j++) {
        if (Math.abs(a[j] - v) < Math.abs(best)) {
          best = a[j] - v;
        }
      }
      if (Math.abs(best) <= near) {
        offsets.add(best);
      }
    }
    if (offsets.isEmpty()) {
      return b;
    }
    int[] o = offsets.stream().mapToInt(Integer::intValue).sorted().toArray();
    int shift = o[o.length / 2];
    int[] out = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] + shift;
    }
    return out;
  }

  private static int lowerBound(int[] v, int key) {
    int lo = 0;
    int hi = v.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (v[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The second bSQI detector, deliberately unlike {@link QrsDetector}: 8–20 Hz band-pass, absolute
   * slope summed over 100 ms (a slope-sum function, after Zong et al., Computers in Cardiology
   * 2003), peaks above 40 % of the local (±2 s) 98th percentile of that function, at least 250 ms
   * apart; a beat is placed at the largest deflection of the 0.5 Hz high-passed lead in the 150 ms
   * up to the slope-sum maximum. Whole-record, not streaming: it only checks the first detector.
   */
  static int[] slopeDetector(double[] x, double fs) {
    int n = x.length;
    if (n == 0) {
      return new int[0];
    }
    double[] bp = Biquad.bandPass(x, fs, 8, Math.min(20, 0.45 * fs));
    Biquad base = Biquad.highPass(0.5, fs);
    base.settle(x[0]);
    double[] hx = base.filter(x);
    int back = (int) Math.round(0.15 * fs);
    int w = Math.max(1, (int) Math.round(0.1 * fs));
    double[] ssf = new double[n];
    double acc = 0;
    for (int i = 1; i < n; i++) {
      acc += Math.abs(bp[i] - bp[i - 1]);
      if (i - w >= 1) {
        acc -= Math.abs(bp[i - w] - bp[i - w - 1]);
      }
      ssf[i] = acc;
    }
    // local threshold: 98th percentile of ssf over 4-s blocks, interpolated per block
    int block = (int) Math.round(4 * fs);
    int blocks = (n + block - 1) / block;
    double[] level = new double[blocks];
    for (int k = 0; k < blocks; k++) {
      double[] part = Arrays.copyOfRange(ssf, k * block, Math.min(n, (k + 1) * block));
      Arrays.sort(part);
      level[k] = part[(int) Math.min(part.length - 1, Math.floor(0.98 * part.length))];
    }
    int refractory = (int) Math.round(0.25 * fs);
    int search = (int) Math.round(0.25 * fs);
    List<Integer> beats = new ArrayList<>();
    int last = -refractory;
    int i = 1;
    while (i < n - 1) {
      double th = 0.4 * level[Math.min(blocks - 1, i / block)];
      if (ssf[i] > th && ssf[i] >= ssf[i - 1] && ssf[i] >= ssf[i + 1] && i - last >= refractory) {
        // climb to the local maximum of the slope-sum, then place the beat on the QRS
        int top = i;
        for (int j = i; j < Math.min(n, i + search); j++) {
          if (ssf[j] > ssf[top]) {
            top = j;
          }
        }
        // the slope sum trails the QRS by up to its window: the beat is the largest deflection
        // of the baseline-free lead in the 150 ms before the slope-sum maximum
        int best = Math.max(0, top - back);
        for (int j = best; j <= top; j++) {
          if (Math.abs(hx[j]) > Math.abs(hx[best])) {
            best = j;
          }
        }
        if (best - last >= refractory) {
          beats.add(best);
          last = best;
        }
        i = top + refractory / 2;
      } else {
        i++;
      }
    }
    return beats.stream().mapToInt(Integer::intValue).toArray();
  }
}
