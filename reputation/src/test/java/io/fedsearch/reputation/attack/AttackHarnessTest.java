package io.fedsearch.reputation.attack;

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
  void everyAttackCostsTenTimesTheHonestRiseOrIsCapped() {
    assertThat(report.attacked()).hasSizeGreaterThanOrEqualTo(3);
    for (AttackResult a : report.attacks()) {
      assertThat(a.meetsGoal()).as(a.toString()).isTrue();
      if (a.capped() && Double.isNaN(a.costPerPoint())) {
        assertThat(a.maxGainPoints()).as(a.attack()).isLessThan(10);
      } else {
        assertThat(a.ratio()).as(a.attack()).isGreaterThanOrEqualTo(AttackHarness.GOAL_RATIO);
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
  void deterministicForASeed() {
    AttackHarness.Report again = AttackHarness.run(config, ReputationConfig.defaults());
    assertThat(again.attacks()).isEqualTo(report.attacks());
    assertThat(again.attacked()).isEqualTo(report.attacked());
  }
}
