package io.fedsearch.privacy.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.privacy.noise.Ratio;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Noise scales and thresholds against their closed forms. */
class CalibrationTest {
  @Test
  void laplaceScalesAndThreshold() {
    ReleaseConfig c = ReleaseConfig.defaults().withEpsilon(new BigDecimal("0.5")).withBounds(4, 1_000_000);
    Calibration cal = Calibration.of(c);
    assertThat(cal.countScale()).isEqualTo(Ratio.of(16, 1)); // 2L/ε
    assertThat(cal.sumScale()).isEqualTo(Ratio.of(16_000_000, 1)); // 2LC/ε
    // τ = 1 + ⌈b ln(L/δ)⌉ = 1 + ⌈16 · ln(4e6)⌉ = 1 + ⌈243.3⌉
    assertThat(cal.threshold()).isEqualTo(1 + (long) Math.ceil(16 * Math.log(4e6)));
    // leak of a single-payer CID: L · P(X ≥ τ-1) ≤ δ, exactly for the discrete Laplace
    double b = 16;
    double tail = Math.exp(-(cal.threshold() - 1) / b) / (1 + Math.exp(-1 / b));
    assertThat(4 * tail).isLessThanOrEqualTo(1e-6);
  }

  @Test
  void gaussianSigmaAndThreshold() {
    ReleaseConfig c = ReleaseConfig.defaults().withMechanism(Mechanism.GAUSSIAN).withBounds(9, 1000);
    Calibration cal = Calibration.of(c);
    double rho = cal.rho().doubleValue();
    assertThat(cal.countScale().doubleValue()).isEqualTo(9 / rho, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(cal.sumScale().doubleValue()).isEqualTo(9e6 / rho, org.assertj.core.api.Assertions.within(1e-0));
    double sigma = Math.sqrt(9 / rho);
    assertThat(cal.threshold()).isGreaterThanOrEqualTo(1 + (long) Math.ceil(sigma * Math.sqrt(2 * Math.log(9 / 0.5e-6))));
    assertThat(9 * Math.exp(-Math.pow(cal.threshold() - 1, 2) / (2 * sigma * sigma))).isLessThanOrEqualTo(0.5e-6);
  }
}
