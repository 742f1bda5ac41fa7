package io.fedsearch.federation.query;

import static io.fedsearch.federation.query.QueryNodes.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsearch.federation.query.QueryNodes.Mode;
import io.fedsearch.federation.query.QueryNodes.Scripted;
import io.fedsearch.federation.query.QueryNodes.Searcher;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.search.SearchRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 12, over real libp2p connections: a node backed off while it was down is asked again as soon as
 * it reconnects (identify on a new connection), not when the back-off it earned while down runs out; a node backed
 * off for forged entries is not let off by reconnecting.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RejoinTest {
  @TempDir Path dir;
  private QueryNodes nodes;

  @BeforeEach
  void open() {
    nodes = new QueryNodes(dir);
  }

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  private static List<Entry> catalog(String platform, String word, int n) {
    return IntStream.range(0, n).mapToObj(i -> entry(platform, platform + "-" + i, word + " " + platform + " " + i))
        .toList();
  }

  private static Optional<FederatedResult.NodeStatus> status(FederatedResult r, Scripted peer) {
    return r.nodes().stream().filter(n -> n.peer().equals(peer.peerId().toString())).findFirst();
  }

  private static FederatedSearch.Query query() {
    return new FederatedSearch.Query(SearchRequest.of("otter", 10), FederatedSearch.Merge.EXACT,
        Duration.ofSeconds(3), false);
  }

  /** Searches until {@code peer} answers ok, for up to 15 s; whether it did. */
  private static boolean answersWithin15s(Searcher a, Scripted peer) {
    try {
      // 18 s: the 15 s plus one last search (3 s deadline) started just before the limit, as the old loop allowed.
      await().atMost(Duration.ofSeconds(18)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
          .until(() -> status(a.search().search(query()), peer).map(s -> s.status().equals("ok")).orElse(false));
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  @Test
  void aRestartedNodeIsAskedAgainAsSoonAsItReconnects() throws Exception {
    // a back-off far longer than the test: only the reconnection can end it in time
    PeerStanding standing = new PeerStanding(Duration.ofMinutes(2), Duration.ofMinutes(5));
    Searcher a = nodes.searcher("alpha", catalog("alpha", "otter", 3), standing);
    a.peers().start(); // as FederationNode does: listens to connections (no DHT here)
    a.search().setCacheTtl(Duration.ZERO);
    Scripted b = nodes.scripted("beta", null, catalog("beta", "otter", 3));
    QueryNodes.introduce(a.host(), a.peers(), b.host);
    assertThat(answersWithin15s(a, b)).isTrue();

    b.host.close(); // down: the searches that ask it fail until it is backed off
    for (int i = 0; i < PeerStanding.FAILURES_BEFORE_BACKOFF + 1; i++) {
      a.search().search(query());
    }
    assertThat(standing.get(b.peerId()).backedOff(Instant.now())).isTrue();

    Scripted back = nodes.restart(b); // same key, new port
    back.host.dial(a.host().listenAddresses().get(0)); // what a restarted node does: redial the peers it knew
    assertThat(answersWithin15s(a, back)).as("asked again once reconnected").isTrue();
  }

  @Test
  void reconnectingDoesNotLiftABackOffForForgedEntries() throws Exception {
    PeerStanding standing = new PeerStanding(Duration.ofMinutes(2), Duration.ofMinutes(5));
    Searcher a = nodes.searcher("alpha", catalog("alpha", "otter", 3), standing);
    a.peers().start(); // as FederationNode does: listens to connections (no DHT here)
    a.search().setCacheTtl(Duration.ZERO);
    Scripted b = nodes.scripted("beta", null, catalog("beta", "otter", 3));
    QueryNodes.introduce(a.host(), a.peers(), b.host);
    b.mode(Mode.WRONG_SIGNATURE);
    a.search().search(query());
    assertThat(standing.get(b.peerId()).forged()).isPositive();
    assertThat(standing.get(b.peerId()).backedOff(Instant.now())).isTrue();

    b.mode(Mode.HONEST);
    Scripted back = nodes.restart(b);
    back.host.dial(a.host().listenAddresses().get(0));
    Thread.sleep(1000); // identify has run by now on any machine
    assertThat(standing.get(b.peerId()).backedOff(Instant.now())).isTrue();
  }
}
