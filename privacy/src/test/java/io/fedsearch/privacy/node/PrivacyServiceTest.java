package io.fedsearch.privacy.node;

import io.fedsearch.core.time.SimClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.privacy.TestRandom;
import io.fedsearch.privacy.TestSigners;
import io.fedsearch.privacy.accounting.BudgetExceededException;
import io.fedsearch.privacy.accounting.BudgetStatus;
import io.fedsearch.privacy.accounting.LedgerEntry;
import io.fedsearch.privacy.records.PaymentEvent;
import io.fedsearch.privacy.release.InvalidReleaseException;
import io.fedsearch.privacy.release.Mechanism;
import io.fedsearch.privacy.release.ReleaseConfig;
import io.fedsearch.privacy.release.SignalRow;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.privacy.release.Unit;
import io.fedsearch.privacy.signing.RecordSigner;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The node-facing service end to end: record → release → ledger → serve → another node accepts. */
@Timeout(120)
class PrivacyServiceTest {
  private static final Instant DAY0 = Instant.parse("2026-05-01T00:00:00Z");
  private static final String POPULAR = "bafkreipopular";
  private static final String OBSCURE = "bafkreiobscure";

  @TempDir Path dir;

  /** 400 payers buy POPULAR (2 XRP each), one payer buys OBSCURE. */
  private static void fillDay(PrivacyService p, Instant day) {
    List<PaymentEvent> batch = new java.util.ArrayList<>();
    for (int i = 0; i < 400; i++) {
      batch.add(new PaymentEvent(POPULAR, "rPayer" + i, 2_000_000, day.plusSeconds(60 + i)));
    }
    p.recordAll(batch);
    p.record(new PaymentEvent(OBSCURE, "rLonely", 5_000_000, day.plusSeconds(7)));
  }

  @Test
  void recordReleaseServeAndVerifyElsewhere() throws Exception {
    RecordSigner signer = TestSigners.fresh();
    SimClock clock = new SimClock(DAY0.plusSeconds(3600));
    ReleaseConfig config = ReleaseConfig.defaults();
    long epoch = config.epochOf(DAY0.getEpochSecond());
    SignedRelease released;
    try (PrivacyService p = PrivacyService.open(dir, signer, config, new TestRandom(7), clock)) {
      fillDay(p, DAY0);
      assertThatThrownBy(() -> p.release(epoch)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not closed yet");
      clock.advance(Duration.ofDays(1));
      released = p.release(epoch);
      assertThat(released.verifies()).isTrue();
      assertThat(released.release().nodeKey()).isEqualTo(HexFormat.of().formatHex(signer.publicKey()));
      assertThat(released.release().epsilon()).isEqualByComparingTo("1");
      assertThat(released.release().cidUnit().maxKeysPerPayer()).isEqualTo(2);
      // Popular CID: 400 payers, above the CID unit's threshold (ε=0.7, L=2: 1+⌈(40/7)·ln(2/7e-7)⌉ = 86),
      // Laplace(40/7) noise.
      SignalRow row = released.release().row(POPULAR).orElseThrow();
      assertThat(row.noisyPayers()).isBetween(400L - 200, 400L + 200);
      // Obscure CID: one payer, under the threshold: never released.
      assertThat(released.release().row(OBSCURE)).isEmpty();
      // Second release of the same epoch is refused; nothing more is spent.
      assertThatThrownBy(() -> p.release(epoch)).hasMessageContaining("already released");
      List<LedgerEntry> ledger = p.ledger();
      assertThat(ledger).hasSize(2); // one line per unit
      assertThat(ledger.get(0).spend().epoch()).isEqualTo(epoch);
      assertThat(ledger.get(0).spend().unit()).isEqualTo(Unit.CID);
      assertThat(ledger.get(1).spend().unit()).isEqualTo(Unit.CREATOR);
      assertThat(ledger.get(0).spend().mechanism()).isEqualTo(Mechanism.LAPLACE);
      assertThat(ledger.get(0).note()).endsWith(", 1 rows");
      assertThat(p.releases().ownJson(epoch)).contains(released.json());
      assertThat(p.releases().latest()).contains(released);
      assertThat(p.releases().payerSignal(POPULAR)).isEqualTo(row.noisyPayers());
      assertThat(p.releases().payerSignal(OBSCURE)).isZero();
    }
    // Durable: reopen and everything is still there.
    try (PrivacyService p = PrivacyService.open(dir, signer, config, new TestRandom(8), clock)) {
      assertThat(p.ledger()).hasSize(2);
      assertThat(p.releases().own(epoch)).contains(released);
      assertThat(p.budget().epsilon()).isEqualByComparingTo("1");
    }
    // Another node accepts the release over the wire and serves the signal for ranking.
    Path other = dir.resolve("other");
    try (PrivacyService q = PrivacyService.open(other, TestSigners.fresh(), config, new TestRandom(9), clock)) {
      String peer = released.release().nodeKey();
      SignedRelease got = q.releases().accept(released.encode(), peer);
      assertThat(got).isEqualTo(released);
      assertThat(q.releases().accept(released.encode(), peer)).isEqualTo(released); // idempotent
      assertThat(q.releases().signals(POPULAR)).singleElement()
          .satisfies(s -> assertThat(s.nodeKey()).isEqualTo(released.release().nodeKey()));
      assertThat(q.releases().latest()).isEmpty(); // q has released nothing itself
      byte[] tampered = new String(released.encode(), StandardCharsets.UTF_8)
          .replace("\"threshold\":", "\"threshold\":9").getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> q.releases().accept(tampered, peer)).isInstanceOf(InvalidReleaseException.class);
    }
  }

  @Test
  void productionOpenUsesSecureRandomAndTheSystemClock() throws Exception {
    RecordSigner signer = TestSigners.fresh();
    Instant twoDaysAgo = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(2));
    try (PrivacyService p = PrivacyService.open(dir, signer, ReleaseConfig.defaults())) {
      fillDay(p, twoDaysAgo);
      long epoch = p.config().epochOf(twoDaysAgo.getEpochSecond());
      assertThat(epoch).isLessThan(p.currentEpoch());
      SignedRelease r = p.release(epoch);
      assertThat(SignedRelease.decode(r.encode()).release().row(POPULAR)).isPresent();
      assertThat(p.releases().ownJson(epoch)).isPresent();
    }
  }

  @Test
  void conflictingReleaseFromTheSameNodeIsRefused() throws Exception {
    RecordSigner signer = TestSigners.fresh();
    SimClock clock = new SimClock(DAY0.plus(Duration.ofDays(2)));
    ReleaseConfig config = ReleaseConfig.defaults();
    long epoch = config.epochOf(DAY0.getEpochSecond());
    SignedRelease a;
    SignedRelease b;
    try (PrivacyService p = PrivacyService.open(dir.resolve("a"), signer, config, new TestRandom(1), clock)) {
      fillDay(p, DAY0);
      a = p.release(epoch);
    }
    try (PrivacyService p = PrivacyService.open(dir.resolve("b"), signer, config, new TestRandom(2), clock)) {
      fillDay(p, DAY0);
      b = p.release(epoch);
    }
    assertThat(a.encode()).isNotEqualTo(b.encode());
    try (PrivacyService q = PrivacyService.open(dir.resolve("q"), TestSigners.fresh(), config, new TestRandom(3),
        clock)) {
      q.releases().accept(a.encode(), a.release().nodeKey());
      assertThatThrownBy(() -> q.releases().accept(b.encode(), b.release().nodeKey()))
          .isInstanceOf(InvalidReleaseException.class)
          .hasMessageContaining("conflicting release");
      assertThat(q.releases().latestPerNode().values()).containsExactly(a);
    }
  }

  @Test
  void lifetimeBudgetStopsReleasesAndTheRefusalSpendsNothing() throws Exception {
    SimClock clock = new SimClock(DAY0.plus(Duration.ofDays(5)));
    ReleaseConfig config = ReleaseConfig.defaults().withLifetime(new BigDecimal("3"), new BigDecimal("1e-4"));
    try (PrivacyService p = PrivacyService.open(dir, TestSigners.fresh(), config, new TestRandom(4), clock)) {
      fillDay(p, DAY0);
      // Epochs DAY0..DAY0+4 are closed: 3 fit the budget, the 4th is refused with the figures.
      assertThatThrownBy(p::releaseDue).isInstanceOf(BudgetExceededException.class)
          .hasMessageContaining("release of epoch " + (config.epochOf(DAY0.getEpochSecond()) + 3) + " refused")
          .hasMessageContaining("privacy.lifetime-epsilon=3 would be exceeded");
      assertThat(p.ledger()).hasSize(6); // two units per epoch
      assertThat(p.releases().ownEpochs()).hasSize(3);
      BudgetStatus s = p.budget();
      assertThat(s.epsilon()).isEqualByComparingTo("3");
      assertThat(s.remainingEpsilon()).isEqualByComparingTo("0");
      // Epochs nobody paid in are released too (skipping them would reveal that nobody paid); a release holds
      // running totals over its window, so it still carries the earlier day's sales.
      long quiet = config.epochOf(DAY0.getEpochSecond()) + 1;
      assertThat(p.releases().own(quiet)).isPresent();
      assertThat(p.ledger().stream().filter(l -> l.spend().epoch() == quiet)).hasSize(2);
    }
  }

  @Test
  void gaussianReleaseAccountsInRho() throws Exception {
    SimClock clock = new SimClock(DAY0.plus(Duration.ofDays(1)));
    ReleaseConfig config = ReleaseConfig.defaults().withMechanism(Mechanism.GAUSSIAN);
    try (PrivacyService p = PrivacyService.open(dir, TestSigners.fresh(), config, new TestRandom(5), clock)) {
      fillDay(p, DAY0);
      SignedRelease r = p.release(config.epochOf(DAY0.getEpochSecond()));
      assertThat(r.release().mechanism()).isEqualTo(Mechanism.GAUSSIAN);
      assertThat(r.release().row(POPULAR)).isPresent();
      assertThat(r.release().row(OBSCURE)).isEmpty();
      LedgerEntry e = p.ledger().get(0);
      assertThat(e.spend().rho().signum()).isPositive();
      assertThat(e.spend().selectionDelta()).isEqualByComparingTo("3.5e-7"); // half of the CID unit's δ = 7e-7
      assertThat(p.budget().epsilon().doubleValue()).isLessThan(1.0);
    }
  }

  @Test
  void contributionBoundingCapsHeavyPayers() throws Exception {
    SimClock clock = new SimClock(DAY0.plus(Duration.ofDays(1)));
    ReleaseConfig config = ReleaseConfig.defaults().withBounds(2, 1_000_000);
    try (PrivacyService p = PrivacyService.open(dir, TestSigners.fresh(), config, new TestRandom(6), clock)) {
      // 1000 payers each buy 5 distinct CIDs, 9 XRP each: each counts for only 2 CIDs, 1 XRP per CID.
      List<PaymentEvent> batch = new java.util.ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        for (int c = 0; c < 5; c++) {
          batch.add(new PaymentEvent("bafkreic" + c, "rHeavy" + i, 9_000_000, DAY0.plusSeconds(i * 10L + c)));
        }
      }
      p.recordAll(batch);
      SignedRelease r = p.release(config.epochOf(DAY0.getEpochSecond()));
      assertThat(r.release().rows()).hasSize(5); // ~400 bounded payers each, far above τ = 86 (ε = 0.7, L = 2)
      long totalPayers = r.release().rows().stream().mapToLong(SignalRow::noisyPayers).sum();
      // Bounded truth: exactly 2000 payer-CID pairs (unbounded would be 5000). Noise: Laplace(40/7) on 5 rows.
      assertThat(totalPayers).isBetween(2000L - 100, 2000L + 100);
      for (SignalRow row : r.release().rows()) {
        // Each row's true sum is ≤ payers × 1 XRP; noise on sums is Laplace(40/7 XRP).
        assertThat(row.noisySum()).isLessThan(row.noisyPayers() * 1_000_000L + 100_000_000L);
      }
    }
  }
}
