package io.fedsearch.reputation.model;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Standard deviations of the privacy module's noise from a release's mechanism parameters, so a release converts to
 * {@link SignalObservation}s in a few lines: scales travel as exact rationals ({@code "n"} or {@code "n/d"}); the
 * Laplace parameter is b in {@code P(x) ∝ exp(-|x| / b)}, the Gaussian one σ² in {@code P(x) ∝ exp(-x² / 2σ²)}.
 */
public final class NoiseScales {
  private NoiseScales() {}

  /** Parses {@code "n"} or {@code "n/d"} (non-negative decimals) into a double. */
  public static double rational(String s) {
    if (s == null || s.isEmpty() || s.length() > 200) {
      throw new IllegalArgumentException("noise scale must be \"n\" or \"n/d\", got " + s);
    }
    try {
      int slash = s.indexOf('/');
      BigDecimal num = new BigDecimal(slash < 0 ? s : s.substring(0, slash));
      BigDecimal den = slash < 0 ? BigDecimal.ONE : new BigDecimal(s.substring(slash + 1));
      if (num.signum() < 0 || den.signum() <= 0) {
        throw new IllegalArgumentException("noise scale must be non-negative with a positive denominator: " + s);
      }
      return num.divide(den, MathContext.DECIMAL64).doubleValue();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("noise scale is not a rational: " + s, e);
    }
  }

  /** Stddev of the discrete Laplace distribution with parameter b: {@code sqrt(2 e^(-1/b)) / (1 - e^(-1/b))}. */
  public static double discreteLaplaceStddev(double b) {
    if (!(b > 0)) {
      return 0;
    }
    double q = Math.exp(-1 / b);
    return Math.sqrt(2 * q) / (1 - q);
  }

  /** Stddev of the discrete Gaussian with parameter σ² (summed exactly for small σ; ≈ σ beyond). */
  public static double discreteGaussianStddev(double sigma2) {
    if (!(sigma2 > 0)) {
      return 0;
    }
    double sigma = Math.sqrt(sigma2);
    if (sigma > 50) {
      return sigma;
    }
    double num = 0;
    double den = 1;
    for (int x = 1; x <= (int) (12 * sigma) + 12; x++) {
      double w = Math.exp(-x * (double) x / (2 * sigma2));
      num += 2 * x * (double) x * w;
      den += 2 * w;
    }
    return Math.sqrt(num / den);
  }
}
