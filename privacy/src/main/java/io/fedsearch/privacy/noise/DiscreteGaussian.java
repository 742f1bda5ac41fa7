package io.fedsearch.privacy.noise;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * The discrete Gaussian with rational variance parameter {@code σ² = a/b}: {@code P(x) ∝ exp(-x²/(2σ²))} on the
 * integers. Sampled exactly by Canonne, Kamath &amp; Steinke (2020), Algorithm 3 (rejection from a discrete Laplace
 * of scale {@code floor(σ)+1}). Adding it to an integer query of L2 sensitivity Δ gives {@code Δ²/(2σ²)}-zCDP.
 */
public final class DiscreteGaussian implements IntegerNoise {
  private final BigInteger a;
  private final BigInteger b;
  private final BigInteger t;
  private final DiscreteLaplace proposal;
  private final BigInteger gammaDen;

  private DiscreteGaussian(BigInteger a, BigInteger b) {
    this.a = a;
    this.b = b;
    // floor(sqrt(a/b)) = floor(sqrt(floor(a/b))) for non-negative reals.
    this.t = a.divide(b).sqrt().add(BigInteger.ONE);
    this.proposal = DiscreteLaplace.ofScale(new Ratio(t, BigInteger.ONE));
    this.gammaDen = BigInteger.TWO.multiply(a).multiply(b).multiply(t).multiply(t);
  }

  /** Variance parameter {@code σ² = sigma2}; must be positive. */
  public static DiscreteGaussian ofSigma2(Ratio sigma2) {
    if (sigma2.signum() <= 0) {
      throw new IllegalArgumentException("discrete Gaussian sigma^2 must be positive: " + sigma2);
    }
    return new DiscreteGaussian(sigma2.num(), sigma2.den());
  }

  public Ratio sigma2() {
    return new Ratio(a, b);
  }

  @Override
  public long sample(SecureRandom rng) {
    while (true) {
      long y = proposal.sample(rng);
      // gamma = (|y| - σ²/t)² / (2σ²) = (|y|·b·t - a)² / (2·a·b·t²)
      BigInteger diff = BigInteger.valueOf(Math.abs(y)).multiply(b).multiply(t).subtract(a);
      if (ExactBernoulli.bernoulliExp(diff.multiply(diff), gammaDen, rng)) {
        return y;
      }
    }
  }

  @Override
  public String toString() {
    return "DiscreteGaussian(sigma2=" + sigma2() + ")";
  }
}
