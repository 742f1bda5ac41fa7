package io.fedsearch.privacy.node;

import io.fedsearch.core.time.SimClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.privacy.TestRandom;
import io.fedsearch.privacy.TestSigners;
import io.fedsearch.privacy.accounting.BudgetStatus;
import io.fedsearch.privacy.accounting.LedgerEntry;
import io.fedsearch.privacy.records.PaymentEvent;
import io.fedsearch.privacy.release.CreatorKey;
import io.fedsearch.privacy.release.EpochTree;
import io.fedsearch.privacy.release.InvalidReleaseException;
import io.fedsearch.privacy.release.ReleaseConfig;
import io.fedsearch.privacy.release.SignalRelease;
import io.fedsearch.privacy.release.SignedRelease;
import io.fedsearch.privacy.release.Unit;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continual release through the service: a steadily selling work that no single epoch would publish appears once a
 * tree node spans enough epochs and stays; a creator of many modest works is published while none of its works is;
 * each unit has its own budget line, charged once per epoch for the node that epoch released.
 */
@Timeout(120)
class ContinualReleaseTest {
  private static final ReleaseConfig CONFIG = ReleaseConfig.defaults();
  /** Day 0 is the first epoch of a tree (20576 = 643 × 32): node lengths run 1, 2, 1, 4, 1, 2, 1, 8, … */
  private static final long DAY0_EPOCH = 20576;
  private static final Instant DAY0 = Instant.ofEpochSecond(DAY0_EPOCH * 86400);
  private static final String STEADY = "bafkreisteady";

  @TempDir Path dir;

  /** 50 new payers a day buy STEADY; creator "Prolific" has 30 works, each bought by 10 payers a day. */
  private static void sellDay(PrivacyService p, int day) {
    Instant t = DAY0.plus(Duration.ofDays(day)).plusSeconds(60);
    List<PaymentEvent> batch = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      batch.add(new PaymentEvent(STEADY, "rSteady" + day + "x" + i, 1_000_000, t.plusSeconds(i), "Steady Maker"));
    }
    for (int w = 0; w < 30; w++) {
      for (int i = 0; i < 10; i++) {
        batch.add(new PaymentEvent("bafkreiwork" + w, "rFan" + day + "x" + w + "x" + i, 500_000, t.plusSeconds(i),
            "Prolific"));
      }
    }
    p.recordAll(batch);
  }

  @Test
  void steadySellersAppearAfterAFewEpochsAndCreatorsBeforeTheirWorks() throws Exception {
    SimClock clock = new SimClock(DAY0.plusSeconds(3600));
    try (PrivacyService p = PrivacyService.open(dir, TestSigners.fresh(), CONFIG, new TestRandom(11), clock)) {
      List<SignalRelease> out = new ArrayList<>();
      for (int day = 0; day < 12; day++) {
        sellDay(p, day);
        clock.advance(Duration.ofDays(1));
        List<SignedRelease> r = p.releaseDue();
        assertThat(r).hasSize(1);
        out.add(r.getFirst().release());
      }
      // τ of the CID unit is 86 (ε = 0.7, L = 2): 50 payers a day do not clear it in a one-day node.
      assertThat(out.get(0).row(STEADY)).isEmpty();
      // Day 1 closes the node of days 0..1 (100 payers): STEADY is published, and from then on stays (public).
      assertThat(out.get(1).row(STEADY)).isPresent();
      for (int day = 1; day < 12; day++) {
        assertThat(out.get(day).row(STEADY)).as("day %d", day).isPresent();
      }
      // Its running total covers the window: 50 × 12 payers, the noise of a few nodes aside.
      assertThat(out.get(11).row(STEADY).orElseThrow().noisyPayers()).isBetween(600L - 200, 600L + 200);
      // The creator unit (ε = 0.3, L = 2: τ = 211): 300 payers a day for Prolific clear it on day 0, though no work
      // (10 payers a day each) does.
      String prolific = CreatorKey.of("Prolific");
      assertThat(out.get(0).creatorRow(prolific)).isPresent();
      assertThat(out.get(0).rows()).noneMatch(r -> r.cid().startsWith("bafkreiwork"));
      assertThat(out.get(11).creatorRow(prolific).orElseThrow().noisyPayers()).isBetween(3600L - 300, 3600L + 300);
      assertThat(out.get(11).windowStart()).isEqualTo(DAY0_EPOCH - 32); // the previous tree's root is in the window
      assertThat(out.get(11).cidUnit().nodes()).isEqualTo(EpochTree.nodes(DAY0_EPOCH + 11, 6)).isEqualTo(3);
      // What reputation reads: every node's latest creator signal, by creator name.
      assertThat(p.releases().creatorSignals("Prolific")).singleElement()
          .satisfies(s -> assertThat(s.epoch()).isEqualTo(DAY0_EPOCH + 11));

      // One ledger line per unit per epoch, naming the node it released; each unit its own budget line.
      List<LedgerEntry> ledger = p.ledger();
      assertThat(ledger).hasSize(24);
      LedgerEntry day7 = ledger.get(14);
      assertThat(day7.spend().epoch()).isEqualTo(DAY0_EPOCH + 7);
      assertThat(day7.spend().nodeStart()).isEqualTo(DAY0_EPOCH);
      assertThat(day7.spend().nodeLength()).isEqualTo(8);
      Map<Unit, BudgetStatus> lines = p.budgetByUnit();
      assertThat(lines.get(Unit.CID).epsilon()).isEqualByComparingTo("8.4");
      assertThat(lines.get(Unit.CREATOR).epsilon()).isEqualByComparingTo("3.6");
      assertThat(lines.get(Unit.CID).releases()).isEqualTo(12);
      assertThat(p.budget().epsilon()).isEqualByComparingTo("12");
    }
  }

  /**
   * The platform's own listings are public before anyone pays: each has a row from the first release on, sold or
   * not, with no partition selection — a work with 50 payers a day shows in the first epoch's release.
   */
  @Test
  void catalogListingsAreReleasedWithoutPartitionSelection() throws Exception {
    SimClock clock = new SimClock(DAY0.plusSeconds(3600));
    try (PrivacyService p = PrivacyService.open(dir, TestSigners.fresh(), CONFIG, new TestRandom(14), clock)) {
      p.setCatalogDomain(() -> Map.of(STEADY, "Steady Maker", "bafkreiunsold", "Nobody Buys"));
      sellDay(p, 0);
      clock.advance(Duration.ofDays(1));
      SignalRelease r = p.releaseDue().getFirst().release();
      assertThat(r.row(STEADY).orElseThrow().noisyPayers()).isBetween(50L - 60, 50L + 60);
      assertThat(r.row("bafkreiunsold")).isPresent(); // pure noise, but present: absence would tell
      assertThat(r.creatorRow(CreatorKey.of("Nobody Buys"))).isPresent();
      assertThat(r.rows()).noneMatch(x -> x.cid().startsWith("bafkreiwork")); // not in the domain, below τ
    }
  }

  /** What a node keeps from others: only its own key's, only closed epochs, never older, at most two per node. */
  @Test
  void receivedReleasesAreCheckedAndKeptWithinTheQuota() throws Exception {
    SimClock clock = new SimClock(DAY0.plusSeconds(3600));
    List<SignedRelease> theirs = new ArrayList<>();
    var signer = TestSigners.fresh();
    try (PrivacyService p = PrivacyService.open(dir.resolve("a"), signer, CONFIG, new TestRandom(12), clock)) {
      for (int day = 0; day < 4; day++) {
        sellDay(p, day);
        clock.advance(Duration.ofDays(1));
        theirs.addAll(p.releaseDue());
      }
    }
    String key = theirs.getFirst().release().nodeKey();
    SimClock early = new SimClock(DAY0.plus(Duration.ofDays(2)).plusSeconds(3600));
    try (PrivacyService q = PrivacyService.open(dir.resolve("q"), TestSigners.fresh(), CONFIG, new TestRandom(13),
        early)) {
      SignalReleases r = q.releases();
      assertThatThrownBy(() -> r.accept(theirs.get(0).encode(), "ab".repeat(32)))
          .isInstanceOf(InvalidReleaseException.class).hasMessageContaining("not by the key of the peer");
      // Epoch day 2 closes at the end of day 2: this node's clock is at day 2 + 1 h.
      assertThatThrownBy(() -> r.accept(theirs.get(2).encode(), key))
          .isInstanceOf(InvalidReleaseException.class).hasMessageContaining("only closed epochs");
      r.accept(theirs.get(1).encode(), key);
      assertThatThrownBy(() -> r.accept(theirs.get(0).encode(), key))
          .isInstanceOf(InvalidReleaseException.class).hasMessageContaining("older than the one kept");
      early.advance(Duration.ofDays(3));
      r.accept(theirs.get(2).encode(), key);
      r.accept(theirs.get(3).encode(), key);
      assertThat(r.latestPerNode().get(key)).isEqualTo(theirs.get(3));
      // Quota: the oldest kept release of that node was dropped.
      assertThat(q.releases().ownEpochs()).isEmpty();
      assertThat(countStored(q, key)).isEqualTo(SignalReleases.KEPT_PER_NODE);
    }
  }

  private static long countStored(PrivacyService q, String key) throws Exception {
    var db = (io.fedsearch.privacy.store.PrivacyDb) readField(q, "db");
    return db.longs("SELECT COUNT(*) FROM signal_releases WHERE node_key = ?", key).getFirst();
  }

  private static Object readField(Object o, String name) throws Exception {
    var f = o.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(o);
  }
}
