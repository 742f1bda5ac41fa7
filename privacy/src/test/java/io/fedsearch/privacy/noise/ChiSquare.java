package io.fedsearch.privacy.noise;

import java.util.Map;
import java.util.function.LongToDoubleFunction;

/** Pearson chi-square goodness of fit of integer samples against an exact pmf. */
final class ChiSquare {
  record Result(double statistic, int degreesOfFreedom, double critical) {
    boolean passes() {
      return statistic < critical;
    }
  }

  private ChiSquare() {}

  /**
   * Bins every integer whose expected count is at least 5 in the central range [lo, hi], pools the two tails, and
   * compares against the upper-α critical value (Wilson–Hilferty approximation, accurate to well under 1% for the
   * tens of degrees of freedom here). {@code z} is the standard normal upper-α quantile (3.0902 for α = 0.001).
   */
  static Result test(Map<Long, Long> counts, long n, LongToDoubleFunction pmf, double z) {
    long lo = 0;
    while (n * pmf.applyAsDouble(lo - 1) >= 5) {
      lo--;
    }
    long hi = 0;
    while (n * pmf.applyAsDouble(hi + 1) >= 5) {
      hi++;
    }
    double stat = 0;
    int bins = 0;
    double centralMass = 0;
    long centralCount = 0;
    long leftCount = 0;
    long rightCount = 0;
    for (Map.Entry<Long, Long> e : counts.entrySet()) {
      if (e.getKey() < lo) {
        leftCount += e.getValue();
      } else if (e.getKey() > hi) {
        rightCount += e.getValue();
      }
    }
    double leftMass = 0;
    for (long x = lo - 1; n * pmf.applyAsDouble(x) > 1e-9 || x > lo - 60; x--) {
      leftMass += pmf.applyAsDouble(x);
    }
    double rightMass = 0;
    for (long x = hi + 1; n * pmf.applyAsDouble(x) > 1e-9 || x < hi + 60; x++) {
      rightMass += pmf.applyAsDouble(x);
    }
    for (long x = lo; x <= hi; x++) {
      double exp = n * pmf.applyAsDouble(x);
      long obs = counts.getOrDefault(x, 0L);
      stat += (obs - exp) * (obs - exp) / exp;
      bins++;
      centralMass += pmf.applyAsDouble(x);
      centralCount += obs;
    }
    for (double[] tail : new double[][] {{leftCount, leftMass}, {rightCount, rightMass}}) {
      double exp = n * tail[1];
      if (exp >= 5) {
        stat += (tail[0] - exp) * (tail[0] - exp) / exp;
        bins++;
      } else if (tail[0] > 20 + 10 * exp) {
        stat = Double.POSITIVE_INFINITY; // a tail that should be (almost) empty is not
      }
    }
    int df = bins - 1;
    double k = df;
    double critical = k * Math.pow(1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k)), 3);
    return new Result(stat, df, critical);
  }
}
