package io.fedsearch.indexer.search;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One page of one index segment's vocabulary: consecutive terms of one searched field ({@link QueryParsing#FIELDS})
 * in Lucene's term order, each with its statistics and the buckets of the segment's documents holding it
 * ({@link DocBuckets}). A segment never changes once written (Lucene's statistics count deleted documents until a
 * merge replaces the segment), so its vocabulary, named by the segment's id, holds at every index version that has
 * the segment. Every page repeats the segment's figures ({@code maxDoc}, the collection statistics of every searched
 * field, the bucket count) so a reader can check that all pages come from one segment. {@code next} says where the
 * following page starts; null on the last page.
 *
 * @param buckets the segment's bucket count ({@link DocBuckets#count}), or 0 when the rows carry no bucket sets
 *     (a peer from before they existed: every term counts as everywhere in the segment)
 */
public record VocabularyPage(String segment, long maxDoc, Map<String, QueryStats.FieldStats> fields, String field,
    List<Row> rows, Cursor next, int buckets) {

  public VocabularyPage {
    fields = Map.copyOf(fields);
    rows = List.copyOf(rows);
  }

  /** A page without bucket sets. */
  public VocabularyPage(String segment, long maxDoc, Map<String, QueryStats.FieldStats> fields, String field,
      List<Row> rows, Cursor next) {
    this(segment, maxDoc, fields, field, rows, next, 0);
  }

  /**
   * One term, its statistics (document frequency, total term frequency) as phase one would report them, and the
   * encoded set of buckets holding it ({@link DocBuckets}; empty: every bucket).
   */
  public record Row(String term, long docFreq, long totalTermFreq, byte[] buckets) {
    public Row {
      buckets = buckets.clone();
    }

    public Row(String term, long docFreq, long totalTermFreq) {
      this(term, docFreq, totalTermFreq, DocBuckets.EVERY);
    }

    @Override
    public byte[] buckets() {
      return buckets.clone();
    }

    /** Length of the encoded bucket set, without copying it. */
    public int bucketBytes() {
      return buckets.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Row r && term.equals(r.term) && docFreq == r.docFreq && totalTermFreq == r.totalTermFreq
          && Arrays.equals(buckets, r.buckets);
    }

    @Override
    public int hashCode() {
      return term.hashCode() * 31 + Arrays.hashCode(buckets);
    }

    @Override
    public String toString() {
      return "Row[" + term + ", " + docFreq + ", " + totalTermFreq + ", " + buckets.length + " bucket bytes]";
    }
  }

  /** Where a page starts: the terms of {@code field} after {@code after} (from the first term when null). */
  public record Cursor(String field, String after) {
    public static final Cursor START = new Cursor(QueryParsing.FIELDS.get(0), null);
  }
}
