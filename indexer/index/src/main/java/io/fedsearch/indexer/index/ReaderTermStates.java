package io.fedsearch.indexer.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.index.IndexReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Where each query term's postings lie in the reader searches use now ({@link TermStates}: per segment, its
 * document frequency and postings pointers), kept from one search to the next while that reader is current.
 * Building them is a seek in every segment's terms dictionary per term — the largest part of a shard's search
 * for the short queries a federation sends, repeated for every popular query — and they cannot change while the
 * reader does not: a new reader (any write made visible) starts an empty memory, and Lucene itself ignores states
 * built for another reader ({@code TermStates.wasBuiltFor}: it builds them again), so a search racing a reopen is
 * never answered from the wrong postings. Scores are unchanged: Lucene builds the same states itself when none are
 * given, and the searcher's statistics (global ones for a federated search) still come from the searcher.
 */
final class ReaderTermStates {
  /** Terms remembered per reader, at most: a few hundred bytes each for an index of a few segments. */
  private static final int MAX_TERMS = 20_000;
  /** Queries remembered with their terms' states, per reader. */
  private static final int MAX_QUERIES = 4_000;

  /**
   * One reader's states: per term, and per parsed query the query carrying them (parsed queries are remembered
   * by {@code QueryParsing}, so a repeated query is found by identity before its terms are even hashed).
   */
  private record Memory(IndexReaderContext context, Cache<Term, TermStates> states, Cache<Query, Query> queries) {}

  private volatile Memory memory;

  /**
   * {@code query} with every term query (also under boosts and boolean clauses) given its states for
   * {@code searcher}'s reader; other queries are left as they are.
   */
  Query withStates(Query query, IndexSearcher searcher) throws IOException {
    IndexReaderContext context = searcher.getTopReaderContext();
    Memory m = memory;
    if (m == null || m.context() != context) {
      // housekeeping on the searching thread: the common pool's would wake a thread every few searches
      m = new Memory(context, Caffeine.newBuilder().maximumSize(MAX_TERMS).executor(Runnable::run).build(),
          Caffeine.newBuilder().maximumSize(MAX_QUERIES).executor(Runnable::run).build());
      memory = m; // a search on an older reader meanwhile just builds its own states again
    }
    Query known = m.queries().getIfPresent(query);
    if (known != null) {
      return known;
    }
    try {
      Query with = with(query, searcher, m);
      m.queries().put(query, with);
      return with;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static Query with(Query q, IndexSearcher searcher, Memory m) {
    if (q instanceof TermQuery t) {
      TermStates states = m.states().get(t.getTerm(), term -> build(searcher, term));
      return new TermQuery(t.getTerm(), states);
    }
    if (q instanceof BoostQuery b) {
      return new BoostQuery(with(b.getQuery(), searcher, m), b.getBoost());
    }
    if (q instanceof BooleanQuery bq) {
      BooleanQuery.Builder out = new BooleanQuery.Builder().setMinimumNumberShouldMatch(bq.getMinimumNumberShouldMatch());
      for (BooleanClause c : bq.clauses()) {
        out.add(with(c.query(), searcher, m), c.occur());
      }
      return out.build();
    }
    return q;
  }

  private static TermStates build(IndexSearcher searcher, Term term) {
    try {
      return TermStates.build(searcher, term, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
