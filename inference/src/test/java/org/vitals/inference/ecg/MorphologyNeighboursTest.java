package org.vitals.inference.ecg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MorphologyNeighboursTest {
  private static final int V = 2;

  /** 340 beats, every 8th of one ectopic shape, the others normal-shaped, a little jitter. */
  private static double[][] features(SplittableRandom rnd) {
    double[][] f = new double[340][BeatFeatures.count()];
    for (int i = 0; i < f.length; i++) {
      boolean ectopic = i % 8 == 3;
      for (int c = MorphologyNeighbours.SHAPE_FROM; c < MorphologyNeighbours.SHAPE_TO; c++) {
        double centre = ectopic ? (c % 2 == 0 ? -1.5 : 2.0) : 0.3 * (c - 35);
        f[i][c] = centre + 0.02 * rnd.nextGaussian();
      }
    }
    return f;
  }

  private static boolean ectopic(double[][] f, int i) {
    return f[i][MorphologyNeighbours.SHAPE_FROM] < -1;
  }

  @Test
  void anUncertainBeatOfARecurringEctopicShapeGainsAndAStrayVOnANormalShapeLoses() {
    double[][] f = features(new SplittableRandom(7));
    double[][] p = new double[f.length][];
    int uncertainEctopic = -1;
    int strayNormal = -1;
    for (int i = 0; i < f.length; i++) {
      if (ectopic(f, i)) {
        p[i] =
            uncertainEctopic < 0
                ? new double[] {0.6, 0.1, 0.3, 0}
                : new double[] {0.05, 0, 0.95, 0};
        uncertainEctopic = uncertainEctopic < 0 ? i : uncertainEctopic;
      } else {
        p[i] =
            strayNormal < 0 && i > 100
                ? new double[] {0.3, 0.1, 0.6, 0}
                : new double[] {0.97, 0.02, 0.01, 0};
        strayNormal = strayNormal < 0 && i > 100 ? i : strayNormal;
      }
    }
    double[][] before = new double[p.length][];
    for (int i = 0; i < p.length; i++) {
      before[i] = p[i].clone();
    }

    double[][] s = MorphologyNeighbours.smoothVentricular(p, f, V);

    // half its own 0.3, half its neighbours' 0.95: V wins over N (0.6 before)
    assertThat(s[uncertainEctopic][V]).isCloseTo(0.5 * 0.3 + 0.5 * 0.95, within(1e-9));
    assertThat(OnnxBeatClassifier.argMax(s[uncertainEctopic])).isEqualTo(V);
    // N and S keep their proportions (6:1) and every row still sums to one
    assertThat(s[uncertainEctopic][0] / s[uncertainEctopic][1]).isCloseTo(6.0, within(1e-9));
    // a normal-shaped beat the model called V falls back to N
    assertThat(s[strayNormal][V]).isCloseTo(0.5 * 0.6 + 0.5 * 0.01, within(1e-9));
    assertThat(OnnxBeatClassifier.argMax(s[strayNormal])).isZero();
    for (int i = 0; i < s.length; i++) {
      assertThat(s[i][0] + s[i][1] + s[i][2] + s[i][3]).isCloseTo(1.0, within(1e-9));
    }
    // confident beats stay where they were; the input is not changed
    assertThat(s[0][V]).isLessThan(0.05);
    assertThat(p).isDeepEqualTo(before);
  }

  @Test
  void aRecordingShorterThanFiveMinutesOfBeatsIsLeftAsTheModelGaveIt() {
    int n = MorphologyNeighbours.MIN_BEATS - 1;
    double[][] f = features(new SplittableRandom(3));
    double[][] few = java.util.Arrays.copyOf(f, n);
    double[][] p = new double[n][];
    for (int i = 0; i < n; i++) {
      p[i] = i == 11 ? new double[] {0.6, 0.1, 0.3, 0} : new double[] {0.05, 0, 0.95, 0};
    }
    assertThat(MorphologyNeighbours.smoothVentricular(p, few, V)).isDeepEqualTo(p);
    assertThat(MorphologyNeighbours.smoothVentricular(new double[0][], new double[0][], V))
        .isEmpty();
  }
}
