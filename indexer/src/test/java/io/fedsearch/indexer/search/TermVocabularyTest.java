package io.fedsearch.indexer.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.identity.NodeKey;
import io.fedsearch.indexer.index.EntryDocuments;
import io.fedsearch.indexer.index.EntryIndex;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TermVocabularyTest {
  private final QueryParsing parsing = new QueryParsing(EntryDocuments.analyzer());

  private static Entry entry(String id, String title, String description) {
    return new Entry("shop", id, title, description, "ann", List.of(), "", 5, null, null);
  }

  /** Several segments, a replaced entry and a deleted one: statistics count deleted documents until merged. */
  private static void fill(EntryIndex index) {
    index.upsert(entry("1", "Brass lantern", "an oil lantern, the old kind"));
    index.upsert(entry("2", "Copper kettle", "a kettle for the stove; naïve café 𠀋 ideograph"));
    index.commit();
    index.upsert(entry("3", "Lantern wick", "spare wicks for an oil lantern"));
    index.upsert(entry("1", "Brass lantern, polished", "an oil lantern, polished"));
    index.commit();
    index.delete("shop", "3", Instant.now());
    index.upsert(entry("4", "Zither", "strings"));
    index.commit();
  }

  private static TermVocabulary read(EntryIndex index, int rowsPerPage, List<VocabularyPage> pages) {
    TermVocabulary.Builder b = new TermVocabulary.Builder(1_000_000);
    VocabularyPage.Cursor at = VocabularyPage.Cursor.START;
    while (at != null) {
      VocabularyPage p = index.vocabulary(at, rowsPerPage, 1 << 20);
      pages.add(p);
      assertThat(p.rows().size()).isLessThanOrEqualTo(rowsPerPage);
      assertThat(b.add(p)).isEqualTo(p.next() != null);
      at = p.next();
    }
    return b.build();
  }

  @Test
  void composedStatisticsEqualWhatTheIndexReports(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, NodeKey.generate())) {
      fill(index);
      List<VocabularyPage> pages = new ArrayList<>();
      TermVocabulary small = read(index, 3, pages);
      assertThat(pages.size()).as("paged").isGreaterThan(4);
      TermVocabulary whole = read(index, 1000, new ArrayList<>());
      assertThat(small.size()).isEqualTo(whole.size()).isGreaterThan(15);
      assertThat(small.version()).isEqualTo(index.version());
      for (String q : List.of("brass lantern", "\"oil lantern\" brass", "lantern -brass", "lantern | kettle",
          "the of and", "Lanterns running", "wick", "naïve café", "𠀋", "zither strings", "absent words only",
          "kettle | absent")) {
        for (SearchRequest.Operator op : SearchRequest.Operator.values()) {
          QueryTerms terms = QueryTerms.of(parsing.parse(q, op)).orElseThrow();
          assertThat(small.statistics(terms.terms())).as(q + " " + op).isEqualTo(index.statistics(q, op));
          assertThat(whole.statistics(terms.terms())).as(q + " " + op).isEqualTo(index.statistics(q, op));
        }
      }
      assertThat(small.get(new QueryStats.TermKey(EntryDocuments.TITLE, "nowhere")))
          .isEqualTo(new QueryStats.TermStats(0, 0));
    }
  }

  @Test
  void pagesFromDifferentVersionsAreRejected(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, NodeKey.generate())) {
      fill(index);
      TermVocabulary.Builder b = new TermVocabulary.Builder(1_000_000);
      VocabularyPage first = index.vocabulary(VocabularyPage.Cursor.START, 2, 1 << 20);
      assertThat(b.add(first)).isTrue();
      index.upsert(entry("5", "Lantern hook", "iron"));
      index.commit();
      assertThatThrownBy(() -> b.add(index.vocabulary(first.next(), 2, 1 << 20)))
          .hasMessageContaining("different index versions");
    }
  }

  @Test
  void impossibleVocabulariesAreRejected() {
    Map<String, QueryStats.FieldStats> f = Map.of(EntryDocuments.DESCRIPTION, new QueryStats.FieldStats(3, 9, 8),
        EntryDocuments.TITLE, new QueryStats.FieldStats(3, 6, 6));
    VocabularyPage.Cursor titles = new VocabularyPage.Cursor(EntryDocuments.TITLE, null);
    VocabularyPage.Row a = new VocabularyPage.Row("a", 1, 1);
    VocabularyPage.Row b = new VocabularyPage.Row("b", 1, 1);
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage(1, 3, f, EntryDocuments.TITLE,
        List.of(a), null))).hasMessageContaining("first page must start");
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage(1, 3, f,
        EntryDocuments.DESCRIPTION, List.of(b, a), titles))).hasMessageContaining("out of order");
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage(1, 3, f,
        EntryDocuments.DESCRIPTION, List.of(a, a), titles))).hasMessageContaining("out of order or repeated");
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage(1, 3, f,
        EntryDocuments.DESCRIPTION, List.of(new VocabularyPage.Row("a", 4, 4)), titles)))
        .hasMessageContaining("impossible figures");
    assertThatThrownBy(() -> new TermVocabulary.Builder(1).add(new VocabularyPage(1, 3, f,
        EntryDocuments.DESCRIPTION, List.of(a, b), titles))).hasMessageContaining("more than 1 terms");
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage(1, 3, f,
        EntryDocuments.DESCRIPTION, List.of(a), new VocabularyPage.Cursor(EntryDocuments.DESCRIPTION, "a0"))))
        .as("a page that would not advance").hasMessageContaining("must start after");
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage(1, 3, f,
        EntryDocuments.DESCRIPTION, List.of(), new VocabularyPage.Cursor(EntryDocuments.DESCRIPTION, null))))
        .hasMessageContaining("must start after");
    assertThatThrownBy(() -> new TermVocabulary.Builder(2).add(new VocabularyPage(1, 3, f,
        EntryDocuments.DESCRIPTION, List.of(new VocabularyPage.Row("a".repeat(65), 1, 1)), titles)))
        .hasMessageContaining("on average");
    TermVocabulary.Builder ok = new TermVocabulary.Builder(10);
    ok.add(new VocabularyPage(1, 3, f, EntryDocuments.DESCRIPTION, List.of(a, b), titles));
    assertThatThrownBy(() -> ok.add(new VocabularyPage(1, 3, f, "creator", List.of(a), null)))
        .hasMessageContaining("not a searched field");
  }
}
