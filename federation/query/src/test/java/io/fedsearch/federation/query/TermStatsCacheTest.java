package io.fedsearch.federation.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.index.EntryDocuments;
import io.fedsearch.indexer.index.EntryIndex;
import io.fedsearch.indexer.search.QueryParsing;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.QueryTerms;
import io.fedsearch.indexer.search.SearchRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TermStatsCacheTest {
  private final PeerId peer = PeerId.of(NodeKey.generate().publicKey());
  private final QueryParsing parsing = new QueryParsing(EntryDocuments.analyzer());

  private QueryTerms terms(String q) {
    return QueryTerms.of(parsing.parse(q, SearchRequest.Operator.ALL)).orElseThrow();
  }

  private static QueryStats stats(long maxDoc, String term, long titleDf, long descriptionDf) {
    return new QueryStats(maxDoc,
        Map.of("title", new QueryStats.FieldStats(maxDoc, 3 * maxDoc, 3 * maxDoc),
            "description", new QueryStats.FieldStats(maxDoc, 9 * maxDoc, 8 * maxDoc)),
        Map.of(new QueryStats.TermKey("title", term), new QueryStats.TermStats(titleDf, titleDf),
            new QueryStats.TermKey("description", term), new QueryStats.TermStats(descriptionDf, descriptionDf)));
  }

  @Test
  void composesOnlyFromOneVersionAndOnlyWhenEveryTermIsKnown() {
    TermStatsCache cache = new TermStatsCache();
    cache.learn(peer, 7, stats(100, "heron", 3, 5));
    assertThat(cache.compose(peer, terms("heron egret"))).isEmpty();
    cache.learn(peer, 7, stats(100, "egret", 0, 0));

    EntryIndex.VersionedStats c = cache.compose(peer, terms("egret heron")).orElseThrow();
    assertThat(c.version()).isEqualTo(7);
    assertThat(c.stats().maxDoc()).isEqualTo(100);
    assertThat(c.stats().terms()).hasSize(4)
        .containsEntry(new QueryStats.TermKey("title", "heron"), new QueryStats.TermStats(3, 3));
    assertThat(c.stats().fields()).containsOnlyKeys("title", "description");
    assertThat(cache.cannotMatch(peer, 7, terms("egret heron"))).as("no egret at version 7").isTrue();
    assertThat(cache.cannotMatch(peer, 8, terms("egret heron"))).as("another version: unknown").isFalse();
    assertThat(cache.cannotMatch(peer, 7, terms("heron crane"))).as("unknown terms count as present").isFalse();

    // The peer reports another version: what was known of version 7 is gone.
    cache.learn(peer, 8, stats(101, "crane", 1, 1));
    assertThat(cache.compose(peer, terms("heron"))).isEmpty();
    assertThat(cache.cannotMatch(peer, 7, terms("egret"))).isFalse();
    assertThat(cache.compose(peer, terms("crane")).orElseThrow().version()).isEqualTo(8);
  }
}
