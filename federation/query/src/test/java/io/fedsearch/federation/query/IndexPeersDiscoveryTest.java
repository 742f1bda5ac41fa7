package io.fedsearch.federation.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.federation.p2p.Host;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node's host starts (and dials its bootstrap peers) before its federation does. The peers that connected and
 * identified in between are index peers at once, not only after the next DHT lookup ({@link IndexPeers#REFRESH}
 * later): a fresh node's first search reaches its bootstrap peers.
 */
@Timeout(60)
class IndexPeersDiscoveryTest {
  @Test
  void peersIdentifiedBeforeStartAreKnownAtStart() throws Exception {
    try (Host index = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build();
        Host other = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build();
        Host joining = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build()) {
      index.addProtocolHandler(QueryWire.PROTOCOL, stream -> {});
      index.start();
      other.start(); // speaks no query protocol: not an index peer
      joining.start();
      joining.dial(index.listenAddresses().get(0));
      joining.dial(other.listenAddresses().get(0));
      await().atMost(Duration.ofSeconds(10)).until(() -> joining.peerStore().get(index.peerId())
          .map(i -> i.protocols().contains(QueryWire.PROTOCOL)).orElse(false)
          && joining.peerStore().get(other.peerId()).map(i -> !i.protocols().isEmpty()).orElse(false));
      try (IndexPeers peers = new IndexPeers(joining, new PeerStanding())) {
        long before = peers.generation();
        peers.start();
        assertThat(peers.known()).containsExactly(index.peerId());
        assertThat(peers.generation()).as("answers cached before it joined are stale").isGreaterThan(before);
      }
    }
  }
}
