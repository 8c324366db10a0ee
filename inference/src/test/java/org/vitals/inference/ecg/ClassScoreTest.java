package org.vitals.inference.ecg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitals.inference.ecg.eval.AfScore;
import org.vitals.inference.ecg.eval.ClassScore;

class ClassScoreTest {

  @Test
  void sensitivityAndPositivePredictivityFollowEc57() {
    ClassScore s = new ClassScore();
    // 8 V beats: 6 found as V, 1 called N, 1 missed by the detector
    for (int i = 0; i < 6; i++) {
      s.addMatched(AamiClass.V, AamiClass.V);
    }
    s.addMatched(AamiClass.V, AamiClass.N);
    s.addMissed(AamiClass.V);
    // 10 N beats: 8 right, 2 called V; one false detection called V
    for (int i = 0; i < 8; i++) {
      s.addMatched(AamiClass.N, AamiClass.N);
    }
    s.addMatched(AamiClass.N, AamiClass.V);
    s.addMatched(AamiClass.N, AamiClass.V);
    s.addExtra(AamiClass.V);
    assertThat(s.tp(AamiClass.V)).isEqualTo(6);
    assertThat(s.fn(AamiClass.V)).isEqualTo(2);
    assertThat(s.fp(AamiClass.V)).isEqualTo(3);
    assertThat(s.se(AamiClass.V)).isEqualTo(75.0);
    assertThat(s.ppv(AamiClass.V)).isCloseTo(66.667, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(s.accuracy()).isCloseTo(100.0 * 14 / 17, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(s.se(AamiClass.F)).isNaN();
    @SuppressWarnings("unchecked")
    Map<String, Object> f = (Map<String, Object>) s.toJson().get("F");
    assertThat(f).containsEntry("se", null).containsEntry("tp", 0L);
  }

  @Test
  void afDurationAndEpisodeScores() {
    AfScore af = new AfScore();
    // reference: 0-3600 (10 s) and 7200-18000 (30 s); detected: 1800-5400 and 20000-21000
    af.add(
        List.of(new long[] {0, 3600}, new long[] {7200, 18000}),
        List.of(new long[] {1800, 5400}, new long[] {20000, 21000}),
        360);
    assertThat(af.durationSe())
        .isCloseTo(100.0 * 1800 / 14400, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(af.durationPpv())
        .isCloseTo(100.0 * 1800 / 4600, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(af.episodeSe()).isEqualTo(50);
    assertThat(af.episodePpv()).isEqualTo(50);
    assertThat(af.episode30Se()).isEqualTo(0);
  }
}
