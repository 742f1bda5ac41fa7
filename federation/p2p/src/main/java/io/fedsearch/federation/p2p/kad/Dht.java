package io.fedsearch.federation.p2p.kad;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.PeerInfo;
import io.fedsearch.core.cid.Cid;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The DHT as the rest of fedsearch uses it. Calls block (run them on virtual threads) and are bounded by their
 * timeout or the configured request timeout per peer.
 */
public interface Dht {
  /** Announces this host as a provider of {@code cid} (keyed by its multihash) to the k closest peers; republished. */
  int provide(Cid cid);

  /** Stops republishing {@code cid}; existing records expire on their own. */
  void stopProviding(Cid cid);

  /** Providers of {@code cid}: local records first, then an iterative lookup until {@code limit} are found. */
  List<PeerInfo> findProviders(Cid cid, int limit, Duration timeout);

  /** Addresses of {@code peer}: from the peer store, else an iterative FIND_NODE lookup. */
  Optional<PeerInfo> findPeer(PeerId peer, Duration timeout);

  /** The k peers closest to {@code key} found by an iterative lookup. */
  List<PeerId> closestPeers(byte[] key, Duration timeout);

  /** Validates and stores a record locally and on the k closest peers; returns how many peers accepted it. */
  int putValue(byte[] key, byte[] value);

  /** The best valid value for {@code key} from local storage or the network. */
  Optional<byte[]> getValue(byte[] key, Duration timeout);

  /** Looks up our own id to fill the routing table (run on start and when the table is empty). */
  void bootstrap();

  /** Peers in the routing table. */
  List<PeerId> routingTable();
}
