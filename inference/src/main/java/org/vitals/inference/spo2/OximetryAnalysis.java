package org.vitals.inference.spo2;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vitals.inference.bp.RobustTrend;

/**
 * Analyses an SpO2 recording: artefact rejection, ODI3 / ODI4, T90, sustained hypoxaemia and the
 * rate of decline.
 *
 * <p>Hypoxaemia is SpO2 below 90 % (BTS guideline for oxygen use in adults, Thorax 2017;72:i1); an
 * episode is "sustained" when it lasts at least {@code sustainedSeconds} (default 60 s) with gaps
 * of valid data above 90 % no longer than the ODI bridge. Recordings with less than {@value
 * #MIN_VALID_SECONDS} s of valid data are refused as insufficient data.
 */
public final class OximetryAnalysis {

  /** Below this much valid data the rates mean nothing: the analysis refuses to run. */
  public static final double MIN_VALID_SECONDS = 60;

  static final double HYPOXAEMIA_BELOW = 90.0;

  /** Minutes of recent data behind {@link OximetryReport#recentTrend()}. */
  public static final int TREND_MINUTES = 30;

  private final double sustainedSeconds;

  /** Analysis with a sustained-hypoxaemia duration of 60 s. */
  public OximetryAnalysis() {
    this(60);
  }

  /** Analysis with the given minimum duration of a sustained hypoxaemia episode. */
  public OximetryAnalysis(double sustainedSeconds) {
    if (!(sustainedSeconds > 0)) {
      throw new IllegalArgumentException("sustainedSeconds must be positive");
    }
    this.sustainedSeconds = sustainedSeconds;
  }

  /**
   * Analyses the series.
   *
   * @throws InsufficientDataException when less than {@value #MIN_VALID_SECONDS} s of valid SpO2
   *     remain after artefact rejection
   */
  public OximetryReport analyse(SpO2Series series) {
    ArtefactReason[] rejected = ArtefactRejection.classify(series);
    double dt = series.intervalSeconds();
    double[] v = series.spo2Percent();
    int valid = 0;
    int below90 = 0;
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < v.length; i++) {
      if (rejected[i] == null) {
        valid++;
        sum += v[i];
        min = Math.min(min, v[i]);
        if (v[i] < HYPOXAEMIA_BELOW) {
          below90++;
        }
      }
    }
    double validSeconds = valid * dt;
    if (validSeconds < MIN_VALID_SECONDS) {
      throw new InsufficientDataException(
          "only "
              + validSeconds
              + " s of valid SpO2 out of "
              + series.durationSeconds()
              + " s (need at least "
              + MIN_VALID_SECONDS
              + " s; rejected: "
              + ArtefactRejection.count(rejected)
              + ")");
    }
    List<DesaturationEvent> e3 = DesaturationDetector.odi(3).detect(series, rejected);
    List<DesaturationEvent> e4 = DesaturationDetector.odi(4).detect(series, rejected);
    double hours = validSeconds / 3600.0;
    double maxRate =
        e3.stream().mapToDouble(DesaturationEvent::declineRatePercentPerMinute).max().orElse(0);
    return new OximetryReport(
        series.durationSeconds(),
        validSeconds,
        ArtefactRejection.count(rejected),
        sum / valid,
        min,
        100.0 * below90 / valid,
        e3.size() / hours,
        e4.size() / hours,
        e3,
        e4,
        hypoxaemia(series, rejected),
        maxRate,
        recentTrend(series, rejected));
  }

  /** Theil–Sen over per-minute means of the last {@value #TREND_MINUTES} minutes. */
  private static Optional<RobustTrend> recentTrend(SpO2Series series, ArtefactReason[] rejected) {
    double[] v = series.spo2Percent();
    double dt = series.intervalSeconds();
    int perMinute = Math.max(1, (int) Math.round(60 / dt));
    int minutes = v.length / perMinute;
    int first = Math.max(0, minutes - TREND_MINUTES);
    List<double[]> points = new ArrayList<>();
    for (int m = first; m < minutes; m++) {
      double sum = 0;
      int n = 0;
      for (int i = m * perMinute; i < (m + 1) * perMinute; i++) {
        if (rejected[i] == null) {
          sum += v[i];
          n++;
        }
      }
      // A minute counts only if at least half of it is valid.
      if (n * 2 >= perMinute) {
        points.add(new double[] {m / 1440.0, sum / n});
      }
    }
    if (points.size() < RobustTrend.MIN_POINTS) {
      return Optional.empty();
    }
    double[] t = new double[points.size()];
    double[] y = new double[points.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = points.get(i)[0];
      y[i] = points.get(i)[1];
    }
    return Optional.of(RobustTrend.fit(t, y));
  }

  private List<HypoxaemiaEpisode> hypoxaemia(SpO2Series series, ArtefactReason[] rejected) {
    double[] v = series.spo2Percent();
    double dt = series.intervalSeconds();
    int bridge = (int) Math.round(3 / dt);
    List<HypoxaemiaEpisode> out = new ArrayList<>();
    int i = 0;
    while (i < v.length) {
      if (rejected[i] == null && v[i] < HYPOXAEMIA_BELOW) {
        int start = i;
        int last = i;
        double min = v[i];
        int k = i + 1;
        while (k < v.length && k - last <= bridge + 1) {
          if (rejected[k] == null && v[k] < HYPOXAEMIA_BELOW) {
            last = k;
            min = Math.min(min, v[k]);
          }
          k++;
        }
        if ((last + 1 - start) * dt >= sustainedSeconds) {
          out.add(new HypoxaemiaEpisode(start * dt, (last + 1) * dt, min));
        }
        i = last + 1;
      } else {
        i++;
      }
    }
    return out;
  }
}
