package io.fedsearch.indexer.search;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statistics BM25 needs for one query: per field, the collection statistics (documents with the field, sum of
 * term frequencies), and per query term its document frequency and total term frequency. Statistics of disjoint
 * indexes add up ({@link #merge}); scoring every index with the merged statistics ranks the union exactly as one
 * index holding all the documents would.
 */
public record QueryStats(long maxDoc, Map<String, FieldStats> fields, Map<TermKey, TermStats> terms) {

  public QueryStats {
    fields = Map.copyOf(fields);
    terms = Map.copyOf(terms);
  }

  public record FieldStats(long docCount, long sumTotalTermFreq, long sumDocFreq) {
    /** A field with no document: what an index reports for a searched field it never saw. */
    public static final FieldStats EMPTY = new FieldStats(0, 0, 0);

    FieldStats plus(FieldStats o) {
      return new FieldStats(docCount + o.docCount, sumTotalTermFreq + o.sumTotalTermFreq, sumDocFreq + o.sumDocFreq);
    }
  }

  public record TermKey(String field, String term) implements Comparable<TermKey> {
    @Override
    public int compareTo(TermKey o) {
      int c = field.compareTo(o.field);
      return c != 0 ? c : term.compareTo(o.term);
    }
  }

  public record TermStats(long docFreq, long totalTermFreq) {
    TermStats plus(TermStats o) {
      return new TermStats(docFreq + o.docFreq, totalTermFreq + o.totalTermFreq);
    }
  }

  public static QueryStats merge(Collection<QueryStats> parts) {
    long maxDoc = 0;
    Map<String, FieldStats> fields = new TreeMap<>();
    Map<TermKey, TermStats> terms = new TreeMap<>();
    for (QueryStats p : parts) {
      maxDoc += p.maxDoc;
      p.fields.forEach((f, s) -> fields.merge(f, s, FieldStats::plus));
      p.terms.forEach((t, s) -> terms.merge(t, s, TermStats::plus));
    }
    return new QueryStats(maxDoc, fields, terms);
  }
}
