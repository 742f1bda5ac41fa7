package io.fedsearch.indexer.index;

import io.fedsearch.indexer.search.QueryStats;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;

/**
 * One index's statistics for the terms of a query: what phase one of a federated search sums across nodes. The
 * terms are those of the query rewritten against this index (so prefix expansions are this index's own), leaving
 * out prohibited clauses, as Lucene's term collector does ({@link io.fedsearch.indexer.search.QueryTerms} relies on
 * it).
 */
final class IndexStatistics {
  private IndexStatistics() {}

  static QueryStats of(IndexSearcher s, Query text) throws IOException {
    Set<Term> terms = new HashSet<>();
    s.rewrite(text).visit(QueryVisitor.termCollector(terms));
    IndexReader r = s.getIndexReader();
    Map<QueryStats.TermKey, QueryStats.TermStats> termStats = new TreeMap<>();
    Map<String, QueryStats.FieldStats> fields = new TreeMap<>();
    for (Term t : terms) {
      // One terms-dictionary seek per segment gives both figures (docFreq and totalTermFreq each seek again).
      TermStates ts = TermStates.build(s, t, true);
      termStats.put(new QueryStats.TermKey(t.field(), t.text()),
          new QueryStats.TermStats(ts.docFreq(), ts.docFreq() == 0 ? 0 : ts.totalTermFreq()));
      if (!fields.containsKey(t.field())) {
        CollectionStatistics cs = s.collectionStatistics(t.field());
        fields.put(t.field(), cs == null
            ? QueryStats.FieldStats.EMPTY
            : new QueryStats.FieldStats(cs.docCount(), cs.sumTotalTermFreq(), cs.sumDocFreq()));
      }
    }
    return new QueryStats(r.maxDoc(), fields, termStats);
  }
}
