package io.fedsearch.federation.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.core.keys.NodeKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 4: discovery's table of index peers is bounded. Sybil identities found under the index-node key
 * (or announced by other means) cannot grow it without end, nor push out the peers that have answered.
 */
class IndexPeersBoundTest {
  @Test
  void sybilsFillOnlyTheRoomThatPeersWhoAnsweredLeave() throws Exception {
    try (Host host = Host.builder(NodeKey.generate()).dht(false).build()) {
      PeerStanding standing = new PeerStanding();
      IndexPeers peers = new IndexPeers(host, standing);
      List<PeerId> honest = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        PeerId p = PeerId.of(NodeKey.generate().publicKey());
        honest.add(p);
        peers.add(p);
        standing.answered(p, "honest" + i, null, 5);
      }
      PeerId forger = PeerId.of(NodeKey.generate().publicKey());
      peers.add(forger);
      standing.forged(forger, 1, "bad signature", Instant.now());
      for (int i = 0; i < IndexPeers.MAX_KNOWN * 3; i++) {
        peers.add(PeerId.of(NodeKey.generate().publicKey()));
      }
      assertThat(peers.known()).hasSizeLessThanOrEqualTo(IndexPeers.MAX_KNOWN).containsAll(honest).contains(forger);
      assertThat(standing.all()).hasSizeLessThanOrEqualTo(IndexPeers.MAX_KNOWN);
      assertThat(standing.get(forger).forged()).isEqualTo(1); // what a peer did wrong is not forgotten
    }
  }
}
