package org.vitals.inference.ecg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AfDetectorTest {
  private static final double FS = 360;

  private static int[] beatsFrom(double[] rrSeconds) {
    int[] r = new int[rrSeconds.length + 1];
    for (int i = 1; i < r.length; i++) {
      r[i] = r[i - 1] + (int) Math.round(rrSeconds[i - 1] * FS);
    }
    return r;
  }

  private static AamiClass[] all(int n, AamiClass c) {
    AamiClass[] a = new AamiClass[n];
    Arrays.fill(a, c);
    return a;
  }

  @Test
  void sinusRhythmWithMildVariabilityIsNotAf() {
    Random rnd = new Random(1);
    double[] rr = new double[400];
    for (int i = 0; i < rr.length; i++) {
      rr[i] = 0.8 + 0.03 * Math.sin(i / 5.0) + 0.01 * rnd.nextGaussian();
    }
    int[] r = beatsFrom(rr);
    assertThat(AfDetector.detect(r, all(r.length, AamiClass.N), FS)).isEmpty();
  }

  @Test
  void irregularlyIrregularRhythmBetweenSinusStretchesIsOneEpisode() {
    Random rnd = new Random(2);
    double[] rr = new double[600];
    for (int i = 0; i < rr.length; i++) {
      boolean af = i >= 200 && i < 400;
      rr[i] = af ? 0.4 + 0.5 * rnd.nextDouble() : 0.85 + 0.01 * rnd.nextGaussian();
    }
    int[] r = beatsFrom(rr);
    List<long[]> episodes = AfDetector.detect(r, all(r.length, AamiClass.N), FS);
    assertThat(episodes).hasSize(1);
    long start = episodes.get(0)[0];
    long end = episodes.get(0)[1];
    // within 20 beats of the true onset and end
    assertThat(Math.abs(start - r[200])).isLessThan((long) (20 * 0.65 * FS));
    assertThat(Math.abs(end - r[400])).isLessThan((long) (20 * 0.65 * FS));
  }

  @Test
  void ventricularBigeminyIsNotAfWhenItsBeatsAreLabelledV() {
    double[] rr = new double[400];
    for (int i = 0; i < rr.length; i++) {
      rr[i] = i % 2 == 0 ? 0.5 : 1.1; // premature V beat, then compensatory pause
    }
    int[] r = beatsFrom(rr);
    AamiClass[] classes = all(r.length, AamiClass.N);
    for (int i = 1; i < classes.length; i += 2) {
      classes[i] = AamiClass.V;
    }
    assertThat(AfDetector.detect(r, classes, FS)).isEmpty();
  }

  @Test
  void irregularRhythmWithTheUsualPWavesIsNotAfButWithoutThemItIs() {
    // sinus rhythm with frequent, unlabelled atrial ectopy is as irregular as AF by RR alone; the
    // P waves (correlation with the patient's median beat) tell them apart
    Random rnd = new Random(3);
    double[] rr = new double[400];
    for (int i = 0; i < rr.length; i++) {
      rr[i] = 0.4 + 0.5 * rnd.nextDouble();
    }
    int[] r = beatsFrom(rr);
    AamiClass[] classes = all(r.length, AamiClass.N);
    double[] sinusP = new double[r.length];
    double[] noP = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      sinusP[i] = 0.9 + 0.05 * rnd.nextDouble();
      noP[i] = 0.5 * rnd.nextDouble() - 0.1;
    }
    assertThat(AfDetector.detect(r, classes, FS)).isNotEmpty(); // RR alone
    assertThat(AfDetector.detect(r, classes, sinusP, FS)).isEmpty();
    List<long[]> af = AfDetector.detect(r, classes, noP, FS);
    assertThat(af).hasSize(1);
    assertThat(af.get(0)[1] - af.get(0)[0]).isGreaterThan((long) (0.9 * (r[r.length - 1] - r[0])));
  }

  @Test
  void beatsInUnusableSignalDoNotFeedTheRhythmAnalysis() {
    Random rnd = new Random(4);
    double[] rr = new double[300];
    for (int i = 0; i < rr.length; i++) {
      rr[i] = 0.4 + 0.5 * rnd.nextDouble();
    }
    int[] r = beatsFrom(rr);
    AamiClass[] classes = all(r.length, AamiClass.Q); // every beat in an unusable stretch
    assertThat(AfDetector.detect(r, classes, FS)).isEmpty();
  }
}
