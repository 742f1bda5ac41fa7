package io.fedsearch.privacy.accounting;

import io.fedsearch.privacy.release.Mechanism;
import java.math.BigDecimal;

/**
 * The budget one release uses: its (ε, δ) guarantee on its own, and what composition needs — ρ of the zCDP part
 * (Gaussian; 0 for Laplace) and the δ spent by partition selection.
 */
public record Spend(long epoch, Mechanism mechanism, BigDecimal epsilon, BigDecimal delta, BigDecimal rho,
    BigDecimal selectionDelta) {}
