package io.fedsearch.privacy.accounting;

import java.math.BigDecimal;

/**
 * Totals over the ledger: the lifetime (ε, δ) guarantee so far and the budget it is held against. {@code epsilon}
 * is the composed ε (pure-ε releases added, zCDP releases' ρ added then converted with the δ left after partition
 * selection), rounded up.
 */
public record BudgetStatus(int releases, BigDecimal pureEpsilon, BigDecimal rho, BigDecimal selectionDelta,
    BigDecimal epsilon, BigDecimal delta, BigDecimal lifetimeEpsilon, BigDecimal lifetimeDelta) {
  public BigDecimal remainingEpsilon() {
    return lifetimeEpsilon.subtract(epsilon).max(BigDecimal.ZERO);
  }
}
