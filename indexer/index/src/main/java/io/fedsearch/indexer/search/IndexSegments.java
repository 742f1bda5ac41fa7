package io.fedsearch.indexer.search;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The segments an index was made of at one version, each with its own figures: {@code maxDoc} and the collection
 * statistics of the searched fields. Lucene's index-wide statistics are these summed, so an index's vocabulary is
 * the sum of its segments' ({@link SegmentedVocabulary}) and a new version is mostly segments already known.
 */
public record IndexSegments(long version, List<Segment> segments) {
  /** Segments one list may name; Lucene's merge policy keeps real indexes far below. */
  public static final int MAX_SEGMENTS = 1024;

  public IndexSegments {
    segments = List.copyOf(segments);
    if (segments.size() > MAX_SEGMENTS) {
      throw new IllegalArgumentException("segments: more than " + MAX_SEGMENTS);
    }
    Set<String> ids = new HashSet<>();
    for (Segment s : segments) {
      if (!ids.add(s.id())) {
        throw new IllegalArgumentException("segments: " + s.id() + " listed twice");
      }
    }
  }

  /**
   * One segment: its id (Lucene's random 128-bit segment id, in Lucene's text form), documents (deleted ones
   * included) and per searched field its collection statistics.
   */
  public record Segment(String id, long maxDoc, Map<String, QueryStats.FieldStats> fields) {
    /** Lucene writes segment ids as 16 bytes in base 36; anything longer is not one. */
    public static final int MAX_ID_CHARS = 32;

    public Segment {
      fields = Map.copyOf(fields);
      checkId(id);
      if (maxDoc < 0) {
        throw new IllegalArgumentException("segments: negative maxDoc for " + id);
      }
      for (Map.Entry<String, QueryStats.FieldStats> f : fields.entrySet()) {
        QueryStats.FieldStats s = f.getValue();
        if (!QueryParsing.FIELDS.contains(f.getKey())) {
          throw new IllegalArgumentException("segments: field " + f.getKey() + " is not a searched field");
        }
        if (s.docCount() < 0 || s.docCount() > maxDoc || s.sumDocFreq() < 0 || s.sumTotalTermFreq() < s.sumDocFreq()
            || s.sumDocFreq() < s.docCount()) {
          throw new IllegalArgumentException("segments: impossible figures for " + f.getKey() + " of " + id);
        }
      }
    }

    /**
     * Returns {@code id} if it can be a segment id: 1 to {@link #MAX_ID_CHARS} ASCII letters and digits.
     *
     * @throws IllegalArgumentException naming it otherwise
     */
    public static String checkId(String id) {
      if (id.isEmpty() || id.length() > MAX_ID_CHARS
          || !id.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
        throw new IllegalArgumentException("segments: " + id + " is not a segment id");
      }
      return id;
    }
  }
}
