package io.fedsearch.bench.attack;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.reputation.model.ReputationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Checks the harness's claims on a small Debian population with a fixed seed. */
@Timeout(300)
class AttackHarnessTest {
  private static AttackHarness.Report report;
  private static HarnessConfig config;

  @BeforeAll
  static void run() {
    Path data = Path.of(System.getProperty("fedsearch.shared.data", "../shared/data"), "debian.jsonl");
    Assumptions.assumeTrue(Files.isRegularFile(data), "needs " + data);
    config = HarnessConfig.defaults(data).withCreators(150).withAttackers(5);
    report = AttackHarness.run(config, ReputationConfig.defaults());
  }

  @Test
  void everyAttackCostsTenTimesTheHonestRiseForEveryCreatorOrIsCapped() {
    assertThat(report.attacked()).hasSizeGreaterThanOrEqualTo(3);
    for (AttackResult a : report.attacks()) {
      assertThat(a.meetsGoal()).as(a.toString()).isTrue();
      if (a.capped() && Double.isNaN(a.costPerPoint())) {
        assertThat(a.maxGainPoints()).as(a.attack()).isLessThan(10);
      } else {
        assertThat(a.ratioMin()).as(a.attack()).isGreaterThanOrEqualTo(AttackHarness.GOAL_RATIO);
        assertThat(a.costPerPoint()).isEqualTo(a.ratio() * a.honestCostPerPoint(), org.assertj.core.api.Assertions
            .within(1e-6 * a.costPerPoint()));
      }
    }
  }

  @Test
  void whitewashingNeverGains() {
    AttackResult w = report.attack("whitewashing");
    assertThat(w.capped()).isTrue();
    assertThat(w.maxGainPoints()).isLessThanOrEqualTo(0);
  }

  @Test
  void aMaliciousPlatformGainsLittleAtItsTrust() {
    AttackResult m = report.attack("malicious_platform");
    assertThat(m.capped()).isTrue();
    assertThat(m.maxGainPoints()).isLessThan(10);
    assertThat(report.platformWeightMalicious()).isLessThan(0.1);
  }

  @Test
  void sybilsPayForIdentities() {
    AttackResult s = report.attack("sybil_farm");
    assertThat(s.capped()).isFalse();
    // a sybil farm needs fresh identities: without their cost it would be no dearer than honest buyers
    AttackHarness.Report free = AttackHarness.run(config.withIdentityCost(0), ReputationConfig.defaults());
    assertThat(free.attack("sybil_farm").ratio()).isLessThan(s.ratio() / 3);
  }

  @Test
  void mostCreatorsWithSalesGetAScore() {
    assertThat(report.creatorsWithSales()).isEqualTo(report.creators());
    assertThat(report.scoredShare()).isGreaterThanOrEqualTo(0.9);
    // CID rows alone leave most of them at 0: each work must clear the threshold on its own
    AttackHarness.Report cids = AttackHarness.run(config.withCreatorUnit(false, 1).withEpochs(20),
        ReputationConfig.defaults());
    assertThat(cids.scoredShare()).isLessThan(0.5);
  }

  @Test
  void freeIdentitiesGainNothingWithALedgerAndAtMostTheirCapWithout() {
    AttackResult ledger = report.attack("free_identities");
    assertThat(ledger.capped()).isTrue();
    assertThat(ledger.maxGainPoints()).isZero();
    AttackHarness.Report embedded = AttackHarness.run(config.withProvisionalCap(20_000), ReputationConfig.defaults());
    assertThat(embedded.attack("free_identities").maxGainPoints()).isPositive();
  }

  @Test
  void feesNeverPaidBuyNoTrust() {
    AttackResult unpaid = report.attack("unpaid_fees");
    assertThat(unpaid.capped()).isTrue();
    // the same inflation as the malicious platform's at its genuine trust, not more
    assertThat(unpaid.maxGainPoints()).isLessThanOrEqualTo(report.attack("malicious_platform").maxGainPoints());
  }

  @Test
  void deterministicForASeed() {
    AttackHarness.Report again = AttackHarness.run(config, ReputationConfig.defaults());
    assertThat(again.attacks()).isEqualTo(report.attacks());
    assertThat(again.attacked()).isEqualTo(report.attacked());
  }
}
