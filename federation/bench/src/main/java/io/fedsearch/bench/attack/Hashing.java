package io.fedsearch.bench.attack;

/** SplitMix64-style mixing: derives independent, reproducible seeds for each simulated draw. */
final class Hashing {
  private Hashing() {}

  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static long mix(long a, long b, long c) {
    return mix(mix(a, b), c);
  }

  /** Uniform in [0, 1) from a hash. */
  static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }
}
