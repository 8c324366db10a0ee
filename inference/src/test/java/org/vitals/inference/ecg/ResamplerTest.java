package org.vitals.inference.ecg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResamplerTest {

  @Test
  void linearSignalsSurviveResamplingExactlyAndLengthsFollowTheRates() {
    double[] x = new double[250];
    for (int i = 0; i < x.length; i++) {
      x[i] = 0.01 * i;
    }
    double[] y = Resampler.linear(x, 250, 360);
    assertThat(y).hasSize(359);
    for (int i = 0; i < y.length; i++) {
      assertThat(y[i]).isCloseTo(0.01 * i * 250 / 360, org.assertj.core.data.Offset.offset(1e-12));
    }
    assertThat(Resampler.linear(new double[0], 250, 360)).isEmpty();
    assertThat(Resampler.linear(x, 250, 125)).hasSize(125);
  }
}
