package io.fedsearch.reputation.attack;

import java.util.random.RandomGenerator;

/**
 * Exact discrete Laplace sampler for the attack harness: {@code P(x) ∝ exp(-|x| / t)} over the integers, integer
 * scale t ≥ 1, by Algorithm 2 of Canonne, Kamath &amp; Steinke (2020) with integer arithmetic only (Bernoulli
 * trials of exp(-γ) for rational γ). The harness uses a seeded generator so runs are reproducible; the privacy
 * module's release path uses its own sampler with {@code SecureRandom}. Kept here, on the simulation side, so this
 * module does not wait for the privacy module's sampler.
 */
public final class DiscreteLaplace {
  private final long scale;

  public DiscreteLaplace(long scale) {
    if (scale < 1 || scale > (1L << 40)) {
      throw new IllegalArgumentException("discrete Laplace scale must be an integer in [1, 2^40], got " + scale);
    }
    this.scale = scale;
  }

  public long scale() {
    return scale;
  }

  /** Standard deviation: {@code sqrt(2 e^(-1/t)) / (1 - e^(-1/t))}. */
  public double stddev() {
    double q = Math.exp(-1.0 / scale);
    return Math.sqrt(2 * q) / (1 - q);
  }

  public long sample(RandomGenerator rng) {
    while (true) {
      long u = rng.nextLong(scale);
      if (!bernoulliExp(rng, u, scale)) {
        continue;
      }
      long v = 0;
      while (bernoulliExp(rng, 1, 1)) {
        v++;
      }
      long x = u + scale * v;
      boolean negative = rng.nextBoolean();
      if (negative && x == 0) {
        continue;
      }
      return negative ? -x : x;
    }
  }

  /** Bernoulli(exp(-n/d)) for 0 ≤ n ≤ d, exactly (CKS Algorithm 1, γ ≤ 1 case). */
  static boolean bernoulliExp(RandomGenerator rng, long n, long d) {
    long k = 1;
    while (rng.nextLong(d * k) < n) {
      k++;
    }
    return (k & 1) == 1;
  }
}
