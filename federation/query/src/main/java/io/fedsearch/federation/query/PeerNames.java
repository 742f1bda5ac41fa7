package io.fedsearch.federation.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fedsearch.federation.p2p.PeerId;

/**
 * A peer id's text ({@code 12D3KooW…}), remembered: base58 goes through BigInteger division and showed up as 4% of
 * a federated query's CPU when recomputed for every status, listing and routing decision.
 */
final class PeerNames {
  /** Bounded: peers seen once long ago are dropped first, and recomputing a name is cheap enough. */
  private static final Cache<PeerId, String> NAMES = Caffeine.newBuilder().maximumSize(10_000)
      .executor(Runnable::run).build();

  private PeerNames() {}

  static String of(PeerId peer) {
    return NAMES.get(peer, PeerId::toString);
  }
}
