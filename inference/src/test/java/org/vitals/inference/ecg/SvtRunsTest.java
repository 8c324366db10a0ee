package org.vitals.inference.ecg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SvtRunsTest {
  private static final double FS = 360;

  private static int[] beatsFrom(double[] rrSeconds) {
    int[] r = new int[rrSeconds.length + 1];
    r[0] = 100;
    for (int i = 1; i < r.length; i++) {
      r[i] = r[i - 1] + (int) Math.round(rrSeconds[i - 1] * FS);
    }
    return r;
  }

  /** 20 sinus beats at 0.8 s, then a run of 10 beats at 0.45 s, then sinus again. */
  private static double[] runOfTen() {
    double[] rr = new double[50];
    Arrays.fill(rr, 0.8);
    for (int i = 20; i < 30; i++) {
      rr[i] = 0.45 + (i % 2) * 0.02;
    }
    return rr;
  }

  @Test
  void aPrematureSBeatExtendsIntoTheFastRunItStarts() {
    int[] r = beatsFrom(runOfTen());
    AamiClass[] c = new AamiClass[r.length];
    Arrays.fill(c, AamiClass.N);
    c[21] = AamiClass.S; // beat 21 ends the first 0.45 s interval (rr[20])
    int changed = SvtRuns.extend(r, c, FS);
    assertThat(changed).isEqualTo(9);
    for (int i = 21; i <= 30; i++) {
      assertThat(c[i]).as("beat %d", i).isEqualTo(AamiClass.S);
    }
    assertThat(c[20]).isEqualTo(AamiClass.N);
    assertThat(c[31]).as("first beat after the run, 0.8 s later").isEqualTo(AamiClass.N);
  }

  @Test
  void withoutAnSBeatTheRunStaysAsClassified() {
    int[] r = beatsFrom(runOfTen());
    AamiClass[] c = new AamiClass[r.length];
    Arrays.fill(c, AamiClass.N);
    assertThat(SvtRuns.extend(r, c, FS)).isZero();
    assertThat(c).containsOnly(AamiClass.N);
  }

  @Test
  void anIsolatedApcFollowedByACompensatoryPauseStaysAlone() {
    double[] rr = new double[40];
    Arrays.fill(rr, 0.8);
    rr[20] = 0.5; // APC
    rr[21] = 1.0; // pause
    int[] r = beatsFrom(rr);
    AamiClass[] c = new AamiClass[r.length];
    Arrays.fill(c, AamiClass.N);
    c[21] = AamiClass.S;
    assertThat(SvtRuns.extend(r, c, FS)).isZero();
  }

  @Test
  void gradualSinusTachycardiaAfterAFalseSIsNotARun() {
    // an S label on a beat that is not premature (0.78 s after 0.8 s beats) starts nothing
    double[] rr = new double[60];
    for (int i = 0; i < rr.length; i++) {
      rr[i] = 0.8 - 0.005 * i; // speeds up by 5 ms per beat
    }
    int[] r = beatsFrom(rr);
    AamiClass[] c = new AamiClass[r.length];
    Arrays.fill(c, AamiClass.N);
    c[30] = AamiClass.S;
    assertThat(SvtRuns.extend(r, c, FS)).isZero();
  }

  @Test
  void aVentricularBeatEndsTheRun() {
    int[] r = beatsFrom(runOfTen());
    AamiClass[] c = new AamiClass[r.length];
    Arrays.fill(c, AamiClass.N);
    c[21] = AamiClass.S;
    c[25] = AamiClass.V;
    assertThat(SvtRuns.extend(r, c, FS)).isEqualTo(3);
    assertThat(c[26]).isEqualTo(AamiClass.N);
  }

  @Test
  void anSBeatInsideTheRunLabelsTheWholeRunBackToItsAbruptOnset() {
    int[] r = beatsFrom(runOfTen());
    AamiClass[] c = new AamiClass[r.length];
    Arrays.fill(c, AamiClass.N);
    c[25] = AamiClass.S; // the model missed the run's first beats
    assertThat(SvtRuns.extend(r, c, FS)).isEqualTo(9);
    for (int i = 21; i <= 30; i++) {
      assertThat(c[i]).as("beat %d", i).isEqualTo(AamiClass.S);
    }
    assertThat(c[20]).isEqualTo(AamiClass.N);
    assertThat(c[31]).isEqualTo(AamiClass.N);
  }

  @Test
  void anAbruptButSlowRhythmIsNotATachycardia() {
    // 0.8 s to 0.62 s (97 /min) is abrupt and steady but not above 100 /min
    double[] rr = new double[50];
    Arrays.fill(rr, 0.8);
    for (int i = 20; i < 40; i++) {
      rr[i] = 0.62;
    }
    int[] r = beatsFrom(rr);
    AamiClass[] c = new AamiClass[r.length];
    Arrays.fill(c, AamiClass.N);
    c[21] = AamiClass.S;
    assertThat(SvtRuns.extend(r, c, FS)).isZero();
  }

  @Test
  void aDayOfSteadyRhythmWithManyFalseSLabelsTakesLinearTime() {
    // 24 h at 75 /min, every 3rd beat (not premature) called S: nothing to extend, and no
    // walking back over the whole steady day from each of them
    int n = 108_000;
    int[] r = new int[n];
    for (int i = 1; i < n; i++) {
      r[i] = r[i - 1] + 288 + (i % 3);
    }
    AamiClass[] c = new AamiClass[n];
    for (int i = 0; i < n; i++) {
      c[i] = i % 3 == 0 ? AamiClass.S : AamiClass.N;
    }
    assertTimeoutPreemptively(
        Duration.ofSeconds(2), () -> assertThat(SvtRuns.extend(r, c, FS)).isZero());
  }
}
