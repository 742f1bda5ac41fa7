package io.fedsearch.privacy.accounting;

import io.fedsearch.privacy.release.Mechanism;
import io.fedsearch.privacy.release.Unit;
import java.math.BigDecimal;

/**
 * The budget one release of one unit uses: its (ε, δ) guarantee on its own, and what composition needs — ρ of the
 * zCDP part (Gaussian; 0 for Laplace) and the δ spent by partition selection — with the unit and the tree node
 * ({@code nodeStart}, {@code nodeLength} epochs) it released at the close of {@code epoch}.
 */
public record Spend(long epoch, Mechanism mechanism, BigDecimal epsilon, BigDecimal delta, BigDecimal rho,
    BigDecimal selectionDelta, Unit unit, long nodeStart, long nodeLength) {
  /** A release of the CID unit covering {@code epoch} alone. */
  public Spend(long epoch, Mechanism mechanism, BigDecimal epsilon, BigDecimal delta, BigDecimal rho,
      BigDecimal selectionDelta) {
    this(epoch, mechanism, epsilon, delta, rho, selectionDelta, Unit.CID, epoch, 1);
  }
}
