package io.fedsearch.privacy.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.privacy.TestRandom;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each sampler against its exact probability mass function: 10^6 draws per scale, Pearson chi-square at significance
 * α = 0.001 (seeded test source, so the outcome is reproducible), plus a smaller run on the production {@link
 * SecureRandom} at α = 10^-6.
 */
@Timeout(120)
class DiscreteSamplersTest {
  private static final int DRAWS = 1_000_000;
  private static final double Z_0_001 = 3.0902;
  private static final double Z_1E_6 = 4.7534;

  @ParameterizedTest(name = "discrete Laplace scale {0}/{1}")
  @CsvSource({"1,2", "1,1", "37,10", "20,1"})
  void discreteLaplaceMatchesItsPmf(long t, long s) {
    DiscreteLaplace lap = DiscreteLaplace.ofScale(Ratio.of(t, s));
    ChiSquare.Result r = ChiSquare.test(draw(lap, new TestRandom(t * 1000 + s), DRAWS), DRAWS, laplacePmf(t, s),
        Z_0_001);
    assertThat(r.statistic()).as("chi2 with %d dof, critical %.1f", r.degreesOfFreedom(), r.critical())
        .isLessThan(r.critical());
    assertThat(r.degreesOfFreedom()).isGreaterThanOrEqualTo(3);
  }

  @ParameterizedTest(name = "discrete Gaussian sigma^2 {0}/{1}")
  @CsvSource({"1,2", "1,1", "10,1", "400,3"})
  void discreteGaussianMatchesItsPmf(long a, long b) {
    DiscreteGaussian g = DiscreteGaussian.ofSigma2(Ratio.of(a, b));
    ChiSquare.Result r = ChiSquare.test(draw(g, new TestRandom(a * 7919 + b), DRAWS), DRAWS, gaussianPmf(a, b),
        Z_0_001);
    assertThat(r.statistic()).as("chi2 with %d dof, critical %.1f", r.degreesOfFreedom(), r.critical())
        .isLessThan(r.critical());
  }

  @Test
  void productionSecureRandomPathHasTheRightDistribution() {
    int n = 200_000;
    SecureRandom rng = new SecureRandom();
    ChiSquare.Result lap = ChiSquare.test(draw(DiscreteLaplace.ofScale(Ratio.of(5, 2)), rng, n), n,
        laplacePmf(5, 2), Z_1E_6);
    assertThat(lap.passes()).as("laplace chi2 %s", lap).isTrue();
    ChiSquare.Result gau = ChiSquare.test(draw(DiscreteGaussian.ofSigma2(Ratio.of(9, 1)), rng, n), n,
        gaussianPmf(9, 1), Z_1E_6);
    assertThat(gau.passes()).as("gaussian chi2 %s", gau).isTrue();
  }

  @Test
  void chiSquareRejectsAWrongScale() {
    // The test has power: draws at scale 1.1 are rejected as scale 1.
    ChiSquare.Result r = ChiSquare.test(draw(DiscreteLaplace.ofScale(Ratio.of(11, 10)), new TestRandom(3), DRAWS),
        DRAWS, laplacePmf(1, 1), Z_0_001);
    assertThat(r.passes()).isFalse();
  }

  @ParameterizedTest(name = "Bernoulli(exp(-{0}/{1}))")
  @CsvSource({"0,1", "3,10", "1,1", "5,2", "31,7"})
  void bernoulliExpHasProbabilityExpMinusGamma(long num, long den) {
    TestRandom rng = new TestRandom(num * 31 + den);
    int hits = 0;
    for (int i = 0; i < DRAWS; i++) {
      if (ExactBernoulli.bernoulliExp(BigInteger.valueOf(num), BigInteger.valueOf(den), rng)) {
        hits++;
      }
    }
    double p = Math.exp(-(double) num / den);
    double sd = Math.sqrt(DRAWS * p * (1 - p));
    // |z| < 4.42 is two-sided α = 10^-5; for γ = 0 every draw must succeed.
    assertThat(Math.abs(hits - DRAWS * p)).isLessThanOrEqualTo(Math.max(4.42 * sd, 0));
  }

  @Test
  void uniformBelowHandlesBoundsBeyondLong() {
    TestRandom rng = new TestRandom(9);
    BigInteger bound = BigInteger.ONE.shiftLeft(80).add(BigInteger.valueOf(12345));
    for (int i = 0; i < 10_000; i++) {
      BigInteger u = ExactBernoulli.uniformBelow(bound, rng);
      assertThat(u.signum()).isGreaterThanOrEqualTo(0);
      assertThat(u).isLessThan(bound);
    }
  }

  @Test
  void rejectsInvalidParameters() {
    assertThatThrownBy(() -> DiscreteLaplace.ofScale(Ratio.of(0, 1))).hasMessageContaining("scale must be positive");
    assertThatThrownBy(() -> DiscreteGaussian.ofSigma2(Ratio.of(-1, 1))).hasMessageContaining("sigma^2");
    assertThatThrownBy(() -> ExactBernoulli.bernoulli(BigInteger.TWO, BigInteger.ONE, new TestRandom(1)))
        .hasMessageContaining("not a probability");
  }

  static Map<Long, Long> draw(IntegerNoise noise, SecureRandom rng, int n) {
    Map<Long, Long> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(noise.sample(rng), 1L, Long::sum);
    }
    return counts;
  }

  /** P(x) = tanh(1/(2b)) · exp(-|x|/b) for b = t/s. */
  static LongToDoubleFunction laplacePmf(long t, long s) {
    double b = (double) t / s;
    return x -> Math.tanh(1 / (2 * b)) * Math.exp(-Math.abs(x) / b);
  }

  /** P(x) = exp(-x²/(2σ²)) / Σ_y exp(-y²/(2σ²)). */
  static LongToDoubleFunction gaussianPmf(long a, long b) {
    double s2 = (double) a / b;
    double z = 0;
    long lim = (long) (40 * Math.sqrt(s2)) + 40;
    for (long y = -lim; y <= lim; y++) {
      z += Math.exp(-(double) y * y / (2 * s2));
    }
    double norm = z;
    return x -> Math.exp(-(double) x * x / (2 * s2)) / norm;
  }
}
