package io.fedsearch.indexer.search;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An index's whole vocabulary at one version: the vocabularies of the segments it was made of then. Lucene's
 * statistics are per-segment figures summed, so a query's phase-one statistics follow from these exactly
 * ({@link #statistics}); a term no segment holds has no document in the index.
 */
public final class SegmentedVocabulary {
  private final long version;
  private final List<TermVocabulary> segments;
  private final long maxDoc;
  private final Map<String, QueryStats.FieldStats> fields;
  private final long size;

  /**
   * @param list the index's segments at its version
   * @param segments a vocabulary for each listed segment, in the list's order
   * @throws IllegalArgumentException when a vocabulary is missing, of another segment, or disagrees with the list's
   *     figures for its segment
   */
  public SegmentedVocabulary(IndexSegments list, List<TermVocabulary> segments) {
    if (segments.size() != list.segments().size()) {
      throw new IllegalArgumentException("vocabulary: " + segments.size() + " segment vocabularies for "
          + list.segments().size() + " segments");
    }
    Map<String, QueryStats.FieldStats> sum = new TreeMap<>();
    long docs = 0;
    long terms = 0;
    for (int i = 0; i < segments.size(); i++) {
      IndexSegments.Segment listed = list.segments().get(i);
      TermVocabulary v = segments.get(i);
      if (!v.segment().equals(listed.id()) || v.maxDoc() != listed.maxDoc() || !v.fields().equals(listed.fields())) {
        throw new IllegalArgumentException("vocabulary: segment " + v.segment() + " does not match the listed "
            + listed.id());
      }
      docs += listed.maxDoc();
      terms += v.size();
      listed.fields().forEach((f, s) -> sum.merge(f, s, QueryStats.FieldStats::plus));
    }
    this.version = list.version();
    this.segments = List.copyOf(segments);
    this.maxDoc = docs;
    this.fields = Map.copyOf(sum);
    this.size = terms;
  }

  /** The index version this vocabulary is of. */
  public long version() {
    return version;
  }

  /** The segments' vocabularies. */
  public List<TermVocabulary> segments() {
    return segments;
  }

  /** Number of (segment, field, term) entries held. */
  public long size() {
    return size;
  }

  /** The statistics of one term in the whole index; zero for a term it does not have. */
  public QueryStats.TermStats get(QueryStats.TermKey key) {
    long df = 0;
    long ttf = 0;
    for (TermVocabulary s : segments) {
      QueryStats.TermStats t = s.get(key);
      df += t.docFreq();
      ttf += t.totalTermFreq();
    }
    return df == 0 ? TermVocabulary.ABSENT : new QueryStats.TermStats(df, ttf);
  }

  /**
   * Whether a document of the index could match {@code query}: whether some segment could
   * ({@link TermVocabulary#canMatch}). A query's required terms spread over different segments, or over different
   * buckets of one, have no document in common.
   */
  public boolean canMatch(QueryTerms query) {
    for (TermVocabulary s : segments) {
      if (s.canMatch(query)) {
        return true;
      }
    }
    return false;
  }

  /**
   * What the index would report in phase one for a query with exactly these terms (the same figures as
   * {@code EntryIndex.statistics}); fields a query can search but the index never saw count as empty.
   */
  public QueryStats statistics(Collection<QueryStats.TermKey> keys) {
    Map<QueryStats.TermKey, QueryStats.TermStats> termStats = new TreeMap<>();
    Map<String, QueryStats.FieldStats> fieldStats = new TreeMap<>();
    for (QueryStats.TermKey k : keys) {
      termStats.put(k, get(k));
      fieldStats.put(k.field(), fields.getOrDefault(k.field(), QueryStats.FieldStats.EMPTY));
    }
    return new QueryStats(maxDoc, fieldStats, termStats);
  }
}
