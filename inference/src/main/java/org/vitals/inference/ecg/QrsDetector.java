package org.vitals.inference.ecg;

import java.util.Arrays;
import java.util.function.LongConsumer;
import org.vitals.inference.ecg.filter.Biquad;

/**
 * Streaming QRS detector of the Pan–Tompkins family (Pan & Tompkins, IEEE TBME 32(3):230, 1985;
 * decision rules of Hamilton & Tompkins, IEEE TBME 33(12):1157, 1986): band-pass 5–15 Hz,
 * derivative, squaring, 150 ms moving-window integration, peak detection, median-based adaptive
 * threshold, 200 ms refractory period, T-wave discrimination by slope and search-back.
 *
 * <p>Feed samples one at a time with {@link #accept(double)}; each confirmed beat's R-peak sample
 * index (counted from the first sample fed) goes to the listener, in increasing order, about
 * 0.25–0.4 s after the sample itself (search-back beats up to 1.5 RR later). The first 2 s train
 * the thresholds and are then detected too. {@link #finish()} flushes the end of a record. {@link
 * #detect(double[], double)} runs the same code over a whole signal.
 */
public final class QrsDetector {

  private static final int HISTORY = 8;

  /** Hamilton & Tompkins' threshold coefficient between noise and QRS peak levels. */
  private static final double TH_COEFF = 0.3125;

  private final double fs;
  private final LongConsumer onBeat;
  private final int leads;
  private final Biquad[] hp1;
  private final Biquad[] lp1;
  private final Biquad[] lp2;
  private final Biquad baseline;
  private final int ringMask;
  private final double[][] bpRing;
  private final double[] rawRing;
  private final double[] slopeRing;
  private final double[] sqRing;
  private final int window;
  private final int bandPassDelay;
  private final int refractory;
  private final int tWaveLimit;
  private final int learning;
  private final int peakTimeout;
  private final int rSearch;

  private long n = -1;
  private double mwiSum;
  private double prevMwi;
  private boolean rising;
  private double peakMax;
  private long peakPos;
  private long peakMaxSince;

  // candidate peaks since the last QRS (for search-back) and during learning
  private long[] candPos = new long[64];
  private double[] candHeight = new double[64];
  private double[] candSlope = new double[64];
  private int candCount;

  private boolean learned;
  private final double[] qrsPeaks = new double[HISTORY];
  private final double[] noisePeaks = new double[HISTORY];
  private final double[] rrs = new double[HISTORY];
  private int qrsIdx;
  private int noiseIdx;
  private int rrIdx;
  private int rrCount;
  private double threshold;
  private double rrMedian;
  private long lastQrs = Long.MIN_VALUE / 4;
  private long lastQrsPeak = Long.MIN_VALUE / 4;
  private double lastQrsSlope;
  private long lastEmitted = -1;
  private boolean searchedBack;

  /** A single-lead detector for signals sampled at {@code fs} Hz (100 to 2000 Hz). */
  public QrsDetector(double fs, LongConsumer onBeat) {
    this(fs, 1, onBeat);
  }

  /**
   * A detector over {@code leads} simultaneous leads (1 or 2): their squared slopes are summed, so
   * a QRS clear in either lead is found. R peaks are located on the first lead.
   */
  public QrsDetector(double fs, int leads, LongConsumer onBeat) {
    if (!(fs >= 100 && fs <= 2000)) {
      throw new IllegalArgumentException(
          "QRS detection needs a sampling rate between 100 and 2000 Hz, got " + fs);
    }
    if (leads < 1 || leads > 2) {
      throw new IllegalArgumentException("QRS detection takes 1 or 2 leads, got " + leads);
    }
    this.fs = fs;
    this.onBeat = onBeat;
    this.leads = leads;
    hp1 = new Biquad[leads];
    lp1 = new Biquad[leads];
    lp2 = new Biquad[leads];
    for (int l = 0; l < leads; l++) {
      hp1[l] = Biquad.highPass(5, fs);
      lp1[l] = Biquad.lowPass(15, fs);
      lp2[l] = Biquad.lowPass(15, fs);
    }
    baseline = Biquad.highPass(0.5, fs);
    int size = Integer.highestOneBit((int) (fs * 6)) << 1;
    ringMask = size - 1;
    bpRing = new double[leads][size];
    rawRing = new double[size];
    slopeRing = new double[size];
    sqRing = new double[size];
    window = (int) Math.round(0.15 * fs);
    bandPassDelay = measureBandPassDelay(fs);
    refractory = (int) Math.round(0.2 * fs);
    tWaveLimit = (int) Math.round(0.36 * fs);
    learning = (int) Math.round(2 * fs);
    peakTimeout = (int) Math.round(0.095 * fs);
    rSearch = (int) Math.round(0.05 * fs);
    rrMedian = fs; // 60 /min until measured
  }

  /** Detects every beat of a whole signal; returns R-peak sample indices in increasing order. */
  public static int[] detect(double[] signal, double fs) {
    return detect(new double[][] {signal}, fs);
  }

  /**
   * Detects every beat of a whole one- or two-lead recording {@code [lead][sample]}; R peaks are
   * located on lead 0.
   */
  public static int[] detect(double[][] leadSignals, double fs) {
    double[] signal = leadSignals[0];
    double[] second = leadSignals.length > 1 ? leadSignals[1] : null;
    int[][] holder = {new int[Math.max(16, (int) (signal.length / fs * 4))]};
    int[] count = {0};
    QrsDetector d =
        new QrsDetector(
            fs,
            second == null ? 1 : 2,
            r -> {
              if (count[0] == holder[0].length) {
                holder[0] = Arrays.copyOf(holder[0], holder[0].length * 2);
              }
              holder[0][count[0]++] = (int) r;
            });
    if (second == null) {
      for (double x : signal) {
        d.accept(x);
      }
    } else {
      if (second.length != signal.length) {
        throw new IllegalArgumentException(
            "leads differ in length: " + signal.length + " and " + second.length);
      }
      for (int i = 0; i < signal.length; i++) {
        d.accept(signal[i], second[i]);
      }
    }
    d.finish();
    return Arrays.copyOf(holder[0], count[0]);
  }

  private static int measureBandPassDelay(double fs) {
    Biquad h = Biquad.highPass(5, fs);
    Biquad l1 = Biquad.lowPass(15, fs);
    Biquad l2 = Biquad.lowPass(15, fs);
    int best = 0;
    double bestV = 0;
    int len = (int) fs;
    // response to a short triangular QRS-like pulse of 40 ms, centred at 0
    int half = (int) Math.round(0.02 * fs);
    for (int i = -half; i < len; i++) {
      double x = i <= half ? Math.max(0, 1 - Math.abs(i) / (double) half) : 0;
      double y = l2.filter(l1.filter(h.filter(x)));
      if (y > bestV) {
        bestV = y;
        best = i;
      }
    }
    return best;
  }

  /** Feeds the next sample of a single-lead detector (millivolts; NaN is rejected). */
  public void accept(double x) {
    if (leads != 1) {
      throw new IllegalStateException("this detector takes " + leads + " leads per sample");
    }
    step(x, 0);
  }

  /** Feeds the next sample of a two-lead detector (millivolts; NaN is rejected). */
  public void accept(double lead0, double lead1) {
    if (leads != 2) {
      throw new IllegalStateException("this detector takes one lead per sample");
    }
    step(lead0, lead1);
  }

  private void step(double x, double y) {
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      throw new IllegalArgumentException(
          "sample "
              + (n + 1)
              + " is "
              + (Double.isFinite(x) ? y : x)
              + ": fill or cut gaps before QRS detection");
    }
    n++;
    if (n == 0) {
      baseline.settle(x);
      for (int l = 0; l < leads; l++) {
        hp1[l].settle(l == 0 ? x : y);
        lp1[l].settle(0);
        lp2[l].settle(0);
      }
    }
    int i = (int) (n & ringMask);
    rawRing[i] = baseline.filter(x);
    double sq = 0;
    double slope = 0;
    for (int l = 0; l < leads; l++) {
      double[] ring = bpRing[l];
      double bp = lp2[l].filter(lp1[l].filter(hp1[l].filter(l == 0 ? x : y)));
      ring[i] = bp;
      double b1 = ring[(int) ((n - 1) & ringMask)];
      double b3 = ring[(int) ((n - 3) & ringMask)];
      double b4 = ring[(int) ((n - 4) & ringMask)];
      double d = n >= 4 ? (2 * bp + b1 - b3 - 2 * b4) * 0.125 * fs / 200 : 0;
      sq += d * d;
    }
    slope = Math.sqrt(sq);
    slopeRing[i] = slope;
    mwiSum += sq - sqRing[(int) ((n - window) & ringMask)];
    sqRing[i] = sq;
    double mwi = mwiSum / window;
    detectPeak(mwi);
    prevMwi = mwi;
    if (!learned) {
      if (n + 1 >= learning) {
        learn();
      }
    } else if (n - lastQrsPeak > searchBackLimit() && !searchedBack) {
      searchBack();
    }
  }

  /** Flushes the end of the signal: decides the last pending peaks. */
  public void finish() {
    if (peakMax > 0) {
      candidate(peakPos, peakMax);
      peakMax = 0;
    }
    if (!learned) {
      learn();
    }
    searchedBack = false;
    if (n - lastQrsPeak > searchBackLimit()) {
      searchBack();
    }
  }

  private void detectPeak(double mwi) {
    if (mwi > prevMwi) {
      rising = true;
    }
    if (rising && mwi > peakMax) {
      peakMax = mwi;
      peakPos = n;
      peakMaxSince = 0;
    } else if (peakMax > 0) {
      peakMaxSince++;
      if (mwi < peakMax * 0.5 || peakMaxSince > peakTimeout) {
        candidate(peakPos, peakMax);
        peakMax = 0;
        rising = false;
      }
    }
  }

  private void candidate(long pos, double height) {
    double slope = 0;
    for (long k = pos - window; k <= pos; k++) {
      slope = Math.max(slope, slopeRing[(int) (k & ringMask)]);
    }
    if (!learned) {
      addCandidate(pos, height, slope);
      return;
    }
    decide(pos, height, slope);
  }

  private void decide(long pos, double height, double slope) {
    if (pos - lastQrsPeak < refractory) {
      return;
    }
    if (height > threshold) {
      boolean tWave = pos - lastQrsPeak < tWaveLimit && slope < 0.5 * lastQrsSlope;
      if (!tWave) {
        accept(pos, height, slope, false);
        return;
      }
    }
    noisePeaks[noiseIdx++ % HISTORY] = height;
    updateThreshold();
    addCandidate(pos, height, slope);
    searchedBack = false;
  }

  private void addCandidate(long pos, double height, double slope) {
    if (candCount == candPos.length) {
      candPos = Arrays.copyOf(candPos, candCount * 2);
      candHeight = Arrays.copyOf(candHeight, candCount * 2);
      candSlope = Arrays.copyOf(candSlope, candCount * 2);
    }
    candPos[candCount] = pos;
    candHeight[candCount] = height;
    candSlope[candCount] = slope;
    candCount++;
  }

  private void learn() {
    learned = true;
    double max = 0;
    for (int k = 0; k < candCount; k++) {
      max = Math.max(max, candHeight[k]);
    }
    Arrays.fill(qrsPeaks, max);
    Arrays.fill(noisePeaks, 0);
    updateThreshold();
    int count = candCount;
    long[] pos = Arrays.copyOf(candPos, count);
    double[] h = Arrays.copyOf(candHeight, count);
    double[] s = Arrays.copyOf(candSlope, count);
    candCount = 0;
    for (int k = 0; k < count; k++) {
      decide(pos[k], h[k], s[k]);
    }
  }

  private double searchBackLimit() {
    return 1.5 * rrMedian;
  }

  private void searchBack() {
    searchedBack = true;
    int best = -1;
    for (int k = 0; k < candCount; k++) {
      if (candPos[k] - lastQrsPeak > tWaveLimit
          && candHeight[k] > 0.5 * threshold
          && (best < 0 || candHeight[k] > candHeight[best])) {
        best = k;
      }
    }
    if (best >= 0) {
      accept(candPos[best], candHeight[best], candSlope[best], true);
      // later noise candidates stay available for the next search-back
      if (n - lastQrsPeak > searchBackLimit()) {
        searchBack();
      }
    }
  }

  private void accept(long pos, double height, double slope, boolean fromSearchBack) {
    if (fromSearchBack) {
      // Pan & Tompkins: a search-back peak moves the signal level by a quarter
      double level = median(qrsPeaks);
      qrsPeaks[qrsIdx++ % HISTORY] = 0.25 * height + 0.75 * level;
    } else {
      qrsPeaks[qrsIdx++ % HISTORY] = height;
    }
    if (lastQrsPeak >= 0) {
      double rr = pos - lastQrsPeak;
      // irregular intervals (ectopy, misses) do not drag the search-back interval
      if (rrCount < 2 || (rr > 0.6 * rrMedian && rr < 1.7 * rrMedian)) {
        rrs[rrIdx++ % HISTORY] = rr;
        rrCount++;
        rrMedian = medianOf(rrs, Math.min(rrCount, HISTORY));
      } else if (rr >= 1.7 * rrMedian) {
        rrMedian = Math.min(rrMedian * 1.1, 2 * fs);
      }
    }
    lastQrsPeak = pos;
    lastQrsSlope = slope;
    updateThreshold();
    // drop candidates at or before this beat
    int keep = 0;
    for (int k = 0; k < candCount; k++) {
      if (candPos[k] > pos) {
        candPos[keep] = candPos[k];
        candHeight[keep] = candHeight[k];
        candSlope[keep] = candSlope[k];
        keep++;
      }
    }
    candCount = keep;
    searchedBack = false;
    long r = locateR(pos);
    if (r <= lastEmitted) {
      r = lastEmitted + 1;
    }
    lastEmitted = r;
    lastQrs = r;
    onBeat.accept(r);
  }

  /** The R peak: largest deflection of the baseline-free signal near the band-pass peak. */
  private long locateR(long mwiPeak) {
    long from = Math.max(0, mwiPeak - window - bandPassDelay);
    long to = mwiPeak - bandPassDelay;
    long oldest = Math.max(0, n - ringMask);
    from = Math.max(from, oldest);
    to = Math.max(to, from);
    long bpBest = from;
    double bpMax = -1;
    for (long k = from; k <= to; k++) {
      double v = Math.abs(bpRing[0][(int) (k & ringMask)]);
      if (v > bpMax) {
        bpMax = v;
        bpBest = k;
      }
    }
    long c = bpBest - bandPassDelay;
    long a = Math.max(oldest, c - rSearch);
    long b = Math.min(n, c + rSearch);
    long best = Math.max(a, Math.min(c, b));
    double max = -1;
    for (long k = a; k <= b; k++) {
      double v = Math.abs(rawRing[(int) (k & ringMask)]);
      if (v > max) {
        max = v;
        best = k;
      }
    }
    return best;
  }

  private void updateThreshold() {
    double q = median(qrsPeaks);
    double nz = median(noisePeaks);
    threshold = nz + TH_COEFF * (q - nz);
  }

  private static double median(double[] v) {
    return medianOf(v, v.length);
  }

  private static double medianOf(double[] v, int len) {
    double[] c = Arrays.copyOf(v, len);
    Arrays.sort(c);
    return len % 2 == 1 ? c[len / 2] : 0.5 * (c[len / 2 - 1] + c[len / 2]);
  }
}
