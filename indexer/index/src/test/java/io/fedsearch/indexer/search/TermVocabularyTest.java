package io.fedsearch.indexer.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.index.EntryDocuments;
import io.fedsearch.indexer.index.EntryIndex;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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

  private static TermVocabulary read(EntryIndex index, String segment, int rowsPerPage, List<VocabularyPage> pages) {
    TermVocabulary.Builder b = new TermVocabulary.Builder(1_000_000);
    VocabularyPage.Cursor at = VocabularyPage.Cursor.START;
    while (at != null) {
      VocabularyPage p = index.vocabulary(segment, at, rowsPerPage, 1 << 20);
      pages.add(p);
      assertThat(p.rows().size()).isLessThanOrEqualTo(rowsPerPage);
      assertThat(b.add(p)).isEqualTo(p.next() != null);
      at = p.next();
    }
    return b.build();
  }

  /** The index's vocabulary now, reusing the segment vocabularies in {@code known} and adding to it. */
  private static SegmentedVocabulary read(EntryIndex index, int rowsPerPage, Map<String, TermVocabulary> known,
      List<VocabularyPage> pages) {
    IndexSegments list = index.segments();
    List<TermVocabulary> parts = new ArrayList<>();
    for (IndexSegments.Segment s : list.segments()) {
      parts.add(known.computeIfAbsent(s.id(), id -> read(index, id, rowsPerPage, pages)));
    }
    return new SegmentedVocabulary(list, parts);
  }

  private static final List<String> QUERIES = List.of("brass lantern", "\"oil lantern\" brass", "lantern -brass",
      "lantern | kettle", "the of and", "Lanterns running", "wick", "naïve café", "𠀋", "zither strings",
      "absent words only", "kettle | absent", "lantern hook");

  private void assertComposedEqualsIndex(SegmentedVocabulary v, EntryIndex index) {
    for (String q : QUERIES) {
      for (SearchRequest.Operator op : SearchRequest.Operator.values()) {
        QueryTerms terms = QueryTerms.of(parsing.parse(q, op)).orElseThrow();
        assertThat(v.statistics(terms.terms())).as(q + " " + op).isEqualTo(index.statistics(q, op));
      }
    }
  }

  @Test
  void composedStatisticsEqualWhatTheIndexReports(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, NodeKey.generate())) {
      fill(index);
      List<VocabularyPage> pages = new ArrayList<>();
      SegmentedVocabulary small = read(index, 3, new HashMap<>(), pages);
      assertThat(small.segments()).as("one per segment").hasSameSizeAs(index.segments().segments());
      assertThat(pages.size()).as("paged").isGreaterThan(4);
      SegmentedVocabulary whole = read(index, 1000, new HashMap<>(), new ArrayList<>());
      assertThat(small.size()).isEqualTo(whole.size()).isGreaterThan(15);
      assertThat(small.version()).isEqualTo(index.version());
      assertComposedEqualsIndex(small, index);
      assertComposedEqualsIndex(whole, index);
      assertThat(small.get(new QueryStats.TermKey(EntryDocuments.TITLE, "nowhere")))
          .isEqualTo(new QueryStats.TermStats(0, 0));
    }
  }

  @Test
  void aNewVersionIsMostlySegmentsAlreadyRead(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, NodeKey.generate())) {
      fill(index);
      Map<String, TermVocabulary> known = new HashMap<>();
      SegmentedVocabulary before = read(index, 1000, known, new ArrayList<>());
      index.upsert(entry("5", "Lantern hook", "iron hook for a lantern"));
      index.delete("shop", "2", Instant.now());
      index.commit();
      List<VocabularyPage> fresh = new ArrayList<>();
      SegmentedVocabulary after = read(index, 1000, known, fresh);
      assertThat(after.version()).isNotEqualTo(before.version());
      // Only segments not read before are read (the new one, and any a merge made); the others are reused.
      var readBefore = before.segments().stream().map(TermVocabulary::segment).toList();
      assertThat(fresh).extracting(VocabularyPage::segment).isNotEmpty().doesNotContainAnyElementsOf(readBefore);
      assertComposedEqualsIndex(after, index);
    }
  }

  @Test
  void pagesOfDifferentSegmentsOrMismatchedListsAreRejected(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, NodeKey.generate())) {
      fill(index);
      IndexSegments list = index.segments();
      String a = list.segments().get(0).id();
      String b = list.segments().get(1).id();
      TermVocabulary.Builder builder = new TermVocabulary.Builder(1_000_000);
      VocabularyPage first = index.vocabulary(a, VocabularyPage.Cursor.START, 2, 1 << 20);
      assertThat(builder.add(first)).isTrue();
      assertThatThrownBy(() -> builder.add(index.vocabulary(b, first.next(), 2, 1 << 20)))
          .hasMessageContaining("different segments");
      assertThatThrownBy(() -> index.vocabulary("nosuchsegment", VocabularyPage.Cursor.START, 2, 1 << 20))
          .isInstanceOf(java.util.NoSuchElementException.class).hasMessageContaining("no segment nosuchsegment");
      List<TermVocabulary> parts = new ArrayList<>();
      for (IndexSegments.Segment s : list.segments()) {
        parts.add(read(index, s.id(), 1000, new ArrayList<>()));
      }
      assertThatThrownBy(() -> new SegmentedVocabulary(list, parts.reversed()))
          .hasMessageContaining("does not match the listed");
      assertThatThrownBy(() -> new SegmentedVocabulary(list, parts.subList(1, parts.size())))
          .hasMessageContaining("segment vocabularies for");
      assertThatThrownBy(() -> new IndexSegments(1, List.of(list.segments().get(0), list.segments().get(0))))
          .hasMessageContaining("listed twice");
    }
  }

  /**
   * A segment's bucket sets tell that a query has no match in it when its required words are never in one
   * document, and never say so of a query that matches (small segments are described exactly).
   */
  @Test
  void bucketSetsLeaveOutOnlyIndexesWhereNoDocumentHasEveryRequiredWord(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, NodeKey.generate())) {
      fill(index);
      SegmentedVocabulary v = read(index, 4, new HashMap<>(), new ArrayList<>());
      for (String q : QUERIES) {
        for (SearchRequest.Operator op : SearchRequest.Operator.values()) {
          QueryTerms terms = QueryTerms.of(parsing.parse(q, op)).orElseThrow();
          boolean matches = index.search(SearchRequest.of(q, 10).withOperator(op)).totalHits() > 0;
          if (matches) {
            assertThat(v.canMatch(terms)).as(q + " " + op + " matches, so it can").isTrue();
          }
        }
      }
      // Every word is in the index, never two in one document (deleted ones included): no match, and it knows.
      for (String q : List.of("brass kettle", "polished wick", "brass spare", "zither lantern",
          "\"kettle stove\" wick", "strings oil")) {
        for (String word : q.replace("\"", "").split(" ")) {
          assertThat(v.canMatch(QueryTerms.of(parsing.parse(word, SearchRequest.Operator.ALL)).orElseThrow()))
              .as(word + " alone").isTrue();
        }
        QueryTerms terms = QueryTerms.of(parsing.parse(q, SearchRequest.Operator.ALL)).orElseThrow();
        assertThat(v.canMatch(terms)).as(q).isFalse();
        assertThat(v.canMatch(QueryTerms.of(parsing.parse(q, SearchRequest.Operator.ANY)).orElseThrow()))
            .as(q + " with any word").isTrue();
      }
      // In one document: a title word with a description word, a phrase.
      for (String q : List.of("zither strings", "kettle stove", "\"oil lantern\" brass", "polished lantern")) {
        assertThat(v.canMatch(QueryTerms.of(parsing.parse(q, SearchRequest.Operator.ALL)).orElseThrow())).as(q)
            .isTrue();
      }
    }
  }

  /**
   * A segment of 6,000 documents: "heron" only in the first, "marsh" only in the 4,097th. With 4,096 buckets (the
   * bound before session 15) both fell in bucket 0 and the index had to be asked; with 8,192 they do not share one.
   */
  @Test
  void wordsApartInALargeSegmentAreKnownNotToMeet(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, NodeKey.generate())) {
      for (int i = 0; i < 6_000; i++) {
        String title = i == 0 ? "Grey heron" : i == 4096 ? "Salt marsh" : "Item " + i;
        index.upsert(entry("e" + i, title, "filler text"));
      }
      index.commit();
      SegmentedVocabulary v = read(index, 1 << 15, new HashMap<>(), new ArrayList<>());
      assertThat(v.segments()).hasSize(1);
      assertThat(index.search(SearchRequest.of("heron marsh", 10)).totalHits()).isZero();
      assertThat(v.canMatch(QueryTerms.of(parsing.parse("heron marsh", SearchRequest.Operator.ALL)).orElseThrow()))
          .isFalse();
      assertThat(v.canMatch(QueryTerms.of(parsing.parse("heron filler", SearchRequest.Operator.ALL)).orElseThrow()))
          .isTrue();
      assertThat(v.canMatch(QueryTerms.of(parsing.parse("heron marsh", SearchRequest.Operator.ANY)).orElseThrow()))
          .isTrue();
    }
  }

  @Test
  void bucketSetsAPeerCouldNotHaveAreRejected() {
    Map<String, QueryStats.FieldStats> f = Map.of(EntryDocuments.DESCRIPTION, new QueryStats.FieldStats(3, 9, 8),
        EntryDocuments.TITLE, new QueryStats.FieldStats(3, 6, 6));
    VocabularyPage.Cursor titles = new VocabularyPage.Cursor(EntryDocuments.TITLE, null);
    VocabularyPage.Row twoBucketsOneDoc = new VocabularyPage.Row("a", 1, 1, new byte[] {0, 1, 0, 2});
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage("s1", 3, f,
        EntryDocuments.DESCRIPTION, List.of(twoBucketsOneDoc), titles, 64))).hasMessageContaining("impossible buckets");
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage("s1", 3, f,
        EntryDocuments.DESCRIPTION, List.of(new VocabularyPage.Row("a", 2, 2, new byte[] {0, 1, 0, 2})), titles,
        0))).as("bucket sets without a bucket count").hasMessageContaining("impossible buckets");
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage("s1", 3, f,
        EntryDocuments.DESCRIPTION, List.of(new VocabularyPage.Row("a", 1, 1)), titles, 128)))
        .hasMessageContaining("expected 64");
    TermVocabulary.Builder ok = new TermVocabulary.Builder(10);
    ok.add(new VocabularyPage("s1", 3, f, EntryDocuments.DESCRIPTION,
        List.of(new VocabularyPage.Row("a", 2, 2, new byte[] {0, 1, 0, 2})), titles, 64));
    assertThatThrownBy(() -> ok.add(new VocabularyPage("s1", 3, f, EntryDocuments.TITLE,
        List.of(new VocabularyPage.Row("b", 1, 1)), null, 0))).hasMessageContaining("different segments");
  }

  @Test
  void impossibleVocabulariesAreRejected() {
    Map<String, QueryStats.FieldStats> f = Map.of(EntryDocuments.DESCRIPTION, new QueryStats.FieldStats(3, 9, 8),
        EntryDocuments.TITLE, new QueryStats.FieldStats(3, 6, 6));
    VocabularyPage.Cursor titles = new VocabularyPage.Cursor(EntryDocuments.TITLE, null);
    VocabularyPage.Row a = new VocabularyPage.Row("a", 1, 1);
    VocabularyPage.Row b = new VocabularyPage.Row("b", 1, 1);
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage("s1", 3, f, EntryDocuments.TITLE,
        List.of(a), null))).hasMessageContaining("first page must start");
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage("s1", 3, f,
        EntryDocuments.DESCRIPTION, List.of(b, a), titles))).hasMessageContaining("out of order");
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage("s1", 3, f,
        EntryDocuments.DESCRIPTION, List.of(a, a), titles))).hasMessageContaining("out of order or repeated");
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage("s1", 3, f,
        EntryDocuments.DESCRIPTION, List.of(new VocabularyPage.Row("a", 4, 4)), titles)))
        .hasMessageContaining("impossible figures");
    assertThatThrownBy(() -> new TermVocabulary.Builder(1).add(new VocabularyPage("s1", 3, f,
        EntryDocuments.DESCRIPTION, List.of(a, b), titles))).hasMessageContaining("more than 1 terms");
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage("s1", 3, f,
        EntryDocuments.DESCRIPTION, List.of(a), new VocabularyPage.Cursor(EntryDocuments.DESCRIPTION, "a0"))))
        .as("a page that would not advance").hasMessageContaining("must start after");
    assertThatThrownBy(() -> new TermVocabulary.Builder(10).add(new VocabularyPage("s1", 3, f,
        EntryDocuments.DESCRIPTION, List.of(), new VocabularyPage.Cursor(EntryDocuments.DESCRIPTION, null))))
        .hasMessageContaining("must start after");
    assertThatThrownBy(() -> new TermVocabulary.Builder(2).add(new VocabularyPage("s1", 3, f,
        EntryDocuments.DESCRIPTION, List.of(new VocabularyPage.Row("a".repeat(65), 1, 1)), titles)))
        .hasMessageContaining("on average");
    TermVocabulary.Builder ok = new TermVocabulary.Builder(10);
    ok.add(new VocabularyPage("s1", 3, f, EntryDocuments.DESCRIPTION, List.of(a, b), titles));
    assertThatThrownBy(() -> ok.add(new VocabularyPage("s1", 3, f, "creator", List.of(a), null)))
        .hasMessageContaining("not a searched field");
  }
}
