package io.fedsearch.federation.query;

import static io.fedsearch.federation.query.QueryNodes.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.query.QueryNodes.Mode;
import io.fedsearch.federation.query.QueryNodes.Scripted;
import io.fedsearch.federation.query.QueryNodes.Searcher;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.search.SearchRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 5, over real libp2p connections: a peer's BM25 statistics are checked before they are summed into
 * the global statistics; impossible figures refuse that peer's answer with the reason, and the honest nodes'
 * ranking is what it would be without that peer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PeerStatsBoundsTest {
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
    return IntStream.range(0, n).mapToObj(i -> entry(platform, platform + "-" + i,
        word + " " + platform + " item " + i + (i % 2 == 0 ? " " + word : ""))).toList();
  }

  @Test
  void inflatedStatisticsAreRefusedWithTheReason() throws Exception {
    Searcher a = nodes.searcher("alpha", catalog("alpha", "otter", 6), new PeerStanding());
    a.search().setCacheTtl(Duration.ZERO);
    Scripted b = nodes.scripted("beta", null, catalog("beta", "otter", 6));
    QueryNodes.introduce(a.host(), a.peers(), b.host);
    FederatedSearch.Query q = new FederatedSearch.Query(SearchRequest.of("otter", 10), FederatedSearch.Merge.EXACT,
        Duration.ofSeconds(10), false);

    b.mode(Mode.HONEST);
    FederatedResult honest = a.search().search(q);
    assertThat(honest.nodes()).allMatch(n -> n.status().equals("ok"));

    b.mode(Mode.INFLATED_STATS); // a query not asked before: no statistics cached for it
    FederatedResult attacked = a.search().search(new FederatedSearch.Query(SearchRequest.of("item", 10),
        FederatedSearch.Merge.EXACT, Duration.ofSeconds(10), false));
    FederatedResult.NodeStatus bs = attacked.nodes().stream()
        .filter(n -> n.peer().equals(b.peerId().toString())).findFirst().orElseThrow();
    assertThat(bs.status()).isEqualTo("error");
    assertThat(bs.error()).contains("docFreq");
    // alpha's own hits are still there, scored without the refused figures
    assertThat(attacked.works()).hasSize(6)
        .allMatch(w -> w.listings().getFirst().entry().entry().platform().equals("alpha"));
    assertThat(attacked.works()).allMatch(w -> Double.isFinite(w.textScore()) && w.textScore() > 0);
  }
}
