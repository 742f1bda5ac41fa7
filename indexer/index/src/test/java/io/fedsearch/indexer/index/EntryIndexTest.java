package io.fedsearch.indexer.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.EntryParser;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.SearchHit;
import io.fedsearch.indexer.search.SearchRequest;
import io.fedsearch.core.testing.SharedData;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntryIndexTest {
  private final NodeKey key = NodeKey.generate();

  private static Entry entry(String id, String title, String desc, String creator, long price, String... tags) {
    return new Entry("shop", id, title, desc, creator, List.of(tags), "", price, null, null);
  }

  @Test
  void upsertReplacesByPlatformAndIdAndIsIdempotent(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, key)) {
      Entry v1 = entry("a", "Red kettle", "boils water", "ann", 10);
      Entry v2 = entry("a", "Red kettle", "boils water fast", "ann", 12);
      assertThat(index.upsert(v1).outcome()).isEqualTo(EntryIndex.Outcome.ADDED);
      assertThat(index.upsert(v1).outcome()).isEqualTo(EntryIndex.Outcome.UNCHANGED);
      index.commit();
      assertThat(index.upsert(v1).outcome()).isEqualTo(EntryIndex.Outcome.UNCHANGED);
      assertThat(index.upsert(v2).outcome()).isEqualTo(EntryIndex.Outcome.REPLACED);
      index.commit();
      assertThat(index.entryCount()).isEqualTo(1);
      assertThat(index.get(v1.cid())).isEmpty();
      EntryIndex.Stored s = index.get(v2.cid()).orElseThrow();
      assertThat(s.entry().entry()).isEqualTo(v2);
      assertThat(s.entry().verify()).isTrue();
      assertThat(s.entry().signer()).isEqualTo(key.publicKey());
    }
  }

  @Test
  void aCidSharingTheFirstEightDigestBytesIsNotTakenForTheStoredOne(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, key)) {
      Entry e = entry("a", "Red kettle", "boils water", "ann", 10);
      index.upsert(e);
      index.commit();
      byte[] near = e.cid().bytes();
      near[near.length - 1] ^= 1; // same point (the digest's first eight bytes), another CID
      io.fedsearch.core.cid.Cid other = io.fedsearch.core.cid.Cid.fromBytes(near);
      assertThat(other.sortKey()).isEqualTo(e.cid().sortKey());
      assertThat(index.get(other)).isEmpty();
      assertThat(index.get(e.cid())).hasValueSatisfying(s -> assertThat(s.entry().entry()).isEqualTo(e));
    }
  }

  @Test
  void deleteLeavesSignedTombstoneAndReaddWorks(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, key)) {
      Entry e = entry("a", "Kettle", "boils", "ann", 1);
      index.upsert(e);
      EntryIndex.WriteResult d = index.delete("shop", "a", Instant.parse("2025-01-01T00:00:00Z"));
      assertThat(d.outcome()).isEqualTo(EntryIndex.Outcome.DELETED);
      assertThat(index.delete("shop", "a", Instant.now()).outcome()).isEqualTo(EntryIndex.Outcome.NOT_FOUND);
      index.commit();
      assertThat(index.entryCount()).isZero();
      assertThat(index.tombstoneCount()).isEqualTo(1);
      assertThat(index.search(SearchRequest.of("kettle", 10)).hits()).isEmpty();
      // A query without terms matches every document, and only its filter keeps the tombstone out.
      assertThat(index.search(SearchRequest.of("", 10)).totalHits()).isZero();
      assertThat(index.search(SearchRequest.of("the", 10)).totalHits()).isZero();
      EntryIndex.Stored t = index.get(d.cid()).orElseThrow();
      assertThat(t.tombstone().verify()).isTrue();
      assertThat(t.tombstone().tombstone().id()).isEqualTo("a");
      assertThat(index.upsert(e).outcome()).isEqualTo(EntryIndex.Outcome.ADDED);
      index.commit();
      assertThat(index.tombstoneCount()).isZero();
    }
  }

  @Test
  void onlyCommittedWritesSurviveAReopen(@TempDir Path dir) throws Exception {
    Entry committed = entry("a", "Kettle", "boils", "ann", 1);
    Entry uncommitted = entry("b", "Teapot", "brews", "bob", 1);
    try (EntryIndex index = EntryIndex.open(dir, key)) {
      index.upsert(committed);
      index.commit();
      index.upsert(uncommitted);
    }
    try (EntryIndex index = EntryIndex.open(dir, key)) {
      assertThat(index.get(committed.cid())).isPresent();
      assertThat(index.get(uncommitted.cid())).isEmpty();
    }
  }

  /** The version peers cache statistics and empty answers by: changes with writes, never repeats across opens. */
  @Test
  void versionChangesWithVisibleWritesAndNeverRepeatsAcrossOpensOrRebuilds(@TempDir Path dir) throws Exception {
    long before;
    long after;
    try (EntryIndex index = EntryIndex.open(dir.resolve("one"), key)) {
      before = index.version();
      assertThat(index.version()).as("stable without writes").isEqualTo(before);
      index.upsert(entry("a", "Kettle", "boils", "ann", 1));
      after = index.version();
      assertThat(after).as("a write, visible to searches").isNotEqualTo(before);
      index.commit();
    }
    try (EntryIndex reopened = EntryIndex.open(dir.resolve("one"), key);
        EntryIndex rebuilt = EntryIndex.open(dir.resolve("two"), key)) {
      rebuilt.upsert(entry("a", "Kettle", "boils", "ann", 1));
      assertThat(List.of(reopened.version(), rebuilt.version())).doesNotContain(before, after);
      assertThat(reopened.version()).isNotEqualTo(rebuilt.version());
    }
  }

  /** New keys are added without a delete-by-term; every later version must still replace, never duplicate. */
  @Test
  void everyVersionOfAKeyReplacesTheLastWhereverTheLastLives(@TempDir Path dir) throws Exception {
    Entry v1 = entry("a", "Kettle", "boils", "ann", 1);
    Entry v2 = entry("a", "Kettle", "boils fast", "ann", 1);
    Entry v3 = entry("a", "Kettle", "boils faster", "ann", 1);
    Entry v4 = entry("a", "Kettle", "boils fastest", "ann", 1);
    try (EntryIndex index = EntryIndex.open(dir, key)) {
      assertThat(index.upsert(v1).outcome()).isEqualTo(EntryIndex.Outcome.ADDED);
      assertThat(index.upsert(v2).outcome()).isEqualTo(EntryIndex.Outcome.REPLACED); // v1 not yet searchable
      index.commit();
    }
    try (EntryIndex index = EntryIndex.open(dir, key)) {
      assertThat(index.upsert(v3).outcome()).isEqualTo(EntryIndex.Outcome.REPLACED); // v2 only on disk
      index.delete("shop", "a", Instant.parse("2025-01-01T00:00:00Z"));
      assertThat(index.upsert(v4).outcome()).isEqualTo(EntryIndex.Outcome.ADDED); // over a pending tombstone
      index.commit();
    }
    try (EntryIndex index = EntryIndex.open(dir, key)) {
      assertThat(index.entryCount()).isEqualTo(1);
      assertThat(index.tombstoneCount()).isZero();
      assertThat(index.search(SearchRequest.of("kettle", 10)).hits()).extracting(h -> h.entry().entry())
          .containsExactly(v4);
    }
  }

  @Test
  void searchRequiresAllWordsByDefaultAndFilters(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, key)) {
      index.upsert(entry("1", "Red kettle", "electric kettle for boiling water", "ann", 100, "kitchen"));
      index.upsert(entry("2", "Blue kettle", "stovetop kettle", "bob", 5000, "kitchen", "camping"));
      index.upsert(entry("3", "Water bottle", "keeps water cold", "ann", 300, "camping"));
      assertThat(ids(index, SearchRequest.of("kettle water", 10))).containsExactly("1");
      assertThat(ids(index, SearchRequest.of("kettle water", 10).withOperator(SearchRequest.Operator.ANY)))
          .containsExactlyInAnyOrder("1", "2", "3");
      assertThat(ids(index, new SearchRequest("kettle", null, 10, Set.of(), "bob", null, null, null, false, null)))
          .containsExactly("2");
      assertThat(ids(index, new SearchRequest("", null, 10, Set.of(), null, "camping", null, 1000L, false, null)))
          .containsExactly("3");
      assertThat(ids(index, new SearchRequest("", null, 10, Set.of("other"), null, null, null, null, false, null)))
          .isEmpty();
      // title matches weigh more than description matches
      assertThat(ids(index, SearchRequest.of("water", 10)).getFirst()).isEqualTo("3");
    }
  }

  private static List<String> ids(EntryIndex index, SearchRequest r) {
    return index.search(r).hits().stream().map(h -> h.entry().entry().id()).toList();
  }

  /**
   * The heart of exact federated ranking: three indexes holding disjoint thirds of a catalog, each scored with the
   * merged statistics, give the same scores as one index over everything.
   */
  @Test
  void shardsScoredWithMergedStatisticsEqualOneIndex(@TempDir Path dir) throws Exception {
    List<String> lines = SharedData.firstLines("npm.jsonl", 3000);
    EntryParser parser = new EntryParser(null);
    List<EntryIndex> shards = new ArrayList<>();
    try (EntryIndex whole = EntryIndex.open(dir.resolve("whole"), key)) {
      for (int s = 0; s < 3; s++) {
        shards.add(EntryIndex.open(dir.resolve("shard" + s), key));
      }
      for (int i = 0; i < lines.size(); i++) {
        Entry e = parser.parse(lines.get(i));
        whole.upsert(e);
        shards.get(i % 3).upsert(e);
      }
      whole.commit();
      shards.forEach(EntryIndex::commit);
      for (String q : List.of("terminal string", "parser", "react component library", "\"command line\"", "json schema")) {
        for (SearchRequest.Operator op : SearchRequest.Operator.values()) {
          QueryStats global = QueryStats.merge(shards.stream().map(s -> s.statistics(q, op)).toList());
          List<SearchHit> merged = new ArrayList<>();
          for (EntryIndex s : shards) {
            merged.addAll(s.search(SearchRequest.of(q, 10).withOperator(op).withStats(false, global)).hits());
          }
          merged.sort(Comparator.comparingDouble((SearchHit h) -> -h.score())
              .thenComparing(h -> h.entry().cid(), io.fedsearch.core.cid.Cid.TIE_ORDER));
          List<SearchHit> single = whole.search(SearchRequest.of(q, 10).withOperator(op)).hits();
          List<SearchHit> top = merged.subList(0, Math.min(10, merged.size()));
          assertThat(top.stream().map(h -> h.entry().cid()).toList()).as(q + " " + op)
              .isEqualTo(single.stream().map(h -> h.entry().cid()).toList());
          for (int i = 0; i < top.size(); i++) {
            assertThat(top.get(i).score()).isCloseTo(single.get(i).score(), within(single.get(i).score() * 1e-6f));
          }
        }
      }
    } finally {
      for (EntryIndex s : shards) {
        s.close();
      }
    }
  }
}
