package io.fedsearch.web.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.reputation.model.PlatformEdge;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a node's fee book tells reputation: trust only for value that moved. */
class TrustEdgesTest {
  private static NodePublicKey key(int b) {
    byte[] seed = new byte[32];
    seed[0] = (byte) b;
    return NodeKey.fromSeed(seed).publicKey();
  }

  private static FeeBook.Owed owed(NodePublicKey node, long accrued, long paid, long netted) {
    return new FeeBook.Owed(node, accrued, paid, netted, Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  @Test
  void feesAccruedButNeverPaidVouchForNothing() {
    NodePublicKey self = key(1);
    NodePublicKey paid = key(2);
    NodePublicKey unpaid = key(3);
    List<PlatformEdge> edges = TrustEdges.of(self, List.of(owed(paid, 10_000, 6_000, 1_500),
        owed(unpaid, 1_000_000_000L, 0, 0), owed(self, 5, 5, 0)));
    assertThat(edges).containsExactly(new PlatformEdge(self, paid, 7_500, 10_000),
        new PlatformEdge(self, unpaid, 0, 1_000_000_000L));
  }
}
