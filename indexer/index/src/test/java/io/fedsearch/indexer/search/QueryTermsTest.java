package io.fedsearch.indexer.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.index.EntryDocuments;
import io.fedsearch.indexer.index.EntryIndex;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryTermsTest {
  private final QueryParsing parsing = new QueryParsing(EntryDocuments.analyzer());

  private QueryTerms terms(String q, SearchRequest.Operator op) {
    return QueryTerms.of(parsing.parse(q, op)).orElseThrow();
  }

  /** The terms known without an index are exactly those an index reports statistics for. */
  @Test
  void termsAreThoseTheIndexReportsStatisticsFor(@TempDir Path dir) throws Exception {
    try (EntryIndex index = EntryIndex.open(dir, NodeKey.generate())) {
      index.upsert(new Entry("shop", "1", "Brass lantern", "an oil lantern, the old kind", "ann", List.of(), "", 5,
          null, null));
      index.commit();
      for (String q : List.of("brass lantern", "\"oil lantern\" brass", "lantern -brass", "lantern | kettle",
          "the of and", "Lanterns running", "(brass | copper) +lamp", "naïve café", "brass brass -brass")) {
        for (SearchRequest.Operator op : SearchRequest.Operator.values()) {
          assertThat(terms(q, op).terms()).as(q + " " + op)
              .isEqualTo(index.statistics(q, op).terms().keySet());
        }
      }
    }
  }

  @Test
  void prefixQueriesExpandPerIndexSoHaveNoFixedTerms() {
    assertThat(QueryTerms.of(parsing.parse("lant*", SearchRequest.Operator.ALL))).isEmpty();
    assertThat(QueryTerms.of(parsing.parse("brass -lant*", SearchRequest.Operator.ALL))).isEmpty();
  }

  @Test
  void canMatchFollowsTheQuerysStructure() {
    Set<String> has = Set.of("brass", "lantern");
    Predicate<QueryStats.TermKey> present = k -> has.contains(k.term());
    assertThat(terms("brass lantern", SearchRequest.Operator.ALL).canMatch(present)).isTrue();
    assertThat(terms("brass kettle", SearchRequest.Operator.ALL).canMatch(present)).isFalse();
    assertThat(terms("brass kettle", SearchRequest.Operator.ANY).canMatch(present)).isTrue();
    assertThat(terms("kettle copper", SearchRequest.Operator.ANY).canMatch(present)).isFalse();
    assertThat(terms("\"brass kettle\"", SearchRequest.Operator.ANY).canMatch(present)).isFalse();
    assertThat(terms("lantern -kettle", SearchRequest.Operator.ALL).canMatch(present)).isTrue();
    assertThat(terms("kettle | brass", SearchRequest.Operator.ALL).canMatch(present)).isTrue();
    assertThat(terms("", SearchRequest.Operator.ALL).canMatch(k -> false)).as("blank: match-all").isTrue();
    // Only stopwords: the parser's query matches nothing, anywhere.
    assertThat(terms("the", SearchRequest.Operator.ALL).canMatch(k -> true)).isFalse();
  }
}
