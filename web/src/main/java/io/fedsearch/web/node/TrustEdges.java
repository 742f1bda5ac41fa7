package io.fedsearch.web.node;

import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.reputation.model.PlatformEdge;
import io.fedsearch.core.keys.NodePublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The trust edges this platform's fee book vouches for: one per node it owes discovery fees, carrying the value that
 * moved to that node (paid through payout claims, or offset by netting) and, apart, what was accrued. Reputation
 * trusts only the value that moved: fees accrued from sales whose payments never settle would otherwise let a node
 * buy trust with nothing.
 */
final class TrustEdges {
  private TrustEdges() {}

  static List<PlatformEdge> of(NodePublicKey self, List<FeeBook.Owed> fees) {
    List<PlatformEdge> edges = new ArrayList<>();
    for (FeeBook.Owed o : fees) {
      if (o.accrued() <= 0 || o.node().equals(self)) {
        continue;
      }
      long moved = Math.min(o.accrued(), Math.max(0, o.paid()) + Math.max(0, o.netted()));
      edges.add(new PlatformEdge(self, o.node(), moved, o.accrued()));
    }
    return edges;
  }
}
