package io.fedsearch.bench.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.query.FederatedResult;
import io.fedsearch.federation.query.FederatedResult.NodeStatus;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.index.EntryIndex;
import io.fedsearch.indexer.search.SearchRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The floor is only a floor if its shards do the work an exact answer needs: the shards the federation asked, the
 * operator it used and the global statistics, so that their hits merged by score are the single index's hits.
 */
class ShardFloorTest {
  @TempDir Path dir;
  private final List<EntryIndex> shards = new ArrayList<>();
  private EntryIndex single;

  @BeforeEach
  void splitACatalogOverThreeShards() {
    single = EntryIndex.open(dir.resolve("single"), NodeKey.generate());
    for (int i = 0; i < 3; i++) {
      shards.add(EntryIndex.open(dir.resolve("node" + i), NodeKey.generate()));
    }
    String[] words = {"lamp", "desk", "chair", "oak", "brass", "lamp lamp", "reading"};
    for (int n = 0; n < 60; n++) {
      String title = words[n % words.length] + " " + words[(n * 3 + 1) % words.length] + " " + n;
      Entry e = new Entry("shop", "e" + n, title, "a " + words[(n * 5) % words.length] + " for a room", "ann",
          List.of(), "", n, null, null);
      single.upsert(e);
      shards.get(n % 3).upsert(e);
    }
    single.commit();
    shards.forEach(EntryIndex::commit);
  }

  @AfterEach
  void close() throws Exception {
    single.close();
    for (EntryIndex s : shards) {
      s.close();
    }
  }

  @Test
  void asksTheShardsThatAnsweredWithTheGlobalStatisticsAndFindsTheSingleIndexTop() throws Exception {
    try (ShardFloor floor = new ShardFloor(byPeer(), single)) {
      FederatedResult asked = result(false, ok("node0"), skipped("node1"), ok("node2"));
      ShardFloor.Asked q = floor.asked(asked, "brass lamp", 5);

      assertThat(q.shards()).containsExactly(shards.get(0), shards.get(2));
      assertThat(q.request().operator()).isEqualTo(SearchRequest.Operator.ALL);
      assertThat(q.request().globalStats()).isEqualTo(single.statistics("brass lamp", SearchRequest.Operator.ALL));
      assertThat(floor.timeMs(q)).isPositive();
      assertThat(floor.idealMs(q)).isPositive();

      // With every shard asked, the shards' hits merged by score (ties in the order every node applies) are the
      // single index's, scores and all.
      ShardFloor.Asked all = floor.asked(result(false, ok("node0"), ok("node1"), ok("node2")), "brass lamp", 5);
      List<String> merged = all.shards().stream().flatMap(s -> s.serve(all.request()).hits().stream())
          .sorted(Comparator.comparingDouble((EntryIndex.ServedHit h) -> -h.score())
              .thenComparing(h -> Cid.fromBytes(h.cid()), Cid.TIE_ORDER))
          .limit(5).map(h -> Cid.fromBytes(h.cid()) + "@" + h.score()).toList();
      List<String> expected = single.search(SearchRequest.of("brass lamp", 5)).hits().stream()
          .map(h -> h.entry().cid() + "@" + h.score()).toList();
      assertThat(expected).hasSize(5);
      assertThat(merged).isEqualTo(expected);
    }
  }

  /** Nodes serving a real catalog are named by their platform ("npm"), not "node" + i: shards go by peer. */
  @Test
  void findsShardsByTheAnsweringPeerWhateverTheirPlatform() {
    try (ShardFloor floor = new ShardFloor(java.util.Map.of("peer-a", shards.get(0), "peer-b", shards.get(1), "peer-c",
        shards.get(2)), single)) {
      FederatedResult asked = result(false, new NodeStatus("peer-c", "npm", NodeStatus.OK, 1, 0.1, 0, false, null),
          new NodeStatus("peer-a", "npm", NodeStatus.OK, 1, 0.1, 0, false, null));
      assertThat(floor.asked(asked, "brass lamp", 5).shards()).containsExactly(shards.get(2), shards.get(0));
    }
  }

  @Test
  void aRelaxedQueryRunsUnderAny() {
    try (ShardFloor floor = new ShardFloor(byPeer(), single)) {
      ShardFloor.Asked q = floor.asked(result(true, ok("node1")), "brass nosuchword", 5);
      assertThat(q.shards()).containsExactly(shards.get(1));
      assertThat(q.request().operator()).isEqualTo(SearchRequest.Operator.ANY);
      assertThat(q.shards().getFirst().serve(q.request()).hits()).isNotEmpty();
    }
  }

  /** The shards by the peer names the statuses below give their nodes ("peer-node" + i). */
  private java.util.Map<String, EntryIndex> byPeer() {
    java.util.Map<String, EntryIndex> m = new java.util.HashMap<>();
    for (int i = 0; i < shards.size(); i++) {
      m.put("peer-node" + i, shards.get(i));
    }
    return m;
  }

  private static NodeStatus ok(String node) {
    return new NodeStatus("peer-" + node, node, NodeStatus.OK, 1, 0.1, 0, false, null);
  }

  private static NodeStatus skipped(String node) {
    return new NodeStatus("peer-" + node, node, NodeStatus.SKIPPED, 0, 0, 0, false, "matches nothing");
  }

  private static FederatedResult result(boolean relaxed, NodeStatus... nodes) {
    return new FederatedResult("q", "exact", relaxed ? "any" : "all", relaxed, 1, List.of(), List.of(nodes), 1,
        false, java.time.Instant.EPOCH);
  }
}
