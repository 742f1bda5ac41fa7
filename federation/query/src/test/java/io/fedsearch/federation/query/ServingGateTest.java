package io.fedsearch.federation.query;

import static io.fedsearch.federation.query.QueryNodes.entry;
import static io.fedsearch.federation.query.QueryNodes.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.query.QueryNodes.Searcher;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.search.SearchRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What one peer can make a node do at once: its share, never all of it; the others are still answered. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServingGateTest {
  @TempDir Path dir;

  private static PeerId peer() {
    return PeerId.of(NodeKey.generate().publicKey());
  }

  /** Runs a request for {@code from} that holds its place until {@code release} opens; returns once admitted. */
  private static CompletableFuture<Void> hold(ServingGate gate, PeerId from, CountDownLatch release) throws Exception {
    CountDownLatch admitted = new CountDownLatch(1);
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread.ofPlatform().daemon().start(() -> {
      try {
        gate.run(from, () -> {
          admitted.countDown();
          return release.await(30, TimeUnit.SECONDS);
        });
        done.complete(null);
      } catch (Exception e) {
        done.completeExceptionally(e);
      }
    });
    assertThat(admitted.await(10, TimeUnit.SECONDS)).as("admitted").isTrue();
    return done;
  }

  @Test
  void aPeerGetsItsShareTheNodeItsTotalAndIdlePeersAreForgotten() throws Exception {
    ServingGate gate = new ServingGate(2, 3, ms(100));
    PeerId flooder = peer();
    PeerId other = peer();
    CountDownLatch release = new CountDownLatch(1);
    var a = hold(gate, flooder, release);
    var b = hold(gate, flooder, release);
    assertThatThrownBy(() -> gate.run(flooder, () -> "third")).isInstanceOf(ServingGate.BusyException.class)
        .hasMessageContaining("already serving 2 requests from " + flooder);
    assertThat(gate.run(other, () -> "answered")).isEqualTo("answered"); // the third place is the others'
    var c = hold(gate, other, release);
    assertThatThrownBy(() -> gate.run(peer(), () -> "fourth")).isInstanceOf(ServingGate.BusyException.class)
        .hasMessageContaining("already serving 3 requests");
    release.countDown();
    CompletableFuture.allOf(a, b, c).get(10, TimeUnit.SECONDS);
    assertThat(gate.run(flooder, () -> "again")).isEqualTo("again");
    assertThat(gate.peersTracked()).isZero();
    assertThatThrownBy(() -> new ServingGate(3, 2, ms(1))).hasMessageContaining("perPeer <= total");
  }

  @Test
  void aFloodingPeerIsRefusedWhileAnotherIsAnsweredOverLibp2p() throws Exception {
    try (QueryNodes nodes = new QueryNodes(dir)) {
      List<Entry> served = IntStream.range(0, 3).mapToObj(i -> entry("served", "s-" + i, "otter served " + i)).toList();
      ServingGate gate = new ServingGate(1, 2, ms(200));
      Searcher server = nodes.searcher("served", served, new PeerStanding(), gate);
      Searcher flooder = nodes.searcher("flooder", List.of(entry("flooder", "f-0", "otter flood")), new PeerStanding());
      Searcher honest = nodes.searcher("honest", List.of(entry("honest", "h-0", "otter honest")), new PeerStanding());
      QueryNodes.introduce(flooder.host(), flooder.peers(), server.host());
      QueryNodes.introduce(honest.host(), honest.peers(), server.host());
      flooder.search().setCacheTtl(java.time.Duration.ZERO);
      FederatedSearch.Query q = new FederatedSearch.Query(SearchRequest.of("otter", 10), FederatedSearch.Merge.RRF,
          ms(5000), false);

      // The flooder already has its one place at the server taken (as by its earlier, still running requests).
      CountDownLatch release = new CountDownLatch(1);
      var held = hold(gate, flooder.host().peerId(), release);
      FederatedResult refused = flooder.search().search(q);
      assertThat(refused.nodes()).filteredOn(n -> n.peer().equals(server.host().peerId().toString()))
          .singleElement().satisfies(n -> {
            assertThat(n.status()).isEqualTo("error");
            assertThat(n.error()).contains("busy: already serving 1 requests from " + flooder.host().peerId());
          });
      assertThat(server.server().busyRefusals()).isEqualTo(1);
      // A refusal for load is counted as such: the server's standing with the flooder is not lowered for it.
      PeerStanding.Record seen = flooder.search().standing().get(server.host().peerId());
      assertThat(seen.busy()).isEqualTo(1);
      assertThat(seen.failures()).isZero();
      assertThat(seen.score()).isEqualTo(new PeerStanding().get(server.host().peerId()).score());
      FederatedResult answered = honest.search().search(q);
      assertThat(answered.works()).hasSize(4); // the server's three and the honest node's own
      release.countDown();
      held.get(10, TimeUnit.SECONDS);
      assertThat(flooder.search().search(q).works()).hasSize(4);
      assertThat(server.server().busyRefusals()).isEqualTo(1);
    }
  }
}
