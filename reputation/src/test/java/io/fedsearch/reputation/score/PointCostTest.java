package io.fedsearch.reputation.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fedsearch.reputation.model.ReputationConfig;
import org.junit.jupiter.api.Test;

/**
 * {@link PointCost} against the engine itself: the buyers it states, added where it says, raise the score by one
 * point. The per-window, decay and node credit cases run through HTTP in web's PointCostTest; here the routes a
 * single platform cannot show: past the best platform's cap, and a platform without trust.
 */
class PointCostTest {
  /** k = 1 and a cap of 100 credited payers per platform; rows are floats, so "one point" holds to 1e-5. */
  private static final ReputationConfig CFG = ReputationConfig.defaults().withPeakEpochs(1)
      .withPlatformEvidenceCap(100);

  /** Per-epoch creator-unit rows at epoch 5: platform 0 with {@code best} payers, platform 1 with {@code other}. */
  private static SignalTable table(double best, double other) {
    SignalTable t = new SignalTable(4);
    t.addRow(0, t.addCreatorRelease(0, 5, 1, 1, 2, 1e9, 0), best, 0);
    t.addRow(0, t.addCreatorRelease(1, 5, 1, 1, 2, 1e9, 0), other, 0);
    t.ensureCreators(1);
    return t;
  }

  private static CreatorScore score(SignalTable t, double[] weights) {
    return new ScoreEngine(CFG).explain(t, ScoreEngine.index(t), 0, 5, weights);
  }

  @Test
  void pastTheBestPlatformsCapTheBuyersCountOnAnotherPlatformAtItsCoefficient() {
    double[] w = {1, 1};
    SignalTable t = table(100, 20);
    CreatorScore now = score(t, w);
    PointCost cost = PointCost.of(CFG, t, ScoreEngine.index(t), 0, 5, now);
    assertThat(cost.bestPlatform()).isFalse();
    assertThat(cost.platform()).isEqualTo(1);
    assertThat(cost.coefficient()).isEqualTo(CFG.otherPlatformWeight());
    assertThat(cost.amountClamp()).as("sum noise 10^6 payers").isFalse();
    // More buyers on the capped platform add nothing; the stated ones on the other add one point.
    assertThat(score(table(100 + cost.buyersPerEpoch(), 20), w).score()).isEqualTo(now.score());
    assertThat(score(table(100, 20 + cost.buyersPerEpoch()), w).score() - now.score()).isCloseTo(1, within(1e-5));
  }

  @Test
  void underTheCapTheBestPlatformsBuyersCountFullyAtItsWeight() {
    double[] w = {0.5, 1};
    SignalTable t = table(60, 10);
    CreatorScore now = score(t, w);
    PointCost cost = PointCost.of(CFG, t, ScoreEngine.index(t), 0, 5, now);
    assertThat(cost.bestPlatform()).isTrue();
    assertThat(cost.platform()).isZero();
    assertThat(cost.weight()).isEqualTo(0.5);
    assertThat(score(table(60 + cost.buyersPerEpoch(), 10), w).score() - now.score()).isCloseTo(1, within(1e-5));
    assertThat(score(table(60 + 0.9 * cost.buyersPerEpoch(), 10), w).score() - now.score()).isLessThan(0.95);
  }

  @Test
  void aPlatformWithoutTrustCannotRaiseTheScore() {
    SignalTable t = table(60, 0);
    CreatorScore now = score(t, new double[] {0, 0});
    PointCost cost = PointCost.of(CFG, t, ScoreEngine.index(t), 0, 5, now);
    assertThat(cost.reachable()).isFalse();
    assertThat(cost.toJsonNode("ab").path("buyers_per_epoch").isNull()).isTrue();
  }
}
