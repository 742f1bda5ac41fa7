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

  /**
   * A node whose query service opens after it connected (identify already answered without it) is an index peer
   * of the nodes it is connected to as soon as it serves queries (identify/push), and stops being one when it stops
   * (at most one change per PUSH_CHANGE_INTERVAL from pushes; the next refresh applies the rest); pushing does not
   * clear a back-off.
   */
  @Test
  void aPeerThatStartsServingQueriesLaterIsLearntAtOnce() throws Exception {
    try (Host late = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build();
        Host asker = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").dht(false).build()) {
      late.start();
      asker.start();
      PeerStanding standing = new PeerStanding();
      try (IndexPeers peers = new IndexPeers(asker, standing)) {
        peers.start();
        asker.dial(late.listenAddresses().get(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> asker.peerStore().get(late.peerId())
            .map(i -> !i.protocols().isEmpty()).orElse(false));
        assertThat(peers.known()).isEmpty();
        long before = peers.generation();

        late.addProtocolHandler(QueryWire.PROTOCOL, stream -> {});
        // with no DHT (and REFRESH = 30 s otherwise), only the push can tell the asker this soon
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> peers.known().contains(late.peerId()));
        assertThat(peers.generation()).isGreaterThan(before);

        for (int i = 0; i < 5 && !standing.get(late.peerId()).backedOff(java.time.Instant.now()); i++) {
          standing.failed(late.peerId(), "refused", java.time.Instant.now()); // until it backs off
        }
        assertThat(standing.get(late.peerId()).backedOff(java.time.Instant.now())).isTrue();
        late.addProtocolHandler("/fedsearch/other/1.0.0", stream -> {});
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> asker.peerStore()
            .get(late.peerId()).map(i -> i.protocols().contains("/fedsearch/other/1.0.0")).orElse(false));
        assertThat(standing.get(late.peerId()).backedOff(java.time.Instant.now())).as("a push is no reconnection").isTrue();

        // Stopping within PUSH_CHANGE_INTERVAL of starting: held back (a peer flipping its protocols must not keep
        // every cached answer stale), then applied by the next refresh from what the peer store holds.
        long generation = peers.generation();
        late.removeProtocolHandler(QueryWire.PROTOCOL);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> asker.peerStore()
            .get(late.peerId()).map(i -> !i.protocols().contains(QueryWire.PROTOCOL)).orElse(false));
        assertThat(peers.known()).contains(late.peerId());
        assertThat(peers.generation()).isEqualTo(generation);
        peers.refresh();
        assertThat(peers.known()).isEmpty();
        assertThat(peers.generation()).isGreaterThan(generation);
      }
    }
  }
}
