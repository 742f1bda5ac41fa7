package io.fedsearch.indexer.search;

import java.io.IOException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermStatistics;

/**
 * An {@link IndexSearcher} that scores with supplied (global) statistics instead of its own index's. Lucene asks
 * the searcher for statistics when it builds a query's weights, so overriding these two methods is all it takes
 * for BM25 scores from different shards to be comparable. Terms or fields the supplied statistics do not cover
 * fall back to the local ones.
 */
public final class StatsSearcher extends IndexSearcher {
  private final QueryStats global;

  public StatsSearcher(IndexReader reader, QueryStats global) {
    super(reader);
    this.global = global;
  }

  @Override
  public TermStatistics termStatistics(Term term, int docFreq, long totalTermFreq) throws IOException {
    QueryStats.TermStats s = global.terms().get(new QueryStats.TermKey(term.field(), term.text()));
    if (s == null || s.docFreq() <= 0) {
      return super.termStatistics(term, docFreq, totalTermFreq);
    }
    return new TermStatistics(term.bytes(), s.docFreq(), Math.max(s.docFreq(), s.totalTermFreq()));
  }

  @Override
  public CollectionStatistics collectionStatistics(String field) throws IOException {
    QueryStats.FieldStats s = global.fields().get(field);
    if (s == null || s.docCount() <= 0) {
      return super.collectionStatistics(field);
    }
    return new CollectionStatistics(
        field, Math.max(global.maxDoc(), s.docCount()), s.docCount(), s.sumTotalTermFreq(), s.sumDocFreq());
  }
}
