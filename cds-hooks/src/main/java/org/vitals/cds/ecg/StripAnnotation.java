package org.vitals.cds.ecg;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.AfEpisode;
import org.vitals.inference.ecg.Beat;
import org.vitals.inference.ecg.EcgAnalysis;
import org.vitals.inference.ecg.SignalQuality;

/**
 * What an analysis says about one strip: its beats (R-peak offset from the strip's first sample,
 * AAMI class, confidence), the parts of AF episodes and of unusable signal inside it, the median
 * heart rate of the window, and the AF episodes (absolute times) that reach into it. Pure.
 *
 * @param beats beats whose R peak lies in the strip
 * @param af AF spans inside the strip, ms from its start
 * @param unusable stretches inside the strip where beats could not be classified, ms from its
 *     start, with the reason
 * @param episodes AF episodes of the window that overlap the strip, as {onset, end}
 * @param episodeReachesEnd per episode: true when it lasts to the end of the analysed signal
 *     (ongoing as far as we know)
 */
public record StripAnnotation(
    List<BeatMark> beats,
    List<double[]> af,
    List<Unusable> unusable,
    double heartRateBpm,
    double contextSeconds,
    List<Instant[]> episodes,
    List<Boolean> episodeReachesEnd) {

  /** One beat: R-peak offset in ms from the strip's first sample. */
  public record BeatMark(double offsetMs, AamiClass beatClass, float confidence) {}

  /** A stretch whose beats are Q. */
  public record Unusable(double fromMs, double toMs, String reason) {}

  /** Beats this close to a sample without a value are not classified (Q). */
  static final double NO_VALUE_MARGIN_S = 0.15;

  /** An episode ending within this much of the window's end is taken as ongoing. */
  static final double ONGOING_WITHIN_S = 2.0;

  /** The annotation of the target strip of {@code w}; {@code a} must be a completed analysis. */
  public static StripAnnotation of(AnalysisWindow w, EcgAnalysis a) {
    int from = w.targetOffset();
    int to = w.signal().length;
    double msPerSample = 1000.0 / w.fs();
    long margin = Math.round(NO_VALUE_MARGIN_S * w.fs());
    List<BeatMark> beats = new ArrayList<>();
    for (Beat b : a.beats()) {
      if (b.sample() < from || b.sample() >= to) {
        continue;
      }
      boolean noValue =
          w.noValue().stream()
              .anyMatch(g -> b.sample() >= g[0] - margin && b.sample() < g[1] + margin);
      beats.add(
          new BeatMark(
              (b.sample() - from) * msPerSample,
              noValue ? AamiClass.Q : b.beatClass(),
              noValue ? 0f : b.confidence()));
    }
    List<double[]> af = new ArrayList<>();
    List<Instant[]> episodes = new ArrayList<>();
    List<Boolean> reachesEnd = new ArrayList<>();
    for (AfEpisode e : a.afEpisodes()) {
      long s = Math.max(e.startSample(), from);
      long t = Math.min(e.endSample(), to);
      if (t <= s) {
        continue;
      }
      af.add(new double[] {(s - from) * msPerSample, (t - from) * msPerSample});
      episodes.add(new Instant[] {w.timeOf(e.startSample()), w.timeOf(e.endSample())});
      reachesEnd.add((to - e.endSample()) / w.fs() <= ONGOING_WITHIN_S);
    }
    List<Unusable> unusable = new ArrayList<>();
    for (SignalQuality.Segment u : a.unusableSegments()) {
      clip(unusable, u.startSample(), u.endSample(), from, to, msPerSample, u.reason().text());
    }
    for (int[] g : w.noValue()) {
      clip(unusable, g[0], g[1], from, to, msPerSample, "samples without a value (E, L or U)");
    }
    return new StripAnnotation(
        List.copyOf(beats),
        List.copyOf(af),
        List.copyOf(unusable),
        a.heartRateBpm(),
        w.contextSeconds(),
        List.copyOf(episodes),
        List.copyOf(reachesEnd));
  }

  private static void clip(
      List<Unusable> out, long s, long t, int from, int to, double msPerSample, String why) {
    long a = Math.max(s, from);
    long b = Math.min(t, to);
    if (b > a) {
      out.add(new Unusable((a - from) * msPerSample, (b - from) * msPerSample, why));
    }
  }

  /** Number of beats of a class. */
  public long count(AamiClass c) {
    return beats.stream().filter(b -> b.beatClass() == c).count();
  }
}
