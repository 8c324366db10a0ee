package org.vitals.cds.ecg;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The signal one strip is analysed in: the strip itself after as many directly preceding strips of
 * the same device and sampling period as give {@code maxContext} of context (QRS detection,
 * RR-interval features and the AF rule all look back; a strip alone would start every analysis
 * cold). A gap larger than two sample periods, another rate or another device ends the context.
 *
 * @param start time of the window's first sample
 * @param fs sampling rate in Hz
 * @param signal the concatenated millivolts
 * @param targetOffset the index of the target strip's first sample in {@code signal}
 * @param noValue runs {@code [from, to)} of samples without a value, in window samples
 */
public record AnalysisWindow(
    Instant start, double fs, double[] signal, int targetOffset, List<int[]> noValue) {

  /** Seconds of context before the target strip. */
  public double contextSeconds() {
    return targetOffset / fs;
  }

  /**
   * The window for {@code target} from {@code earlier} (any order, may hold other devices or the
   * target itself).
   */
  public static AnalysisWindow of(
      StripSignal target, List<StripSignal> earlier, Duration maxContext) {
    List<StripSignal> sorted = new ArrayList<>(earlier);
    sorted.removeIf(s -> s.id() != null && s.id().equals(target.id()));
    sorted.sort((a, b) -> b.start().compareTo(a.start())); // newest first
    List<StripSignal> run = new ArrayList<>();
    StripSignal next = target;
    double seconds = 0;
    double maxSeconds = maxContext.toMillis() / 1000.0;
    for (StripSignal s : sorted) {
      if (seconds >= maxSeconds) {
        break;
      }
      if (!s.start().isBefore(next.start())) {
        continue; // a duplicate or overlapping strip: not context
      }
      long gapMs = Duration.between(s.end(), next.start()).toMillis();
      if (!Objects.equals(s.device(), target.device())
          || Math.abs(s.periodMillis() - target.periodMillis()) > 1e-9
          || Math.abs(gapMs) > 2 * target.periodMillis() + 1) {
        break;
      }
      run.add(0, s);
      seconds += s.millivolts().length * s.periodMillis() / 1000;
      next = s;
    }
    run.add(target);
    int total = run.stream().mapToInt(s -> s.millivolts().length).sum();
    double[] signal = new double[total];
    List<int[]> gaps = new ArrayList<>();
    int at = 0;
    for (StripSignal s : run) {
      System.arraycopy(s.millivolts(), 0, signal, at, s.millivolts().length);
      for (int[] g : s.noValue()) {
        gaps.add(new int[] {at + g[0], at + g[1]});
      }
      at += s.millivolts().length;
    }
    int offset = total - target.millivolts().length;
    return new AnalysisWindow(run.get(0).start(), target.samplingRate(), signal, offset, gaps);
  }

  /** The instant of a sample of the window. */
  public Instant timeOf(long sample) {
    return start.plusNanos(Math.round(sample * 1e9 / fs));
  }
}
