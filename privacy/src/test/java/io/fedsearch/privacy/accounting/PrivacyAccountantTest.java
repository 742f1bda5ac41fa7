package io.fedsearch.privacy.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fedsearch.privacy.release.Calibration;
import io.fedsearch.privacy.release.Mechanism;
import io.fedsearch.privacy.release.ReleaseConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The accountant against closed forms of basic composition and zCDP composition/conversion. */
class PrivacyAccountantTest {
  private static final BigDecimal D = new BigDecimal("1e-6");

  private static ReleaseConfig config(Mechanism m, String eps, String lifeEps, String lifeDelta) {
    return ReleaseConfig.defaults().withMechanism(m).withEpsilon(new BigDecimal(eps))
        .withLifetime(new BigDecimal(lifeEps), new BigDecimal(lifeDelta));
  }

  private static Spend spend(ReleaseConfig c, long epoch) {
    Calibration cal = Calibration.of(c);
    return new Spend(epoch, c.mechanism(), c.epsilon(), c.delta(), cal.rho(), cal.selectionDelta());
  }

  @Test
  void laplaceComposesByAddingEpsilonAndDelta() throws Exception {
    ReleaseConfig c = config(Mechanism.LAPLACE, "0.7", "5", "1e-4");
    List<Spend> ledger = new ArrayList<>();
    for (int k = 1; k <= 7; k++) {
      BudgetStatus s = PrivacyAccountant.check(ledger, spend(c, k), c);
      ledger.add(spend(c, k));
      assertThat(s.epsilon()).isEqualByComparingTo(new BigDecimal("0.7").multiply(BigDecimal.valueOf(k)));
      assertThat(s.delta()).isEqualByComparingTo(D.multiply(BigDecimal.valueOf(k)));
    }
    // 8 × 0.7 = 5.6 > 5
    assertThatThrownBy(() -> PrivacyAccountant.check(ledger, spend(c, 8), c))
        .isInstanceOf(BudgetExceededException.class)
        .hasMessageContaining("privacy.lifetime-epsilon=5 would be exceeded")
        .hasMessageContaining("spent ε=4.9 over 7 releases");
  }

  @Test
  void gaussianComposesInRhoAndConvertsWithTheRemainingDelta() throws Exception {
    ReleaseConfig c = config(Mechanism.GAUSSIAN, "1", "8", "1e-4");
    Calibration cal = Calibration.of(c);
    double rho = cal.rho().doubleValue();
    // One release: ρ + 2√(ρ ln(2/δ)) ≤ ε, and only just (ρ is rounded down, to 12 decimals, with a 1e-9 margin).
    double single = rho + 2 * Math.sqrt(rho * Math.log(2 / 1e-6));
    assertThat(single).isLessThanOrEqualTo(1.0).isCloseTo(1.0, within(1e-6));
    List<Spend> ledger = new ArrayList<>();
    for (int k = 1; k <= 20; k++) {
      BudgetStatus s = PrivacyAccountant.check(ledger, spend(c, k), c);
      ledger.add(spend(c, k));
      double deltaConv = 1e-4 - k * 0.5e-6;
      double closed = k * rho + 2 * Math.sqrt(k * rho * Math.log(1 / deltaConv));
      assertThat(s.epsilon().doubleValue()).isCloseTo(closed, within(1e-9));
      assertThat(s.rho()).isEqualByComparingTo(cal.rho().multiply(BigDecimal.valueOf(k)));
      // zCDP composition beats adding ε for many releases
      if (k >= 10) {
        assertThat(s.epsilon().doubleValue()).isLessThan(k * 1.0);
      }
    }
    assertThat(PrivacyAccountant.zcdpEpsilon(0.5, Math.exp(-2))).isCloseTo(0.5 + 2 * Math.sqrt(1.0), within(1e-12));
  }

  @Test
  void gaussianLifetimeRefusalHappensExactlyWhenTheClosedFormExceedsTheBudget() throws Exception {
    ReleaseConfig c = config(Mechanism.GAUSSIAN, "1", "8", "1e-4");
    double rho = Calibration.of(c).rho().doubleValue();
    List<Spend> ledger = new ArrayList<>();
    int k = 0;
    while (true) {
      int next = k + 1;
      double closed = next * rho + 2 * Math.sqrt(next * rho * Math.log(1 / (1e-4 - next * 0.5e-6)));
      try {
        PrivacyAccountant.check(ledger, spend(c, next), c);
        assertThat(closed).isLessThanOrEqualTo(8.0);
      } catch (BudgetExceededException e) {
        assertThat(closed).isGreaterThan(8.0);
        assertThat(e.getMessage()).contains("privacy.lifetime-epsilon=8");
        break;
      }
      ledger.add(spend(c, next));
      k = next;
      assertThat(k).isLessThan(200);
    }
    assertThat(k).isGreaterThan(8); // more releases than basic composition would allow
  }

  @Test
  void perEpochBudgetCannotBeSpentTwice() throws Exception {
    ReleaseConfig c = config(Mechanism.LAPLACE, "1", "100", "1e-4");
    List<Spend> ledger = new ArrayList<>(List.of(spend(c, 42)));
    assertThatThrownBy(() -> PrivacyAccountant.check(ledger, spend(c, 42), c))
        .isInstanceOf(BudgetExceededException.class)
        .hasMessageContaining("per-epoch budget privacy.epsilon=1 would be exceeded");
    PrivacyAccountant.check(ledger, spend(c, 43), c);
  }

  @Test
  void lifetimeDeltaIsEnforced() {
    ReleaseConfig c = config(Mechanism.LAPLACE, "0.1", "100", "0.000002");
    List<Spend> ledger = new ArrayList<>(List.of(spend(c, 1), spend(c, 2)));
    assertThatThrownBy(() -> PrivacyAccountant.check(ledger, spend(c, 3), c))
        .isInstanceOf(BudgetExceededException.class)
        .hasMessageContaining("privacy.lifetime-delta=0.000002");
  }
}
