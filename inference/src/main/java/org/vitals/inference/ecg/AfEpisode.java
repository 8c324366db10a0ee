package org.vitals.inference.ecg;

/**
 * An atrial fibrillation episode, from its first to just past its last beat.
 *
 * @param startSample first sample of the episode
 * @param endSample sample just after the episode
 */
public record AfEpisode(long startSample, long endSample) {

  public double durationSeconds(double fs) {
    return (endSample - startSample) / fs;
  }
}
