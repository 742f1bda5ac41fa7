package io.fedsearch.privacy.noise;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Exact Bernoulli trials with rational parameters: Bernoulli(n/d) by comparing a uniform integer, and
 * Bernoulli(exp(-n/d)) by Canonne, Kamath &amp; Steinke (2020), Algorithm 1. Only integer arithmetic and uniform
 * integers from the {@link SecureRandom} are used, so the output distribution is exactly the stated one.
 */
public final class ExactBernoulli {
  private ExactBernoulli() {}

  /** A uniform integer in {@code [0, bound)}; exact (rejection sampling, no modulo bias). */
  static BigInteger uniformBelow(BigInteger bound, SecureRandom rng) {
    if (bound.signum() <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    if (bound.bitLength() <= 62) {
      // RandomGenerator.nextLong(bound) rejects out-of-range draws, so it is exactly uniform.
      return BigInteger.valueOf(rng.nextLong(bound.longValue()));
    }
    int bits = bound.bitLength();
    while (true) {
      BigInteger candidate = new BigInteger(bits, rng); // uniform in [0, 2^bits); accepted with probability > 1/2
      if (candidate.compareTo(bound) < 0) {
        return candidate;
      }
    }
  }

  /** True with probability exactly {@code num/den}; requires {@code 0 <= num <= den}, {@code den > 0}. */
  public static boolean bernoulli(BigInteger num, BigInteger den, SecureRandom rng) {
    if (num.signum() < 0 || den.signum() <= 0 || num.compareTo(den) > 0) {
      throw new IllegalArgumentException("not a probability: " + num + "/" + den);
    }
    return uniformBelow(den, rng).compareTo(num) < 0;
  }

  /** True with probability exactly {@code exp(-num/den)}; requires {@code num >= 0}, {@code den > 0}. */
  public static boolean bernoulliExp(BigInteger num, BigInteger den, SecureRandom rng) {
    if (num.signum() < 0 || den.signum() <= 0) {
      throw new IllegalArgumentException("gamma must be a non-negative rational: " + num + "/" + den);
    }
    if (num.compareTo(den) <= 0) {
      return bernoulliExpAtMostOne(num, den, rng);
    }
    // exp(-gamma) = exp(-1)^floor(gamma) * exp(-(gamma - floor(gamma))): independent trials, stop at the first 0.
    BigInteger[] qr = num.divideAndRemainder(den);
    for (BigInteger k = BigInteger.ZERO; k.compareTo(qr[0]) < 0; k = k.add(BigInteger.ONE)) {
      if (!bernoulliExpAtMostOne(BigInteger.ONE, BigInteger.ONE, rng)) {
        return false;
      }
    }
    return bernoulliExpAtMostOne(qr[1], den, rng);
  }

  /** CKS Algorithm 1 for gamma in [0, 1]: the first k with A_k = 0 is odd with probability exp(-gamma). */
  private static boolean bernoulliExpAtMostOne(BigInteger num, BigInteger den, SecureRandom rng) {
    long k = 1;
    while (bernoulli(num, den.multiply(BigInteger.valueOf(k)), rng)) {
      k++;
    }
    return (k & 1) == 1;
  }
}
