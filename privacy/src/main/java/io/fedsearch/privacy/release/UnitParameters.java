package io.fedsearch.privacy.release;

import java.math.BigDecimal;

/**
 * The privacy parameters of one unit of a release, as stated in it and checked against each other by whoever
 * accepts it ({@link SignalRelease#checkConsistent()}):
 *
 * @param epsilon ε this unit's tree node spends (counts ε/2 and sums ε/2 for Laplace)
 * @param delta δ of this unit's tree node (partition selection; with Gaussian also the zCDP conversion)
 * @param maxKeysPerPayer L: keys (CIDs, creators) one payer counts toward in one tree node
 * @param maxDropsPerKey C: drops one payer adds to one key's sum in one tree node
 * @param threshold τ: a key not yet public is published only when its node's noisy payer count is ≥ τ
 * @param countScale noise of one node's payer count (Laplace b or Gaussian σ², exact rational)
 * @param sumScale noise of one node's sum (likewise)
 * @param nodes tree nodes summed in each row (the noise of a row is at most this many independent draws)
 */
public record UnitParameters(BigDecimal epsilon, BigDecimal delta, int maxKeysPerPayer, long maxDropsPerKey,
    long threshold, String countScale, String sumScale, int nodes) {
  public UnitParameters {
    if (epsilon == null || epsilon.signum() <= 0 || delta == null || delta.signum() <= 0
        || delta.compareTo(BigDecimal.ONE) >= 0) {
      throw new IllegalArgumentException("epsilon must be > 0 and delta in (0, 1)");
    }
    if (maxKeysPerPayer < 1 || maxDropsPerKey < 1 || threshold < 0 || nodes < 1 || nodes > 64) {
      throw new IllegalArgumentException("max_keys_per_payer, max_drops, threshold, nodes out of range");
    }
    if (!SignalRelease.isPrintableToken(countScale, 200) || !SignalRelease.isPrintableToken(sumScale, 200)) {
      throw new IllegalArgumentException("count_scale and sum_scale must be short rational literals");
    }
    // A received release states these: bound them before anything expands them (setScale, exact rationals).
    if (epsilon.stripTrailingZeros().scale() < -3 || delta.stripTrailingZeros().scale() < -3) {
      throw new IllegalArgumentException("epsilon and delta must be below 10^4");
    }
    epsilon = SignalRelease.canonicalDecimal(epsilon);
    delta = SignalRelease.canonicalDecimal(delta);
    if (epsilon.scale() > 2 * ReleaseConfig.MAX_SCALE || delta.scale() > 2 * ReleaseConfig.MAX_SCALE
        || epsilon.compareTo(ReleaseConfig.MAX_EPSILON) > 0) {
      throw new IllegalArgumentException("epsilon must be at most " + ReleaseConfig.MAX_EPSILON + " and epsilon and"
          + " delta have at most " + 2 * ReleaseConfig.MAX_SCALE + " decimal places");
    }
  }

  /** The parameters a node with these settings states, for a release summing {@code nodes} tree nodes. */
  public static UnitParameters of(UnitBudget budget, Calibration cal, int nodes) {
    return new UnitParameters(budget.epsilon(), budget.delta(), budget.maxKeysPerPayer(), budget.maxDropsPerKey(),
        cal.threshold(), cal.countScale().toString(), cal.sumScale().toString(), nodes);
  }

  /** The settings these parameters claim (what the noise and threshold must follow from). */
  public UnitBudget budget(Unit unit, Mechanism mechanism) {
    return new UnitBudget(unit, mechanism, epsilon, delta, maxKeysPerPayer, maxDropsPerKey);
  }
}
