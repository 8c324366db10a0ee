package org.vitals.inference.ecg;

import java.util.List;
import java.util.Optional;

/**
 * What {@link EcgAnalyzer} found in a recording: beats with AAMI classes, AF episodes and the
 * median heart rate. When the recording cannot be analysed (too short, flat, too few beats) the
 * lists are empty, the heart rate is NaN and {@link #insufficientData()} says why.
 *
 * @param samplingRate the caller's sampling rate in Hz
 * @param sampleCount number of samples analysed per lead
 * @param beats detected beats in time order
 * @param afEpisodes atrial fibrillation episodes in time order
 * @param heartRateBpm median heart rate in beats per minute, NaN when insufficient data
 * @param insufficientDataReason why nothing could be said, or null
 * @param unusableSegments stretches whose signal quality was too poor to classify beats or judge
 *     the rhythm ({@link SignalQuality}), in the caller's samples; beats in them are reported with
 *     class {@link AamiClass#Q} (unclassifiable) and confidence 0
 */
public record EcgAnalysis(
    double samplingRate,
    int sampleCount,
    List<Beat> beats,
    List<AfEpisode> afEpisodes,
    double heartRateBpm,
    String insufficientDataReason,
    List<SignalQuality.Segment> unusableSegments) {

  /** A result without signal-quality information (every stretch usable). */
  public EcgAnalysis(
      double samplingRate,
      int sampleCount,
      List<Beat> beats,
      List<AfEpisode> afEpisodes,
      double heartRateBpm,
      String insufficientDataReason) {
    this(
        samplingRate,
        sampleCount,
        beats,
        afEpisodes,
        heartRateBpm,
        insufficientDataReason,
        List.of());
  }

  /** The "insufficient data" result with the unusable stretches that caused it. */
  public static EcgAnalysis insufficient(
      double fs, int samples, String reason, List<SignalQuality.Segment> unusable) {
    return new EcgAnalysis(fs, samples, List.of(), List.of(), Double.NaN, reason, unusable);
  }

  /** Seconds of the recording judged unusable. */
  public double unusableSeconds() {
    return unusableSegments.stream().mapToDouble(s -> s.durationSeconds(samplingRate)).sum();
  }

  /** The documented "insufficient data" result. */
  public static EcgAnalysis insufficient(double fs, int samples, String reason) {
    return new EcgAnalysis(fs, samples, List.of(), List.of(), Double.NaN, reason);
  }

  /** Why the recording could not be analysed; empty when it was. */
  public Optional<String> insufficientData() {
    return Optional.ofNullable(insufficientDataReason);
  }

  /** Number of beats of a class. */
  public long count(AamiClass c) {
    return beats.stream().filter(b -> b.beatClass() == c).count();
  }
}
