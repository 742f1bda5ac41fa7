package io.fedsearch.privacy.release;

/** Exact (Clopper–Pearson) binomial confidence bounds, by bisection on the binomial CDF in log space. */
final class ClopperPearson {
  private final int n;
  private final double[] logFact;

  ClopperPearson(int n) {
    this.n = n;
    logFact = new double[n + 1];
    for (int i = 1; i <= n; i++) {
      logFact[i] = logFact[i - 1] + Math.log(i);
    }
  }

  /** P(Bin(n, p) ≥ k). */
  double upperTail(int k, double p) {
    double s = 0;
    for (int i = k; i <= n; i++) {
      s += pmf(i, p);
    }
    return s;
  }

  private double pmf(int i, double p) {
    if (p <= 0) {
      return i == 0 ? 1 : 0;
    }
    if (p >= 1) {
      return i == n ? 1 : 0;
    }
    return Math.exp(logFact[n] - logFact[i] - logFact[n - i] + i * Math.log(p) + (n - i) * Math.log1p(-p));
  }

  /** One-sided lower bound: the smallest p with P(Bin(n,p) ≥ k) ≥ alpha (0 when k = 0). */
  double lower(int k, double alpha) {
    if (k == 0) {
      return 0;
    }
    double lo = 0;
    double hi = 1;
    for (int it = 0; it < 60; it++) {
      double mid = (lo + hi) / 2;
      if (upperTail(k, mid) < alpha) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** One-sided upper bound: the largest p with P(Bin(n,p) ≤ k) ≥ alpha (1 when k = n). */
  double upper(int k, double alpha) {
    if (k == n) {
      return 1;
    }
    double lo = 0;
    double hi = 1;
    for (int it = 0; it < 60; it++) {
      double mid = (lo + hi) / 2;
      if (1 - upperTail(k + 1, mid) >= alpha) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }
}
