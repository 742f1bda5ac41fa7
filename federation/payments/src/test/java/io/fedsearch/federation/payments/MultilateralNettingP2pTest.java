package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.core.time.SimClock;
import io.fedsearch.federation.payments.netting.CycleCoordinator;
import io.fedsearch.federation.payments.netting.CycleJournal;
import io.fedsearch.federation.payments.payout.FeeBook;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-cycle of discovery-fee debts cancelled between three nodes on real libp2p hosts (the payout protocol over
 * loopback), first with every message delivered, then with the last acknowledgement lost on the way back.
 */
@Timeout(180)
class MultilateralNettingP2pTest {
  @TempDir Path dir;
  SimClock clock = new SimClock(Instant.parse("2026-03-01T00:00:00Z"));
  P2pPayments fed;

  @BeforeEach
  void start() throws Exception {
    fed = new P2pPayments(dir, 3, PaymentsConfig.defaults().withDiscoveryShareBps(1000)
        .withPayoutBatching(1_000_000_000, Duration.ofDays(30)), clock);
    // sales accrued these fees: 0 owes 1, 1 owes 2, 2 owes 0
    owe(0, 1, 7_000);
    owe(1, 2, 4_000);
    owe(2, 0, 9_000);
  }

  @AfterEach
  void stop() {
    fed.close();
  }

  void owe(int debtor, int creditor, long amount) {
    fed.nodes.get(debtor).db().write(FeeBook.accrue(fed.keys.get(creditor).publicKey(), amount,
        clock.instant()));
  }

  long due(int debtor, int creditor) {
    return fed.nodes.get(debtor).fees().of(fed.keys.get(creditor).publicKey()).map(FeeBook.Owed::due)
        .orElse(0L);
  }

  void assertCancelledOnce() {
    assertThat(due(0, 1)).isEqualTo(3_000);
    assertThat(due(1, 2)).isZero();
    assertThat(due(2, 0)).isEqualTo(5_000);
    for (Payments p : fed.nodes) {
      assertThat(p.cycles().history()).singleElement().satisfies(r -> {
        assertThat(r.amount()).isEqualTo(4_000);
        r.statement().verifyAll(r.signatures());
      });
    }
  }

  @Test
  void aThreeCycleIsCancelledOverLibp2p() {
    List<CycleCoordinator.Outcome> out = fed.nodes.get(0).payouts().netCycles();
    assertThat(out).singleElement().satisfies(o -> {
      assertThat(o.status()).isEqualTo("done");
      assertThat(o.parties()).hasSize(3);
    });
    assertCancelledOnce();
    assertThat(fed.nodes.get(1).cycles().history()).extracting(CycleJournal.Row::state).containsExactly("recorded");
  }

  @Test
  void aLostAcknowledgementOverLibp2pIsRecovered() {
    // exchanges from 0: two declarations, two sign requests, two commits — the last commit's answer is lost
    fed.loseResponseAfter.set(5);
    assertThat(fed.nodes.get(0).payouts().netCycles()).singleElement()
        .satisfies(o -> assertThat(o.status()).isEqualTo("committed"));
    assertThat(fed.nodes.get(2).cycles().history()).extracting(CycleJournal.Row::state).containsExactly("recorded");
    clock.advance(Duration.ofHours(3));
    assertThat(fed.nodes.get(0).payouts().netCycles()).extracting(CycleCoordinator.Outcome::status)
        .containsExactly("done");
    assertCancelledOnce();
  }
}
