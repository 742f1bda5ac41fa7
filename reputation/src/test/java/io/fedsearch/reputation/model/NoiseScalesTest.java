package io.fedsearch.reputation.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NoiseScalesTest {
  @Test
  void parsesRationalsAndComputesStddevs() {
    assertThat(NoiseScales.rational("8")).isEqualTo(8.0);
    assertThat(NoiseScales.rational("16000000/3")).isCloseTo(5_333_333.333, within(1e-3));
    // b = 1: sqrt(2/e) / (1 - 1/e)
    assertThat(NoiseScales.discreteLaplaceStddev(1)).isCloseTo(Math.sqrt(2 / Math.E) / (1 - 1 / Math.E),
        within(1e-12));
    // large b: ≈ sqrt(2) b, like the continuous Laplace
    assertThat(NoiseScales.discreteLaplaceStddev(1e6) / (Math.sqrt(2) * 1e6)).isCloseTo(1, within(1e-6));
    assertThat(NoiseScales.discreteGaussianStddev(4)).isCloseTo(2, within(1e-6));
    assertThat(NoiseScales.discreteGaussianStddev(0.01)).isLessThan(0.1);
    assertThatThrownBy(() -> NoiseScales.rational("1/0")).hasMessageContaining("denominator");
    assertThatThrownBy(() -> NoiseScales.rational("x")).hasMessageContaining("rational");
  }
}
