package io.fedsearch.privacy.release;

import io.fedsearch.privacy.noise.DiscreteGaussian;
import io.fedsearch.privacy.noise.DiscreteLaplace;
import io.fedsearch.privacy.noise.IntegerNoise;
import io.fedsearch.privacy.noise.Ratio;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The noise, threshold and budget of one release, derived from a {@link ReleaseConfig}. Derivations (L = max CIDs
 * per payer, C = max drops per CID, ε and δ the per-epoch budget):
 *
 * <p><b>Laplace.</b> Counts get ε/2, sums ε/2. Counts have L1 sensitivity L, so scale {@code b = 2L/ε}; sums L·C, so
 * scale {@code 2LC/ε}. Both exact rationals. Partition selection: a CID is released only when its noisy payer count
 * is ≥ τ. A CID whose only payer is the one added/removed is released with probability {@code P(X ≥ τ-1)}; for the
 * discrete Laplace {@code P(X ≥ m) = e^{-m/b}/(1+e^{-1/b}) ≤ e^{-m/b}}, and one payer touches at most L CIDs, so
 * choosing {@code τ = 1 + ⌈b·ln(L/δ)⌉} makes the total probability of such a release at most δ. The release is then
 * (ε, δ)-DP (counts and sums ε, partition selection δ).
 *
 * <p><b>Gaussian.</b> δ is split: δ/2 for partition selection, δ/2 for converting zCDP to (ε, δ). The release's ρ
 * solves {@code ε = ρ + 2√(ρ·ln(2/δ))} (Bun &amp; Steinke 2016, Prop. 1.3), rounded down to 12 decimals; counts and
 * sums get ρ/2 each. L2 sensitivities √L and √L·C give {@code σ² = L/ρ} (counts) and {@code σ² = L·C²/ρ} (sums),
 * exact rationals. The discrete Gaussian is σ²-subgaussian (Canonne, Kamath &amp; Steinke 2020), so {@code P(X ≥ m) ≤
 * e^{-m²/(2σ²)}} and {@code τ = 1 + ⌈σ·√(2·ln(2L/δ))⌉} bounds the selection leak by δ/2.
 *
 * <p>Only the threshold and ρ are computed with floating point (logarithms, square roots); each is rounded in the
 * conservative direction with a relative margin far larger than double rounding error (bigger τ, smaller ρ). The
 * noise itself never is.
 */
public record Calibration(
    Mechanism mechanism,
    IntegerNoise countNoise,
    IntegerNoise sumNoise,
    Ratio countScale,
    Ratio sumScale,
    long threshold,
    BigDecimal epsilon,
    BigDecimal rho,
    BigDecimal selectionDelta) {
  private static final double MARGIN = 1e-9;
  /**
   * Largest noise scale accepted (Laplace b, or Gaussian σ): 10^15. Noise then stays far inside a long (a draw
   * beyond 2^63 has probability below e^-9000), so released values never overflow.
   */
  static final BigInteger MAX_SCALE = BigInteger.TEN.pow(15);

  /** One unit spending the whole per-epoch (ε, δ) of {@code config} with its CID bounds L and C. */
  public static Calibration of(ReleaseConfig config) {
    return of(new UnitBudget(Unit.CID, config.mechanism(), config.epsilon(), config.delta(),
        config.maxCidsPerPayer(), config.maxDropsPerCid()));
  }

  /** Noise, threshold and budget of one unit's release (one tree node) under {@code budget}. */
  public static Calibration of(UnitBudget budget) {
    if (budget.epsilon().signum() <= 0 || budget.delta().signum() <= 0
        || budget.delta().compareTo(BigDecimal.ONE) >= 0 || budget.maxKeysPerPayer() < 1
        || budget.maxDropsPerKey() < 1) {
      throw new IllegalArgumentException("epsilon > 0, delta in (0, 1), L ≥ 1 and C ≥ 1 are needed");
    }
    Ratio eps = Ratio.of(budget.epsilon());
    long l = budget.maxKeysPerPayer();
    long c = budget.maxDropsPerKey();
    double lnLOverDelta = Math.log(l) - Math.log(budget.delta().doubleValue());
    if (budget.mechanism() == Mechanism.LAPLACE) {
      Ratio countScale = Ratio.of(2 * l, 1).divide(eps);
      Ratio sumScale = new Ratio(BigInteger.valueOf(2 * l).multiply(BigInteger.valueOf(c)), BigInteger.ONE).divide(eps);
      checkScale(sumScale.ceil());
      long tau = 1 + ceilUp(countScale.doubleValue() * lnLOverDelta);
      return new Calibration(Mechanism.LAPLACE, DiscreteLaplace.ofScale(countScale), DiscreteLaplace.ofScale(sumScale),
          countScale, sumScale, tau, budget.epsilon(), BigDecimal.ZERO, budget.delta());
    }
    BigDecimal halfDelta = budget.delta().divide(BigDecimal.TWO);
    BigDecimal rho = rhoFor(budget.epsilon(), halfDelta);
    Ratio rhoR = Ratio.of(rho);
    Ratio countSigma2 = Ratio.of(l, 1).divide(rhoR);
    BigInteger cc = BigInteger.valueOf(c);
    Ratio sumSigma2 = new Ratio(BigInteger.valueOf(l).multiply(cc).multiply(cc), BigInteger.ONE).divide(rhoR);
    checkScale(sumSigma2.ceil().sqrt().add(BigInteger.ONE));
    double sigma = Math.sqrt(countSigma2.doubleValue());
    double lnSel = Math.log(l) - Math.log(halfDelta.doubleValue());
    long tau = 1 + ceilUp(sigma * Math.sqrt(2 * lnSel));
    return new Calibration(Mechanism.GAUSSIAN, DiscreteGaussian.ofSigma2(countSigma2),
        DiscreteGaussian.ofSigma2(sumSigma2), countSigma2, sumSigma2, tau, budget.epsilon(), rho, halfDelta);
  }

  /** An upper bound on one count draw's scale: ⌈b⌉ (Laplace) or ⌈σ⌉ (Gaussian). */
  public BigInteger countNoiseBound() {
    return scaleBound(countScale);
  }

  /** An upper bound on one sum draw's scale: ⌈b⌉ (Laplace) or ⌈σ⌉ (Gaussian). */
  public BigInteger sumNoiseBound() {
    return scaleBound(sumScale);
  }

  private BigInteger scaleBound(Ratio scale) {
    return mechanism == Mechanism.LAPLACE ? scale.ceil() : scale.ceil().sqrt().add(BigInteger.ONE);
  }

  private static void checkScale(BigInteger scale) {
    if (scale.compareTo(MAX_SCALE) > 0) {
      throw new InvalidPrivacyConfigException(ReleaseConfig.KEY_EPSILON, "is too small for "
          + ReleaseConfig.KEY_MAX_CIDS + " × " + ReleaseConfig.KEY_MAX_DROPS + ": the sum noise scale would be "
          + scale + " drops, over 10^15");
    }
  }

  /** The largest ρ (to 12 decimals, rounded down) with {@code ρ + 2√(ρ ln(1/δ)) ≤ ε}. */
  static BigDecimal rhoFor(BigDecimal epsilon, BigDecimal delta) {
    double ln = -Math.log(delta.doubleValue());
    double e = epsilon.doubleValue();
    double sqrtRho = Math.sqrt(ln + e) - Math.sqrt(ln);
    double rho = sqrtRho * sqrtRho * (1 - MARGIN);
    BigDecimal r = new BigDecimal(rho).setScale(12, RoundingMode.DOWN);
    if (r.signum() <= 0) {
      throw new InvalidPrivacyConfigException(ReleaseConfig.KEY_EPSILON,
          "is too small for the gaussian mechanism (rho rounds to 0; got " + epsilon.toPlainString() + ")");
    }
    return r.stripTrailingZeros();
  }

  private static long ceilUp(double x) {
    return (long) Math.ceil(x * (1 + MARGIN) + MARGIN);
  }
}
