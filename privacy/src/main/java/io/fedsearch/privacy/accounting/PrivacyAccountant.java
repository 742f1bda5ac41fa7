package io.fedsearch.privacy.accounting;

import io.fedsearch.privacy.release.Mechanism;
import io.fedsearch.privacy.release.ReleaseConfig;
import io.fedsearch.privacy.release.Unit;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Composition of releases and the budget check, hand-written because it is three formulas:
 *
 * <ul>
 *   <li>Pure ε (Laplace) releases compose by adding ε (basic composition).
 *   <li>ρ-zCDP (Gaussian) releases compose by adding ρ (Bun &amp; Steinke 2016, Lemma 2.3), and ρ-zCDP implies
 *       {@code (ρ + 2√(ρ·ln(1/δ)), δ)}-DP for every δ &gt; 0 (ibid. Prop. 1.3).
 *   <li>Partition selection adds its δ to whatever release it belongs to; δs add.
 * </ul>
 *
 * Each epoch's release holds one tree node per unit (CID, creator), each bounding every payer's contribution over
 * the node's whole span, so each is a release about one payer's entire activity and they compose like any other
 * releases: one ledger row per unit per epoch, and the per-epoch check adds the units' ε.
 *
 * <p>Mixed histories are composed as (Σε_pure + ε_zCDP(Σρ, δ_conv), Σδ_sel + δ_conv) where δ_conv is the lifetime δ
 * left after partition selection. A release is allowed when, with it added, (a) the ε spent on its epoch is at
 * most the per-epoch ε, (b) Σδ_sel stays below the lifetime δ and (c) the composed ε is at most the lifetime ε.
 * Sums of ε, ρ and δ are exact decimals; only the zCDP conversion uses doubles, rounded up.
 */
public final class PrivacyAccountant {
  private static final MathContext MC = new MathContext(20, RoundingMode.UP);

  private PrivacyAccountant() {}

  /** ε of ρ-zCDP at δ: {@code ρ + 2√(ρ·ln(1/δ))}. */
  public static double zcdpEpsilon(double rho, double delta) {
    if (rho == 0) {
      return 0;
    }
    return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
  }

  public static BudgetStatus status(List<Spend> spends, ReleaseConfig config) {
    BigDecimal pure = BigDecimal.ZERO;
    BigDecimal rho = BigDecimal.ZERO;
    BigDecimal sel = BigDecimal.ZERO;
    for (Spend s : spends) {
      if (s.mechanism() == Mechanism.LAPLACE) {
        pure = pure.add(s.epsilon());
      } else {
        rho = rho.add(s.rho());
      }
      sel = sel.add(s.selectionDelta());
    }
    BigDecimal deltaConv = config.lifetimeDelta().subtract(sel);
    BigDecimal eps = pure;
    BigDecimal delta = sel;
    if (rho.signum() > 0) {
      if (deltaConv.signum() <= 0) {
        eps = BigDecimal.valueOf(Double.MAX_VALUE);
      } else {
        double conv = zcdpEpsilon(rho.doubleValue(), deltaConv.doubleValue());
        eps = eps.add(new BigDecimal(conv * (1 + 1e-12)).round(MC));
        delta = config.lifetimeDelta();
      }
    }
    return new BudgetStatus(spends.size(), pure, rho, sel, eps.stripTrailingZeros(), delta.stripTrailingZeros(),
        config.lifetimeEpsilon(), config.lifetimeDelta());
  }

  /** The budget line of each unit: the same composition over that unit's rows alone. */
  public static java.util.Map<Unit, BudgetStatus> statusByUnit(List<Spend> spends, ReleaseConfig config) {
    java.util.Map<Unit, BudgetStatus> out = new java.util.EnumMap<>(Unit.class);
    for (Unit u : Unit.values()) {
      out.put(u, status(spends.stream().filter(s -> s.unit() == u).toList(), config));
    }
    return out;
  }

  /** Throws, with the reason and the figures, when {@code proposed} would overspend; otherwise returns the status after it. */
  public static BudgetStatus check(List<Spend> ledger, Spend proposed, ReleaseConfig config)
      throws BudgetExceededException {
    BigDecimal epochSpent = BigDecimal.ZERO;
    for (Spend s : ledger) {
      if (s.epoch() == proposed.epoch()) {
        epochSpent = epochSpent.add(s.epsilon());
      }
    }
    String what = "release of epoch " + proposed.epoch() + " refused (" + proposed.unit().wireName() + " unit): ";
    if (epochSpent.add(proposed.epsilon()).compareTo(config.epsilon()) > 0) {
      throw new BudgetExceededException(what + "per-epoch budget " + ReleaseConfig.KEY_EPSILON + "="
          + config.epsilon().toPlainString() + " would be exceeded (already spent " + epochSpent.toPlainString()
          + " on this epoch, release needs " + proposed.epsilon().toPlainString() + ")");
    }
    List<Spend> after = new ArrayList<>(ledger);
    after.add(proposed);
    BudgetStatus before = status(ledger, config);
    BudgetStatus next = status(after, config);
    if (next.selectionDelta().compareTo(config.lifetimeDelta()) > 0) {
      throw new BudgetExceededException(what + "lifetime budget " + ReleaseConfig.KEY_LIFETIME_DELTA + "="
          + config.lifetimeDelta().toPlainString() + " would be exceeded (partition selection has spent δ="
          + before.selectionDelta().toPlainString() + ", release needs " + proposed.selectionDelta().toPlainString()
          + ")");
    }
    if (next.epsilon().compareTo(config.lifetimeEpsilon()) > 0) {
      throw new BudgetExceededException(what + "lifetime budget " + ReleaseConfig.KEY_LIFETIME_EPSILON + "="
          + config.lifetimeEpsilon().toPlainString() + " would be exceeded (spent ε=" + before.epsilon().toPlainString()
          + " over " + before.releases() + " releases; with this one ε=" + next.epsilon().toPlainString() + ")");
    }
    return next;
  }
}
