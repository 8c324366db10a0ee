package org.vitals.inference.ecg.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BiquadTest {

  /** Steady-state amplitude gain for a sine: output RMS over input RMS, after settling. */
  private static double gain(Biquad f, double hz, double fs) {
    double in = 0;
    double out = 0;
    int n = (int) (fs * 40);
    for (int i = 0; i < n; i++) {
      double x = Math.sin(2 * Math.PI * hz * i / fs);
      double y = f.filter(x);
      if (i > n / 2) {
        in += x * x;
        out += y * y;
      }
    }
    return Math.sqrt(out / in);
  }

  @Test
  void butterworthSectionsAreDownThreeDecibelsAtTheirCutOff() {
    double fs = 360;
    assertThat(gain(Biquad.lowPass(15, fs), 15, fs)).isCloseTo(Math.sqrt(0.5), within());
    assertThat(gain(Biquad.highPass(5, fs), 5, fs)).isCloseTo(Math.sqrt(0.5), within());
    assertThat(gain(Biquad.lowPass(15, fs), 1, fs)).isCloseTo(1.0, within());
    assertThat(gain(Biquad.highPass(5, fs), 60, fs)).isCloseTo(1.0, within());
    // second order: 12 dB per octave, about 1/16 at four times the cut-off
    assertThat(gain(Biquad.lowPass(15, fs), 60, fs)).isLessThan(0.1);
  }

  @Test
  void settlingRemovesTheStartUpStep() {
    Biquad hp = Biquad.highPass(0.5, 360);
    hp.settle(2.0);
    assertThat(Math.abs(hp.filter(2.0))).isLessThan(1e-9);
    Biquad lp = Biquad.lowPass(15, 360);
    lp.settle(2.0);
    assertThat(lp.filter(2.0)).isCloseTo(2.0, within());
  }

  @Test
  void cutOffsOutsideTheBandAreRejected() {
    assertThatThrownBy(() -> Biquad.lowPass(200, 360)).hasMessageContaining("Nyquist");
    assertThatThrownBy(() -> Biquad.highPass(0, 360)).hasMessageContaining("Nyquist");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.01);
  }
}
