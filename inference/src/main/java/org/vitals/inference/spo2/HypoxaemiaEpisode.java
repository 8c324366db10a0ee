package org.vitals.inference.spo2;

/** A stretch of SpO2 below the hypoxaemia threshold (90 %), seconds from the series start. */
public record HypoxaemiaEpisode(double startSeconds, double endSeconds, double minimumPercent) {

  /** Duration in seconds. */
  public double durationSeconds() {
    return endSeconds - startSeconds;
  }
}
