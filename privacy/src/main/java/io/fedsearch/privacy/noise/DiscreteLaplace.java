package io.fedsearch.privacy.noise;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * The discrete Laplace distribution with rational scale {@code b = t/s}: {@code P(x) ∝ exp(-|x|/b)} on the integers.
 * Sampled exactly by Canonne, Kamath &amp; Steinke (2020), Algorithm 2; adding it to an integer query of L1
 * sensitivity Δ gives ε-DP for {@code b = Δ/ε}.
 */
public final class DiscreteLaplace implements IntegerNoise {
  private final BigInteger t;
  private final BigInteger s;

  private DiscreteLaplace(BigInteger t, BigInteger s) {
    BigInteger g = t.gcd(s);
    this.t = t.divide(g);
    this.s = s.divide(g);
  }

  /** Scale {@code b = scale}; must be positive. */
  public static DiscreteLaplace ofScale(Ratio scale) {
    if (scale.signum() <= 0) {
      throw new IllegalArgumentException("discrete Laplace scale must be positive: " + scale);
    }
    return new DiscreteLaplace(scale.num(), scale.den());
  }

  public Ratio scale() {
    return new Ratio(t, s);
  }

  @Override
  public long sample(SecureRandom rng) {
    while (true) {
      BigInteger u = ExactBernoulli.uniformBelow(t, rng);
      if (!ExactBernoulli.bernoulliExp(u, t, rng)) {
        continue;
      }
      // V ~ Geometric(1 - exp(-1)): count successes of Bernoulli(exp(-1)) before the first failure.
      long v = 0;
      while (ExactBernoulli.bernoulliExp(BigInteger.ONE, BigInteger.ONE, rng)) {
        v++;
      }
      BigInteger x = u.add(t.multiply(BigInteger.valueOf(v)));
      long y = x.divide(s).longValueExact();
      boolean negative = rng.nextBoolean();
      if (negative && y == 0) {
        continue; // otherwise 0 would be counted twice
      }
      return negative ? -y : y;
    }
  }

  @Override
  public String toString() {
    return "DiscreteLaplace(scale=" + scale() + ")";
  }
}
