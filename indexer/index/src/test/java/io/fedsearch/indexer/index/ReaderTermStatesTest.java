package io.fedsearch.indexer.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.SearchHit;
import io.fedsearch.indexer.search.SearchRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Term states kept between searches ({@link ReaderTermStates}) never outlive the reader they were read from: the
 * same query asked again after each kind of write (add, replace, delete, made visible without a commit) finds and
 * scores exactly what a fresh index holding the same entries does, with its own statistics and with global ones.
 */
class ReaderTermStatesTest {
  private final NodeKey key = NodeKey.generate();

  private static Entry entry(String id, String title, String desc) {
    return new Entry("shop", id, title, desc, "ann", List.of(), "", 5, null, null);
  }

  /** (title, score) of each hit, in order. */
  private static List<String> ranked(List<SearchHit> hits) {
    List<String> out = new ArrayList<>();
    for (SearchHit h : hits) {
      out.add(h.entry().entry().title() + "=" + Float.floatToIntBits(h.score()));
    }
    return out;
  }

  /** Writes to an index, in order: replayed into a new index they give the same postings and statistics. */
  interface Write {
    void apply(EntryIndex index) throws Exception;
  }

  /** What a new index after {@code history} answers: searched once, so no state of an earlier reader is at hand. */
  private List<String> replayed(Path dir, List<Write> history, SearchRequest req) throws Exception {
    try (EntryIndex other = EntryIndex.open(dir, key)) {
      for (Write w : history) {
        w.apply(other);
      }
      return ranked(other.search(req).hits());
    }
  }

  @Test
  void aRepeatedQuerySeesEveryWriteAndScoresAsAFreshIndex(@TempDir Path dir) throws Exception {
    SearchRequest any = SearchRequest.of("copper kettle", 10).withOperator(SearchRequest.Operator.ANY);
    List<Write> history = new ArrayList<>();
    Instant deleted = Instant.parse("2026-01-01T00:00:00Z");
    int round = 0;
    try (EntryIndex index = EntryIndex.open(dir.resolve("index"), key)) {
      // each write is applied to the index and kept for the replays; every search after it must see it
      List<Write> writes = List.of(
          i -> {
            i.upsert(entry("a", "Copper kettle", "boils water"));
            i.upsert(entry("b", "Iron kettle", "a heavy kettle"));
            i.upsert(entry("c", "Teapot", "brews tea, not a kettle"));
            i.commit();
          },
          i -> i.upsert(entry("d", "Copper pan", "not a kettle at all, copper though")), // visible without commit
          i -> i.upsert(entry("b", "Iron pot", "heavy")), // replaced: kettle no longer in b
          i -> i.delete("shop", "a", deleted),
          EntryIndex::commit);
      int[] sizes = {3, 4, 3, 2, 2};
      for (int w = 0; w < writes.size(); w++) {
        writes.get(w).apply(index);
        history.add(writes.get(w));
        for (int i = 0; i < 3; i++) { // asked again and again while nothing changes: the kept states are used
          assertThat(ranked(index.search(any).hits())).as("after write %d, search %d", w, i).hasSize(sizes[w])
              .isEqualTo(replayed(dir.resolve("r" + round++), history, any));
        }
      }
    }
  }

  @Test
  void servedScoresWithGlobalStatisticsMatchAFreshIndex(@TempDir Path dir) throws Exception {
    List<Entry> entries = List.of(entry("a", "Copper kettle", "boils water"), entry("b", "Iron kettle", "heavy"));
    SearchRequest probe = SearchRequest.of("kettle", 10);
    try (EntryIndex index = EntryIndex.open(dir.resolve("index"), key);
        EntryIndex other = EntryIndex.open(dir.resolve("other"), key)) {
      entries.forEach(index::upsert);
      entries.forEach(other::upsert);
      other.upsert(entry("z", "Kettle drum", "a drum"));
      index.commit();
      other.commit();
      // statistics of a larger union: the kept states carry this index's postings, the scores the union's figures
      QueryStats global = QueryStats.merge(List.of(index.statistics("kettle", SearchRequest.Operator.ALL),
          other.statistics("kettle", SearchRequest.Operator.ALL)));
      index.serve(probe); // states kept from a search with the local statistics
      EntryIndex.Served a = index.serve(probe.withStats(false, global));
      try (EntryIndex again = EntryIndex.open(dir.resolve("again"), key)) {
        entries.forEach(again::upsert);
        again.commit();
        EntryIndex.Served b = again.serve(probe.withStats(false, global));
        assertThat(a.hits()).hasSameSizeAs(b.hits());
        for (int i = 0; i < a.hits().size(); i++) {
          assertThat(a.hits().get(i).cid()).isEqualTo(b.hits().get(i).cid());
          assertThat(a.hits().get(i).score()).isEqualTo(b.hits().get(i).score());
        }
        assertThat(a.hits().getFirst().score()).isNotEqualTo(index.serve(probe).hits().getFirst().score());
      }
    }
  }
}
