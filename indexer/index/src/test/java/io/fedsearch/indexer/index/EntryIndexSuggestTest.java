package io.fedsearch.indexer.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Title suggestions for the search box: prefix of the last word, earlier words required, tombstones excluded. */
class EntryIndexSuggestTest {
  private static Entry entry(String id, String title) {
    return new Entry("shop", id, title, "something else entirely", "", List.of(), "", 1, null, null);
  }

  @Test
  void suggestsTitlesByPrefixShortestFirst(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, NodeKey.generate())) {
      index.upsert(entry("1", "parser combinators for json"));
      index.upsert(entry("2", "Parse5"));
      index.upsert(entry("3", "yaml parser"));
      index.upsert(entry("4", "kettle"));
      index.upsert(entry("5", "parsimonious"));
      index.commit();

      assertThat(index.suggestTitles("pars", 10))
          .containsExactly("Parse5", "yaml parser", "parsimonious", "parser combinators for json");
      assertThat(index.suggestTitles("pars", 2)).containsExactly("Parse5", "yaml parser");
      assertThat(index.suggestTitles("yaml pa", 10)).containsExactly("yaml parser");
      // A completed word is matched as a word (stemmed like search), not as a prefix.
      assertThat(index.suggestTitles("parser ", 10)).containsExactly("yaml parser", "parser combinators for json");
      assertThat(index.suggestTitles("  <>\"' ", 10)).isEmpty();
      assertThat(index.suggestTitles("zzz", 10)).isEmpty();

      index.delete("shop", "3", Instant.now());
      index.commit();
      assertThat(index.suggestTitles("yaml", 10)).isEmpty();
    }
  }
}
