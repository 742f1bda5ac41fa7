package io.fedsearch.indexer.search;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.automaton.ByteRunAutomaton;

/**
 * The terms of a parsed query whose terms do not depend on the index it runs against — no prefix or other
 * multi-term parts, which every index expands into its own terms. For such a query the terms its statistics are
 * made of ({@link io.fedsearch.indexer.index.EntryIndex#statistics}) are known without asking an index, and
 * whether an index can match it at all follows from which of its terms the index has.
 */
public final class QueryTerms {
  private final Query query;
  private final Set<QueryStats.TermKey> terms;
  /**
   * The key of each of the query's Lucene terms, made once: routing looks terms up for every peer and segment,
   * and a {@link Term}'s text is decoded from UTF-8 (and its hash recomputed) on every call.
   */
  private final Map<Term, QueryStats.TermKey> keys;

  private QueryTerms(Query query, Set<QueryStats.TermKey> terms, Map<Term, QueryStats.TermKey> keys) {
    this.query = query;
    this.terms = Set.copyOf(terms);
    this.keys = keys;
  }

  /** The terms of {@code query}, or empty when some part of it expands differently on every index. */
  public static Optional<QueryTerms> of(Query query) {
    Set<QueryStats.TermKey> terms = new TreeSet<>();
    Map<Term, QueryStats.TermKey> keys = new IdentityHashMap<>();
    boolean[] expands = {false};
    query.visit(new QueryVisitor() {
      @Override
      public void consumeTerms(Query q, Term... ts) {
        for (Term t : ts) {
          QueryStats.TermKey k = new QueryStats.TermKey(t.field(), t.text());
          terms.add(k);
          keys.put(t, k);
        }
      }

      @Override
      public void consumeTermsMatching(Query q, String field, java.util.function.Supplier<ByteRunAutomaton> a) {
        expands[0] = true;
      }

      @Override
      public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
        // Statistics leave out prohibited clauses (Lucene's term collector does); expansion anywhere disqualifies.
        return occur == BooleanClause.Occur.MUST_NOT ? new QueryVisitor() {
          @Override
          public void consumeTermsMatching(Query q, String field, java.util.function.Supplier<ByteRunAutomaton> a) {
            expands[0] = true;
          }

          @Override
          public QueryVisitor getSubVisitor(BooleanClause.Occur o, Query p) {
            return this;
          }
        } : this;
      }
    });
    return expands[0] ? Optional.empty() : Optional.of(new QueryTerms(query, terms, keys));
  }

  /** The (field, term) pairs the query's statistics consist of. */
  public Set<QueryStats.TermKey> terms() {
    return terms;
  }

  /** Where in one index segment a term's documents are: a set of buckets ({@link DocBuckets}). */
  public interface Buckets {
    /**
     * The buckets holding documents with {@code key}: {@link BucketSet#EMPTY} when none does, null when any may (not
     * known).
     */
    BucketSet of(QueryStats.TermKey key);
  }

  /**
   * Whether an index holding exactly the terms for which {@code present} is true could match the query. Errs
   * towards yes: query types it does not know are assumed to match.
   */
  public boolean canMatch(Predicate<QueryStats.TermKey> present) {
    return canMatchIn(key -> present.test(key) ? null : BucketSet.EMPTY);
  }

  /**
   * Whether a segment whose terms are in {@code buckets} could match the query: some bucket holds every term the
   * query's structure requires of one document (an ALL query's words, a phrase's terms, at least one of a group
   * of alternatives). Errs towards yes: a term whose buckets are not known, and a query type it does not know,
   * count as everywhere.
   */
  public boolean canMatchIn(Buckets buckets) {
    BucketSet where = where(query, buckets);
    return where == null || !where.isEmpty();
  }

  private QueryStats.TermKey key(Term t) {
    QueryStats.TermKey k = keys.get(t);
    return k != null ? k : new QueryStats.TermKey(t.field(), t.text());
  }

  /** The buckets that may hold a match of {@code q}; null for all of them. */
  private BucketSet where(Query q, Buckets in) {
    if (q instanceof TermQuery t) {
      return in.of(key(t.getTerm()));
    }
    if (q instanceof BoostQuery b) {
      return where(b.getQuery(), in);
    }
    if (q instanceof ConstantScoreQuery c) {
      return where(c.getQuery(), in);
    }
    if (q instanceof PhraseQuery p) {
      BucketSet all = null;
      for (Term t : p.getTerms()) {
        all = BucketSet.and(all, in.of(key(t)));
      }
      return all;
    }
    if (q instanceof MatchNoDocsQuery) {
      return BucketSet.EMPTY;
    }
    if (q instanceof BooleanQuery b) {
      BucketSet required = null;
      boolean anyRequired = false;
      BucketSet alternatives = null; // their union, once there is one (null: every bucket)
      int should = 0;
      for (BooleanClause c : b.clauses()) {
        switch (c.occur()) {
          case MUST, FILTER -> {
            anyRequired = true;
            required = BucketSet.and(required, where(c.query(), in));
          }
          case SHOULD -> {
            BucketSet w = where(c.query(), in);
            alternatives = should++ == 0 ? w : BucketSet.or(alternatives, w);
          }
          case MUST_NOT -> { } // can only remove matches
        }
      }
      // Alternatives restrict a match only when one of them must hold: no required clause, or a minimum to match.
      boolean oneMustHold = should > 0 && (!anyRequired || b.getMinimumNumberShouldMatch() > 0);
      return oneMustHold ? BucketSet.and(required, alternatives) : required;
    }
    return null;
  }
}
