package io.fedsearch.reputation.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fedsearch.reputation.model.ReputationConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScoreEngineTest {
  /** k = 1, no cap in the way, threshold 0 unless given: each property isolated. */
  private static final ReputationConfig BASE = ReputationConfig.defaults().withPeakEpochs(1)
      .withPlatformEvidenceCap(1e9).withHalfLifeEpochs(10);
  private static final double[] ONE = {1.0, 1.0, 1.0, 1.0};

  private static CreatorScore score(ReputationConfig cfg, SignalTable t, int epoch, double[] w) {
    t.ensureCreators(1);
    return new ScoreEngine(cfg).explain(t, ScoreEngine.index(t), 0, epoch, w);
  }

  private static SignalTable oneRow(int epoch, double payers, double sum, double sd, double threshold) {
    SignalTable t = new SignalTable(4);
    int r = t.addRelease(0, epoch, sd, sd * 1000, threshold);
    t.addRow(0, r, payers, sum);
    return t;
  }

  @Test
  void aNewIdentityScoresZeroWithNoWidth() {
    SignalTable t = new SignalTable(1);
    CreatorScore s = score(BASE, t, 5, ONE);
    assertThat(s.score()).isZero();
    assertThat(s.low()).isZero();
    assertThat(s.high()).isZero();
  }

  @Test
  void scoreFollowsTheFormulaAndDiminishes() {
    CreatorScore s = score(BASE, oneRow(3, 200, 200_000, 0, 0), 3, ONE);
    assertThat(s.evidence()).isCloseTo(200, within(1e-9));
    assertThat(s.score()).isCloseTo(50, within(1e-9)); // K = 200
    double k = BASE.halfScoreEvidence();
    assertThat(ScoreFunction.score(200, k) - ScoreFunction.score(100, k))
        .isLessThan(ScoreFunction.score(100, k) - ScoreFunction.score(0, k));
    assertThat(ScoreFunction.evidenceFor(ScoreFunction.score(37, k), k)).isCloseTo(37, within(1e-9));
  }

  @Test
  void evidenceHalvesAfterOneHalfLife() {
    double now = score(BASE, oneRow(20, 80, 80_000, 0, 0), 20, ONE).evidence();
    double old = score(BASE, oneRow(10, 80, 80_000, 0, 0), 20, ONE).evidence();
    double twice = score(BASE, oneRow(0, 80, 80_000, 0, 0), 20, ONE).evidence();
    assertThat(old / now).isCloseTo(0.5, within(1e-6));
    assertThat(twice / now).isCloseTo(0.25, within(1e-6));
    // releases from after the scoring epoch are not read
    assertThat(score(BASE, oneRow(21, 80, 80_000, 0, 0), 20, ONE).evidence()).isZero();
  }

  @Test
  void intervalWidensWithNoiseAndNarrowsWithEvidence() {
    CreatorScore quiet = score(BASE, oneRow(0, 60, 60_000, 1, 0), 0, ONE);
    CreatorScore noisy = score(BASE, oneRow(0, 60, 60_000, 20, 0), 0, ONE);
    assertThat(noisy.score()).isEqualTo(quiet.score());
    assertThat(noisy.high() - noisy.low()).isGreaterThan(quiet.high() - quiet.low());
    assertThat(quiet.low()).isLessThan(quiet.score());
    assertThat(quiet.high()).isGreaterThan(quiet.score());
    // relative width of the evidence interval shrinks with more evidence (sampling error ~ sqrt(X))
    CreatorScore small = score(BASE, oneRow(0, 20, 20_000, 1, 0), 0, ONE);
    CreatorScore large = score(BASE, oneRow(0, 2_000, 2_000_000, 1, 0), 0, ONE);
    assertThat(large.evidenceStddev() / large.evidence()).isLessThan(small.evidenceStddev() / small.evidence());
  }

  @Test
  void amountsAreClampedAtCreditedDropsPerPayer() {
    long m = BASE.creditedDropsPerPayer();
    double full = score(BASE, oneRow(0, 50, 50 * m, 0, 0), 0, ONE).evidence();
    double whales = score(BASE, oneRow(0, 50, 50 * m * 1000, 0, 0), 0, ONE).evidence();
    double cheap = score(BASE, oneRow(0, 50, 50 * m / 10, 0, 0), 0, ONE).evidence();
    assertThat(whales).isEqualTo(full);
    assertThat(cheap).isCloseTo(full / 10, within(1e-9));
  }

  @Test
  void aTooNoisySumIsIgnoredRatherThanCuttingRowsAtRandom() {
    long m = BASE.creditedDropsPerPayer();
    SignalTable t = new SignalTable(2);
    // sum noise of 100 payers (> the limit of 30): the cheap sum cannot be trusted either way
    t.addRow(0, t.addRelease(0, 0, 1, 100.0 * m, 0), 50, 50 * m / 10);
    assertThat(score(BASE, t, 0, ONE).evidence()).isCloseTo(50, within(1e-9));
    assertThat(score(BASE.withAmountNoiseLimit(1_000), t, 0, ONE).evidence()).isCloseTo(5, within(1e-9));
  }

  @Test
  void thresholdIsTakenOffOncePerPlatformEpoch() {
    SignalTable t = new SignalTable(4);
    int r = t.addRelease(0, 0, 0, 0, 25);
    t.addRow(0, r, 40, 40_000);
    t.addRow(0, r, 30, 30_000);
    // G = 40 + (30 / L) - 25 with L = 10
    assertThat(score(BASE, t, 0, ONE).evidence()).isCloseTo(18, within(1e-9));
    assertThat(score(BASE, oneRow(0, 20, 20_000, 0, 25), 0, ONE).evidence()).isZero();
  }

  @Test
  void reusingTheSamePayersInMoreEpochsAddsNothing() {
    ReputationConfig cfg = BASE.withPeakEpochs(2).withHalfLifeEpochs(1e5);
    SignalTable two = new SignalTable(8);
    SignalTable six = new SignalTable(8);
    for (int e = 0; e < 6; e++) {
      int r6 = six.addRelease(0, e, 0, 0, 0);
      six.addRow(0, r6, 50, 50_000);
      if (e >= 4) {
        int r2 = two.addRelease(0, e, 0, 0, 0);
        two.addRow(0, r2, 50, 50_000);
      }
    }
    assertThat(score(cfg, six, 5, ONE).evidence()).isCloseTo(score(cfg, two, 5, ONE).evidence(), within(1e-6));
    // one epoch alone counts 1/k
    assertThat(score(cfg, oneRow(5, 50, 50_000, 0, 0), 5, ONE).evidence()).isCloseTo(25, within(1e-6));
  }

  @Test
  void otherPlatformsAndTrustWeightsAndCap() {
    ReputationConfig cfg = BASE.withPlatformEvidenceCap(300);
    SignalTable t = new SignalTable(4);
    t.addRow(0, t.addRelease(0, 0, 0, 0, 0), 100, 100_000);
    t.addRow(0, t.addRelease(1, 0, 0, 0, 0), 100, 100_000);
    t.addRow(0, t.addRelease(2, 0, 0, 0, 0), 10_000, 10_000_000);
    CreatorScore s = score(cfg, t, 0, new double[] {1.0, 1.0, 0.2});
    // platform 2: capped at 300, weighted 0.2 → 60; best is platform 0 or 1 (100), others count 0.1
    assertThat(s.evidence()).isCloseTo(100 + 0.1 * (100 + 60), within(1e-9));
    assertThat(s.platforms()).hasSize(3);
    double credited = s.platforms().stream().mapToDouble(PlatformContribution::credited).sum();
    assertThat(credited).isCloseTo(s.evidence(), within(1e-9));
  }

  @Test
  void scoresAreMonotoneInEveryRow() {
    ReputationConfig cfg = ReputationConfig.defaults();
    SplittableRandom rng = new SplittableRandom(7);
    for (int trial = 0; trial < 200; trial++) {
      SignalTable t = new SignalTable(64);
      int releases = 1 + rng.nextInt(12);
      for (int i = 0; i < releases; i++) {
        t.addRelease(rng.nextInt(3), rng.nextInt(10), rng.nextDouble() * 5, rng.nextDouble() * 5000, rng.nextInt(30));
      }
      int rows = 1 + rng.nextInt(30);
      for (int i = 0; i < rows; i++) {
        t.addRow(0, rng.nextInt(releases), rng.nextInt(120) - 10, rng.nextInt(200_000) - 20_000);
      }
      double[] w = {1.0, rng.nextDouble(), rng.nextDouble()};
      double before = score(cfg, t, 9, w).score();
      int r = rng.nextInt(rows);
      double addPayers = rng.nextInt(50);
      t.setRow(r, t.rowPayers(r) + addPayers, t.rowSum(r) + addPayers * rng.nextInt(3_000));
      assertThat(score(cfg, t, 9, w).score()).isGreaterThanOrEqualTo(before - 1e-9);
    }
  }

  @Test
  void bulkRecomputeMatchesExplainForEveryCreator() {
    ReputationConfig cfg = ReputationConfig.defaults();
    SplittableRandom rng = new SplittableRandom(11);
    SignalTable t = new SignalTable(5_000);
    for (int p = 0; p < 3; p++) {
      for (int e = 0; e < 8; e++) {
        t.addRelease(p, e, 2.7, 28_000, 25);
      }
    }
    for (int i = 0; i < 5_000; i++) {
      t.addRow(rng.nextInt(700), rng.nextInt(24), 20 + rng.nextInt(80), rng.nextInt(500_000));
    }
    t.ensureCreators(1_000);
    double[] w = {1.0, 0.6, 0.1};
    ScoreEngine engine = new ScoreEngine(cfg);
    ScoreResult all = engine.computeAll(t, w, 7);
    for (int c = 0; c < 1_000; c++) {
      CreatorScore one = engine.explain(t, all.index(), c, 7, w);
      assertThat((double) all.score()[c]).isCloseTo(one.score(), within(1e-4));
      assertThat((double) all.lo()[c]).isCloseTo(one.low(), within(1e-4));
      assertThat((double) all.hi()[c]).isCloseTo(one.high(), within(1e-4));
    }
    assertThat(all.score()[999]).isZero();
  }

  @Test
  void aCreatorUnitRowCountsEachPayerOnceAndReplacesThatPlatformsCidRows() {
    // three CIDs of one creator, each bought by the same 50 payers: the CID rows credit 50 + 2·50/L
    SignalTable cids = new SignalTable(8);
    int r = cids.addRelease(0, 4, 0, 0, 0);
    for (int i = 0; i < 3; i++) {
      cids.addRow(0, r, 50, 50_000);
    }
    assertThat(score(BASE, cids, 4, ONE).evidence()).isCloseTo(50 + 2 * 50.0 / BASE.maxCidsPerPayer(), within(1e-6));
    // the creator unit knows they are 50 people: its row alone is read for that platform and epoch
    int u = cids.addCreatorRelease(0, 4, 1, 1, 0, 0, 0);
    cids.addRow(0, u, 50, 50_000);
    assertThat(score(BASE, cids, 4, ONE).evidence()).isCloseTo(50, within(1e-6));
    // another platform's CID rows still count (at β_P)
    int other = cids.addRelease(1, 4, 0, 0, 0);
    cids.addRow(0, other, 20, 20_000);
    assertThat(score(BASE, cids, 4, ONE).evidence()).isCloseTo(50 + BASE.otherPlatformWeight() * 20, within(1e-6));
  }

  @Test
  void aRunningTotalCountsPerEpochOfItsWindowAndAtMostTwoNodes() {
    // 40 payers a day over a 32-epoch window of 2 tree nodes: 40 a day
    SignalTable two = new SignalTable(2);
    two.addRow(0, two.addCreatorRelease(0, 40, 32, 2, 0, 0, 0), 40 * 32, 40 * 32 * 1000);
    assertThat(score(BASE, two, 40, ONE).evidence()).isCloseTo(40, within(1e-6));
    // the same total in a window of 6 nodes: one identity buying in each node would be counted 6 times, so the
    // window is credited as if it had 2
    SignalTable six = new SignalTable(2);
    six.addRow(0, six.addCreatorRelease(0, 40, 32, 6, 0, 0, 0), 40 * 32, 40 * 32 * 1000);
    assertThat(score(BASE, six, 40, ONE).evidence()).isCloseTo(40 * 2 / 6.0, within(1e-6));
    // τ is taken off once per window
    SignalTable tau = new SignalTable(2);
    tau.addRow(0, tau.addCreatorRelease(0, 40, 32, 2, 0, 0, 64), 40 * 32, 40 * 32 * 1000);
    assertThat(score(BASE, tau, 40, ONE).evidence()).isCloseTo(40 - 2, within(1e-6));
  }
}
