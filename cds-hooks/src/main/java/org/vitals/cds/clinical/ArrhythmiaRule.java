package org.vitals.cds.clinical;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vitals.cds.clinical.Finding.Indicator;
import org.vitals.cds.clinical.Finding.SuggestedOrder;
import org.vitals.inference.ecg.AamiClass;
import org.vitals.inference.ecg.AfEpisode;
import org.vitals.inference.ecg.Beat;
import org.vitals.inference.ecg.EcgAnalysis;
import org.vitals.inference.ecg.EcgAnalyzer;

/**
 * The arrhythmia card from the latest contiguous ECG strips (up to {@link #MAX_SECONDS} s) analysed
 * by the inference library (QRS detection, AAMI beat classes, AF episodes; model card
 * models/ecg-beat-classifier.md). Findings: AF episodes; runs of 3 or more ventricular ectopic
 * beats (non-sustained VT when under 30 s; sustained VT is critical); frequent VEB (10 % of beats
 * or more). A screening finding, never a diagnosis: every card suggests a 12-lead ECG.
 */
public final class ArrhythmiaRule {

  /** The longest stretch analysed. */
  public static final double MAX_SECONDS = 60;

  /** Share of VEB that counts as frequent. */
  public static final double FREQUENT_VEB = 0.10;

  private ArrhythmiaRule() {}

  /** The newest contiguous run of strips at one rate, concatenated (empty under 10 s). */
  static Optional<double[]> latestSignal(List<EcgStrip> strips, double[] fsOut) {
    if (strips.isEmpty()) {
      return Optional.empty();
    }
    List<EcgStrip> run = new ArrayList<>();
    EcgStrip next = strips.get(strips.size() - 1);
    run.add(0, next);
    double seconds = next.millivolts().length / next.samplingRate();
    for (int i = strips.size() - 2; i >= 0 && seconds < MAX_SECONDS; i--) {
      EcgStrip s = strips.get(i);
      long gapMs = Duration.between(s.end(), next.start()).toMillis();
      if (Math.abs(s.periodMillis() - next.periodMillis()) > 1e-9
          || Math.abs(gapMs) > 2 * s.periodMillis() + 1) {
        break;
      }
      run.add(0, s);
      seconds += s.millivolts().length / s.samplingRate();
      next = s;
    }
    if (seconds < EcgAnalyzer.MIN_SECONDS) {
      return Optional.empty();
    }
    int total = run.stream().mapToInt(s -> s.millivolts().length).sum();
    double[] signal = new double[total];
    int at = 0;
    for (EcgStrip s : run) {
      System.arraycopy(s.millivolts(), 0, signal, at, s.millivolts().length);
      at += s.millivolts().length;
    }
    fsOut[0] = run.get(0).samplingRate();
    return Optional.of(signal);
  }

  /** The longest run of consecutive VEB. */
  static int longestVebRun(List<Beat> beats) {
    int best = 0;
    int cur = 0;
    for (Beat b : beats) {
      cur = b.beatClass() == AamiClass.V ? cur + 1 : 0;
      best = Math.max(best, cur);
    }
    return best;
  }

  /** The arrhythmia finding, empty without 10 s of ECG or without findings. */
  public static Optional<Finding> assess(PatientData data, EcgAnalyzer analyzer) {
    double[] fs = new double[1];
    Optional<double[]> signal = latestSignal(data.ecgStrips(), fs);
    if (signal.isEmpty()) {
      return Optional.empty();
    }
    EcgAnalysis a = analyzer.analyze(new double[][] {signal.get()}, fs[0]);
    if (a.insufficientData().isPresent()) {
      return Optional.empty();
    }
    int beats = a.beats().size();
    long veb = a.count(AamiClass.V);
    long sveb = a.count(AamiClass.S);
    int run = longestVebRun(a.beats());
    double seconds = signal.get().length / fs[0];
    double afSeconds = a.afEpisodes().stream().mapToDouble(e -> e.durationSeconds(fs[0])).sum();
    boolean af = !a.afEpisodes().isEmpty();
    boolean frequentVeb = beats > 0 && veb >= 3 && (double) veb / beats >= FREQUENT_VEB;
    double runSeconds = runSeconds(a.beats(), fs[0]);
    if (!af && run < 3 && !frequentVeb) {
      return Optional.empty();
    }
    Indicator indicator = Indicator.WARNING;
    List<String> parts = new ArrayList<>();
    if (af) {
      parts.add("atrial fibrillation (" + Markdown.num(afSeconds) + " s)");
    }
    if (run >= 3) {
      boolean sustained = runSeconds >= 30;
      parts.add(
          (sustained ? "sustained VT, " : "run of ")
              + run
              + " VEB"
              + (sustained ? "" : " (non-sustained VT)"));
      if (sustained) {
        indicator = Indicator.CRITICAL;
      }
    } else if (frequentVeb) {
      parts.add("frequent VEB (" + veb + " of " + beats + " beats)");
    }
    String summary =
        "ECG: "
            + String.join(", ", parts)
            + " in the last "
            + Markdown.num(seconds)
            + " s, HR "
            + Markdown.num(a.heartRateBpm())
            + "/min";
    StringBuilder d = new StringBuilder();
    d.append("Analysed ")
        .append(Markdown.num(seconds))
        .append(" s of ECG at ")
        .append(Markdown.num(fs[0]))
        .append(" Hz ending ")
        .append(Markdown.ago(data.now(), data.ecgStrips().get(data.ecgStrips().size() - 1).end()))
        .append(" ago.\n\n| Measure | Value |\n|---|---|\n");
    d.append("| Beats | ").append(beats).append(" |\n");
    d.append("| Median heart rate | ").append(Markdown.num(a.heartRateBpm())).append(" /min |\n");
    d.append("| VEB (ventricular ectopic) | ").append(veb).append(" |\n");
    d.append("| SVEB (supraventricular ectopic) | ").append(sveb).append(" |\n");
    d.append("| Longest VEB run | ").append(run).append(" |\n");
    d.append("| AF episodes | ").append(a.afEpisodes().size());
    for (AfEpisode e : a.afEpisodes()) {
      d.append(", ").append(Markdown.num(e.durationSeconds(fs[0]))).append(" s");
    }
    d.append(
        " |\n\nAutomated single-lead screening (AAMI EC57 classes); confirm on a 12-lead ECG.");
    if (data.context().onBetaBlocker()) {
      d.append(" Takes a beta-blocker (").append(data.context().betaBlocker()).append(").");
    }
    d.append('\n');
    List<SuggestedOrder> orders =
        List.of(
            new SuggestedOrder(
                "Order a 12-lead ECG",
                Codes.SNOMED,
                "268400002",
                "12 lead electrocardiogram",
                "Confirm the automated single-lead finding: " + String.join(", ", parts),
                true));
    return Optional.of(
        new Finding("ecg", indicator, summary, d.toString(), Guideline.ECG_MODEL, orders));
  }

  private static double runSeconds(List<Beat> beats, double fs) {
    double best = 0;
    int start = -1;
    for (int i = 0; i < beats.size(); i++) {
      if (beats.get(i).beatClass() == AamiClass.V) {
        if (start < 0) {
          start = i;
        }
        best = Math.max(best, (beats.get(i).sample() - beats.get(start).sample()) / fs);
      } else {
        start = -1;
      }
    }
    return best;
  }
}
