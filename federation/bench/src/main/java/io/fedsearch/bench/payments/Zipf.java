package io.fedsearch.bench.payments;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^s (inverse CDF by binary search). */
final class Zipf {
  private final double[] cdf;

  Zipf(int n, double s) {
    cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / Math.pow(i + 1, s);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
  }

  int sample(SplittableRandom rnd) {
    int i = Arrays.binarySearch(cdf, rnd.nextDouble());
    return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
  }
}
