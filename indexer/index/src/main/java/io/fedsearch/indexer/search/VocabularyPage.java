package io.fedsearch.indexer.search;

import java.util.List;
import java.util.Map;

/**
 * One page of one index segment's vocabulary: consecutive terms of one searched field ({@link QueryParsing#FIELDS})
 * in Lucene's term order, each with its statistics. A segment never changes once written (Lucene's statistics count
 * deleted documents until a merge replaces the segment), so its vocabulary, named by the segment's id, holds at
 * every index version that has the segment. Every page repeats the segment's figures ({@code maxDoc} and the
 * collection statistics of every searched field) so a reader can check that all pages come from one segment.
 * {@code next} says where the following page starts; null on the last page.
 */
public record VocabularyPage(String segment, long maxDoc, Map<String, QueryStats.FieldStats> fields, String field,
    List<Row> rows, Cursor next) {

  public VocabularyPage {
    fields = Map.copyOf(fields);
    rows = List.copyOf(rows);
  }

  /** One term and its statistics (document frequency, total term frequency), as phase one would report them. */
  public record Row(String term, long docFreq, long totalTermFreq) {}

  /** Where a page starts: the terms of {@code field} after {@code after} (from the first term when null). */
  public record Cursor(String field, String after) {
    public static final Cursor START = new Cursor(QueryParsing.FIELDS.get(0), null);
  }
}
