package org.vitals.inference.ecg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassDecisionTest {
  private static final int N = 0;
  private static final int S = 1;
  private static final int V = 2;
  private static final int F = 3;

  /** The shipped offsets: S +2.0, V -1.50. */
  private static final double[] BIAS = {0, 2.0, -1.5, 0};

  @Test
  void offsetsDecideEctopicOrNotAndTheModelsOwnOddsDecideSOrV() {
    // 106's premature PVCs: V 0.78, S 0.19. Plain shifted arg-max: log .19 + 2 > log .78 - 1.5
    double[] pvc = {0.02, 0.19, 0.78, 0.01};
    assertThat(Math.log(0.19) + 2.0).isGreaterThan(Math.log(0.78) - 1.5);
    assertThat(ClassDecision.decide(pvc, BIAS, S, V)).isEqualTo(V);
    // an APC the model is sure of stays S, and S/V with the model's odds the other way stays S
    assertThat(ClassDecision.decide(new double[] {0.1, 0.85, 0.05, 0}, BIAS, S, V)).isEqualTo(S);
    assertThat(ClassDecision.decide(new double[] {0.1, 0.5, 0.4, 0}, BIAS, S, V)).isEqualTo(S);
    // the V offset still keeps an uncertain V against N normal: N 0.3, V 0.7
    assertThat(ClassDecision.decide(new double[] {0.3, 0, 0.7, 0}, BIAS, S, V)).isEqualTo(N);
    // F and N keep the plain arg-max with offsets
    assertThat(ClassDecision.decide(new double[] {0.2, 0.05, 0.15, 0.6}, BIAS, S, V)).isEqualTo(F);
    assertThat(ClassDecision.decide(new double[] {0.9, 0.08, 0.02, 0}, BIAS, S, V)).isEqualTo(N);
  }

  @Test
  void eachOffsetMovesOnlyItsOwnClassesBoundaryWithN() {
    // N 0.5, S 0.2, V 0.3: the model finds it more V- than S-like, so V competes, and V with its
    // offset (log .3 - 1.5 = -2.70) loses to N (-0.69). Decision 0310's rule let S's offset make
    // it ectopic (log .2 + 2 = 0.39 > -0.69) and then the odds made it V.
    double[] normalWithVLikeDoubt = {0.5, 0.2, 0.3, 0};
    assertThat(Math.log(0.2) + 2.0).isGreaterThan(Math.log(0.5));
    assertThat(ClassDecision.decide(normalWithVLikeDoubt, BIAS, S, V)).isEqualTo(N);
    // the same doubt the other way round (S 0.3, V 0.2) is S: S's offset applies to S
    assertThat(ClassDecision.decide(new double[] {0.5, 0.3, 0.2, 0}, BIAS, S, V)).isEqualTo(S);
    // with only V favoured (+3), that S-leaning beat stays N: V does not compete, and S without
    // an offset (log .3) loses to N (log .5). The 0310 rule made it S through V's offset.
    double[] vFavoured = {0, 0, 3.0, 0};
    assertThat(ClassDecision.decide(new double[] {0.5, 0.3, 0.2, 0}, vFavoured, S, V)).isEqualTo(N);
  }

  @Test
  void insideAfSCountsAsNAndVMustBeatBothTogether() {
    // outside AF: S; inside AF: never S, N
    double[] apc = {0.1, 0.85, 0.05, 0};
    assertThat(ClassDecision.decideInAf(apc, BIAS, N, S)).isEqualTo(N);
    // N 0.1, S 0.1, V 0.8: outside AF V (log .8 - 1.5 > log .1, log .8 > log .1); inside AF
    // log .8 - 1.5 = -1.72 < log .2 = -1.61: N
    double[] uncertain = {0.1, 0.1, 0.8, 0};
    assertThat(ClassDecision.decide(uncertain, BIAS, S, V)).isEqualTo(V);
    assertThat(ClassDecision.decideInAf(uncertain, BIAS, N, S)).isEqualTo(N);
    // a confident PVC in AF stays V
    assertThat(ClassDecision.decideInAf(new double[] {0.01, 0.01, 0.98, 0}, BIAS, N, S))
        .isEqualTo(V);
  }
}
