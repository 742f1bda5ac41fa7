package io.fedsearch.web.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.web.http.NodeFixture;
import io.fedsearch.web.http.NodeServer;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running node nets on its own: two platforms that are also hubs each surface (and forward a user's purchase of)
 * the other's listing, so each owes the other a discovery fee; with {@code payments.netting_period_s} set and
 * payouts far off, the nodes' timers cancel the two debts against each other — both sides record the cycle and owe
 * nothing — before any payout channel carries them. Without the schedule the debts would wait to be paid.
 */
@Timeout(180)
class ScheduledNettingTest {
  @TempDir Path dir;

  private static RunningNode node(Path dir, String platform, String title, List<io.fedsearch.federation.p2p.Multiaddr>
      bootstrap) throws Exception {
    NodeDirectory d = NodeDirectory.init(dir, platform);
    d.putSettings("hub", Map.of("enabled", true));
    // netting every second; payouts only far off, so the debts are there to net
    d.putSettings("payments", Map.of("netting_period_s", 1, "payout_min_drops", 1_000_000_000_000L,
        "payout_max_delay_s", 864_000));
    RunningNode n = RunningNode.start(d, new RunningNode.Options(0, bootstrap, null));
    NodeFixture.importInto(n, HubNetwork.catalog(title));
    return n;
  }

  @Test
  void mutualDiscoveryFeesAreNettedByTheNodesTimers() throws Exception {
    try (RunningNode alpha = node(dir.resolve("alpha"), "alpha", "Alpha kettle", List.of());
        RunningNode beta = node(dir.resolve("beta"), "beta", "Beta kettle", alpha.host().listenAddresses());
        NodeServer alphaHttp = NodeServer.start(alpha, "127.0.0.1", 0, 1 << 20);
        NodeServer betaHttp = NodeServer.start(beta, "127.0.0.1", 0, 1 << 20);
        WalletBuyer viaAlpha = WalletBuyer.open(dir.resolve("u1"), "http://127.0.0.1:" + alphaHttp.port(),
            20_000_000);
        WalletBuyer viaBeta = WalletBuyer.open(dir.resolve("u2"), "http://127.0.0.1:" + betaHttp.port(),
            20_000_000)) {
      NodePublicKey a = alpha.local().key().publicKey();
      NodePublicKey b = beta.local().key().publicKey();
      // alpha surfaced beta's work (its token) and forwards the purchase: beta owes alpha a discovery fee
      String betaWork = HubNetwork.cid(beta, "Beta kettle");
      WalletBuyer.receipt(viaAlpha.buy(betaWork, beta.host().peerId().toString(), HubNetwork.PRICE,
          HubUser.token(alpha.local().key(), betaWork)));
      // and the other way round: alpha owes beta
      String alphaWork = HubNetwork.cid(alpha, "Alpha kettle");
      WalletBuyer.receipt(viaBeta.buy(alphaWork, alpha.host().peerId().toString(), HubNetwork.PRICE,
          HubUser.token(beta.local().key(), alphaWork)));
      long fee = beta.payments().fees().of(a).map(FeeBook.Owed::accrued).orElse(0L);
      assertThat(fee).as("beta owes alpha a discovery fee").isPositive();
      assertThat(alpha.payments().fees().of(b).map(FeeBook.Owed::accrued).orElse(0L)).isEqualTo(fee);

      Awaitility.await("the nodes' timers net the two debts").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500)).until(() ->
              beta.payments().fees().of(a).map(FeeBook.Owed::due).orElse(-1L) == 0
                  && alpha.payments().fees().of(b).map(FeeBook.Owed::due).orElse(-1L) == 0);
      for (RunningNode n : List.of(alpha, beta)) {
        FeeBook.Owed owed = n.payments().fees().of(n == alpha ? b : a).orElseThrow();
        assertThat(owed.netted()).as("netted, not paid").isEqualTo(fee);
        assertThat(owed.paid()).isZero();
      }
    }
  }
}
