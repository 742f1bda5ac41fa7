package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.PeerId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A peer id's text ({@code 12D3KooW…}), remembered: base58 goes through BigInteger division and showed up as 4% of
 * a federated query's CPU when recomputed for every status, listing and routing decision.
 */
final class PeerNames {
  private static final int CAPACITY = 10_000;
  private static final Map<PeerId, String> NAMES = new ConcurrentHashMap<>();

  private PeerNames() {}

  static String of(PeerId peer) {
    String name = NAMES.get(peer);
    if (name == null) {
      if (NAMES.size() >= CAPACITY) {
        NAMES.clear(); // peers seen once long ago: recomputing their names is cheap enough
      }
      name = peer.toString();
      NAMES.put(peer, name);
    }
    return name;
  }
}
