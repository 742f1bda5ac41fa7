package io.fedsearch.indexer.search;

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

  private QueryTerms(Query query, Set<QueryStats.TermKey> terms) {
    this.query = query;
    this.terms = Set.copyOf(terms);
  }

  /** The terms of {@code query}, or empty when some part of it expands differently on every index. */
  public static Optional<QueryTerms> of(Query query) {
    Set<QueryStats.TermKey> terms = new TreeSet<>();
    boolean[] expands = {false};
    query.visit(new QueryVisitor() {
      @Override
      public void consumeTerms(Query q, Term... ts) {
        for (Term t : ts) {
          terms.add(new QueryStats.TermKey(t.field(), t.text()));
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
    return expands[0] ? Optional.empty() : Optional.of(new QueryTerms(query, terms));
  }

  /** The (field, term) pairs the query's statistics consist of. */
  public Set<QueryStats.TermKey> terms() {
    return terms;
  }

  /**
   * Whether an index holding exactly the terms for which {@code present} is true could match the query. Errs
   * towards yes: query types it does not know are assumed to match.
   */
  public boolean canMatch(Predicate<QueryStats.TermKey> present) {
    return canMatch(query, present);
  }

  private static boolean canMatch(Query q, Predicate<QueryStats.TermKey> present) {
    if (q instanceof TermQuery t) {
      return present.test(new QueryStats.TermKey(t.getTerm().field(), t.getTerm().text()));
    }
    if (q instanceof BoostQuery b) {
      return canMatch(b.getQuery(), present);
    }
    if (q instanceof ConstantScoreQuery c) {
      return canMatch(c.getQuery(), present);
    }
    if (q instanceof PhraseQuery p) {
      for (Term t : p.getTerms()) {
        if (!present.test(new QueryStats.TermKey(t.field(), t.text()))) {
          return false;
        }
      }
      return true;
    }
    if (q instanceof MatchNoDocsQuery) {
      return false;
    }
    if (q instanceof BooleanQuery b) {
      boolean required = false;
      int should = 0;
      int shouldMatchable = 0;
      for (BooleanClause c : b.clauses()) {
        switch (c.occur()) {
          case MUST, FILTER -> {
            required = true;
            if (!canMatch(c.query(), present)) {
              return false;
            }
          }
          case SHOULD -> {
            should++;
            if (canMatch(c.query(), present)) {
              shouldMatchable++;
            }
          }
          case MUST_NOT -> { } // can only remove matches
        }
      }
      if (b.getMinimumNumberShouldMatch() > 0) {
        return shouldMatchable >= b.getMinimumNumberShouldMatch();
      }
      return required || should == 0 || shouldMatchable > 0;
    }
    return true;
  }
}
