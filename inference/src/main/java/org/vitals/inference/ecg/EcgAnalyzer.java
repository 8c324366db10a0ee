package org.vitals.inference.ecg;

import java.util.ArrayList;
import java.util.List;

/**
 * The ECG analysis entry point for the gateway and CDS services: QRS detection, AAMI beat
 * classification (ONNX model) and atrial fibrillation episodes from one or two leads.
 *
 * <p>Lead 0 is classified and should be a limb lead like MLII (the model was trained on MLII); lead
 * 1, when given, helps QRS detection. Signals at other rates than the model's (360 Hz) are
 * resampled linearly; sample indices in the result are in the caller's rate. Bad input gets an
 * {@link IllegalArgumentException} (NaN/infinite samples, leads of unequal length, sampling rate
 * outside 100–2000 Hz); a recording shorter than {@link #MIN_SECONDS} s or with fewer than 3 beats
 * gets an "insufficient data" result. Stretches of poor signal quality ({@link SignalQuality}: flat
 * line, saturation, noise) are reported in {@link EcgAnalysis#unusableSegments()}; their beats are
 * returned as Q (unclassifiable) and left out of rhythm analysis and heart rate, and a recording
 * with less than {@link #MIN_SECONDS} s of usable signal gets an "insufficient data" result naming
 * the reasons. Thread-safe.
 */
public final class EcgAnalyzer implements AutoCloseable {

  /** Shortest recording analysed, in seconds. */
  public static final double MIN_SECONDS = 10;

  /**
   * Ventricular labels take RR intervals out of AF analysis only at this probability of the trees
   * before class offsets: 0.98 is the 0.95 of decision 0306 measured after its V offset of -1,
   * expressed so that new offsets no longer move AF detection (decision 0308).
   */
  static final float AF_ECTOPY_CONFIDENCE = 0.98f;

  private final OnnxBeatClassifier classifier;

  public EcgAnalyzer(OnnxBeatClassifier classifier) {
    this.classifier = classifier;
  }

  /** An analyzer with the model shipped in the jar. */
  public static EcgAnalyzer withDefaultModel() {
    return new EcgAnalyzer(OnnxBeatClassifier.loadDefault());
  }

  /**
   * Analyses a recording.
   *
   * @param leadsMv one or two leads in millivolts, {@code [lead][sample]}; further leads are
   *     ignored
   * @param fs sampling rate in Hz
   */
  public EcgAnalysis analyze(double[][] leadsMv, double fs) {
    double[][] leads = validate(leadsMv, fs);
    int n = leads[0].length;
    if (n < MIN_SECONDS * fs) {
      return EcgAnalysis.insufficient(
          fs,
          n,
          String.format(
              "recording of %.1f s is shorter than the %.0f s needed", n / fs, MIN_SECONDS));
    }
    double modelFs = classifier.samplingRate();
    double[][] work = leads;
    if (Math.abs(fs - modelFs) > 1e-9) {
      work = new double[leads.length][];
      for (int l = 0; l < leads.length; l++) {
        work[l] = Resampler.linear(leads[l], fs, modelFs);
      }
    }
    int[] peaks = QrsDetector.detect(work, modelFs);
    if (peaks.length < 3) {
      return EcgAnalysis.insufficient(
          fs, n, "only " + peaks.length + " beats found: flat, disconnected or noise-only signal");
    }
    List<SignalQuality.Segment> unusable = SignalQuality.unusable(work[0], peaks, modelFs);
    double usable =
        work[0].length - unusable.stream().mapToLong(u -> u.endSample() - u.startSample()).sum();
    if (usable < MIN_SECONDS * modelFs) {
      return EcgAnalysis.insufficient(
          fs,
          n,
          "less than "
              + (int) MIN_SECONDS
              + " s of usable signal: "
              + unusable.stream()
                  .map(u -> u.reason().text())
                  .distinct()
                  .reduce((a, b) -> a + "; " + b)
                  .orElse(""),
          toCallerRate(unusable, modelFs, fs, n));
    }
    double[][] features = BeatFeatures.extract(work[0], peaks, modelFs);
    float[][] p = classifier.probabilities(features);
    List<AamiClass> labels = classifier.labels();
    // The model's own probabilities (class offsets undone): V is smoothed over each beat's shape
    // neighbours in this recording (decision 0309), then the offsets are applied again; the AF
    // rule reads the unsmoothed probability before the offsets (decision 0308).
    double[] bias = classifier.classBias();
    double[][] own = new double[peaks.length][];
    for (int i = 0; i < peaks.length; i++) {
      own[i] = shifted(p[i], bias, -1);
    }
    double[][] smoothed =
        MorphologyNeighbours.smoothVentricular(own, features, labels.indexOf(AamiClass.V));
    AamiClass[] classes = new AamiClass[peaks.length];
    AamiClass[] classesInAf = new AamiClass[peaks.length];
    float[] confidence = new float[peaks.length];
    float[] rhythmConfidence = new float[peaks.length];
    int s = labels.indexOf(AamiClass.S);
    for (int i = 0; i < peaks.length; i++) {
      double[] q = shifted(smoothed[i], bias, 1);
      int k = ClassDecision.decide(smoothed[i], bias, s, labels.indexOf(AamiClass.V));
      classes[i] = labels.get(k);
      classesInAf[i] =
          labels.get(ClassDecision.decideInAf(smoothed[i], bias, labels.indexOf(AamiClass.N), s));
      confidence[i] = (float) q[k];
      rhythmConfidence[i] = (float) own[i][k];
    }
    double[] pWave = new double[peaks.length];
    for (int i = 0; i < peaks.length; i++) {
      pWave[i] = features[i][BeatFeatures.P_CORR];
    }
    return assemble(
        peaks, classes, classesInAf, confidence, rhythmConfidence, pWave, unusable, modelFs, fs, n);
  }

  /** softmax(log p + sign * bias): applies ({@code sign} 1) or undoes (-1) class offsets. */
  private static double[] shifted(float[] p, double[] bias, int sign) {
    double[] d = new double[p.length];
    for (int c = 0; c < p.length; c++) {
      d[c] = p[c];
    }
    return shifted(d, bias, sign);
  }

  /** softmax(log p + sign * bias), p a probability row in the model's output order. */
  public static double[] shifted(double[] p, double[] bias, int sign) {
    double[] q = new double[p.length];
    double sum = 0;
    for (int c = 0; c < p.length; c++) {
      q[c] = p[c] * Math.exp(sign * bias[c]);
      sum += q[c];
    }
    for (int c = 0; c < p.length; c++) {
      q[c] /= sum;
    }
    return q;
  }

  private static List<SignalQuality.Segment> toCallerRate(
      List<SignalQuality.Segment> segments, double workFs, double fs, int n) {
    double scale = fs / workFs;
    List<SignalQuality.Segment> out = new ArrayList<>();
    for (SignalQuality.Segment u : segments) {
      out.add(
          new SignalQuality.Segment(
              Math.round(u.startSample() * scale),
              Math.min(n, Math.round(u.endSample() * scale)),
              u.reason()));
    }
    return List.copyOf(out);
  }

  /**
   * {@link #assemble(int[], AamiClass[], AamiClass[], float[], float[], double[], List, double,
   * double, int)} without P-wave evidence and with no unusable stretch.
   */
  public static EcgAnalysis assemble(
      int[] peaks, AamiClass[] classes, float[] confidence, double workFs, double fs, int n) {
    return assemble(peaks, classes, null, confidence, confidence, null, List.of(), workFs, fs, n);
  }

  /**
   * The shared tail of analysis and evaluation: beats in unusable stretches set to Q, AF episodes
   * from the classified beats and their P-wave correlation (may be null), inside AF each usable
   * beat takes its class from {@code classesInAf} ({@link ClassDecision#decideInAf}: S counted as
   * N, since AAMI labels non-ventricular beats in AF as N; decision 0310) or, when that is null, S
   * becomes N; a relabelled beat keeps its confidence. Sample indices mapped back to the caller's
   * rate.
   */
  public static EcgAnalysis assemble(
      int[] peaks,
      AamiClass[] classes,
      AamiClass[] classesInAf,
      float[] confidence,
      float[] rhythmConfidence,
      double[] pWaveCorrelation,
      List<SignalQuality.Segment> unusable,
      double workFs,
      double fs,
      int n) {
    classes = classes.clone();
    confidence = confidence.clone();
    // Beats in unusable stretches are not classified: Q (unclassifiable), confidence 0; their RR
    // intervals do not count for rhythm analysis either (AfDetector skips Q beats).
    boolean[] bad = inUnusable(peaks, unusable);
    for (int i = 0; i < peaks.length; i++) {
      if (bad[i]) {
        classes[i] = AamiClass.Q;
        confidence[i] = 0;
      }
    }
    // A supraventricular beat that starts a sustained fast rhythm makes the run's beats S too
    // (decision 0308); inside AF episodes they are reset to N below like any other S beat.
    SvtRuns.extend(peaks, classes, workFs);
    // Only confident ventricular labels take intervals out of the AF rhythm analysis: in noisy
    // AF the classifier calls some normal beats V, and dropping them hides the AF. Confidence
    // here is the trees' probability before the class offsets (rhythmConfidence).
    AamiClass[] forRhythm = new AamiClass[classes.length];
    for (int i = 0; i < classes.length; i++) {
      boolean ventricular = classes[i] == AamiClass.V || classes[i] == AamiClass.F;
      forRhythm[i] =
          ventricular && rhythmConfidence[i] < AF_ECTOPY_CONFIDENCE ? AamiClass.N : classes[i];
    }
    List<long[]> af = AfDetector.detect(peaks, forRhythm, pWaveCorrelation, workFs);
    int e = 0;
    for (int i = 0; i < peaks.length; i++) {
      while (e < af.size() && af.get(e)[1] <= peaks[i]) {
        e++;
      }
      if (e < af.size() && peaks[i] >= af.get(e)[0] && classes[i] != AamiClass.Q) {
        if (classesInAf != null) {
          classes[i] = classesInAf[i];
        } else if (classes[i] == AamiClass.S) {
          classes[i] = AamiClass.N;
        }
      }
    }
    double scale = fs / workFs;
    List<Beat> beats = new ArrayList<>(peaks.length);
    for (int i = 0; i < peaks.length; i++) {
      int s = (int) Math.min(n - 1, Math.round(peaks[i] * scale));
      beats.add(new Beat(s, classes[i], confidence[i]));
    }
    List<AfEpisode> episodes = new ArrayList<>();
    for (long[] ep : af) {
      episodes.add(
          new AfEpisode(Math.round(ep[0] * scale), Math.min(n, Math.round(ep[1] * scale))));
    }
    double[] rr = new double[peaks.length];
    int m = 0;
    for (int i = 1; i < peaks.length; i++) {
      if (!bad[i] && !bad[i - 1]) {
        rr[m++] = (peaks[i] - peaks[i - 1]) / workFs;
      }
    }
    double hr = m == 0 ? Double.NaN : 60.0 / BeatFeatures.median(java.util.Arrays.copyOf(rr, m));
    return new EcgAnalysis(
        fs,
        n,
        List.copyOf(beats),
        List.copyOf(episodes),
        hr,
        null,
        toCallerRate(unusable, workFs, fs, n));
  }

  private static boolean[] inUnusable(int[] peaks, List<SignalQuality.Segment> unusable) {
    boolean[] bad = new boolean[peaks.length];
    int s = 0;
    for (int i = 0; i < peaks.length; i++) {
      while (s < unusable.size() && unusable.get(s).endSample() <= peaks[i]) {
        s++;
      }
      bad[i] = s < unusable.size() && peaks[i] >= unusable.get(s).startSample();
    }
    return bad;
  }

  private static double[][] validate(double[][] leadsMv, double fs) {
    if (leadsMv == null || leadsMv.length == 0 || leadsMv[0] == null) {
      throw new IllegalArgumentException("no ECG lead given");
    }
    if (!(fs >= 100 && fs <= 2000)) {
      throw new IllegalArgumentException(
          "sampling rate " + fs + " Hz is outside the supported 100-2000 Hz");
    }
    int leads = Math.min(2, leadsMv.length);
    double[][] out = new double[leads][];
    for (int l = 0; l < leads; l++) {
      double[] x = leadsMv[l];
      if (x == null || x.length != leadsMv[0].length) {
        throw new IllegalArgumentException(
            "lead "
                + l
                + " has "
                + (x == null ? "no" : x.length)
                + " samples but lead 0 has "
                + leadsMv[0].length);
      }
      for (int i = 0; i < x.length; i++) {
        if (!Double.isFinite(x[i])) {
          throw new IllegalArgumentException(
              "lead "
                  + l
                  + " sample "
                  + i
                  + " is "
                  + x[i]
                  + " (a gap): analyse the segments on either side separately");
        }
      }
      out[l] = x;
    }
    return out;
  }

  @Override
  public void close() {
    classifier.close();
  }
}
