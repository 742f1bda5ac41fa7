package io.fedsearch.federation.query;

import io.fedsearch.core.cbor.CborMap;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.indexer.search.DocBuckets;
import io.fedsearch.indexer.search.IndexSegments;
import io.fedsearch.indexer.search.QueryParsing;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.VocabularyPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The messages of {@value #PROTOCOL}: a peer's index segments at its current version, and pages of one segment's
 * vocabulary — every term of its searched fields with the statistics phase one would report (see
 * federation/README.md, "vocabulary protocol"). Canonical DAG-CBOR maps, strictly decoded and bounded like
 * {@link QueryWire}.
 */
public final class VocabularyWire {
  public static final String PROTOCOL = "/fedsearch/vocabulary/2.0.0";
  public static final int VERSION = 2;
  public static final int MAX_REQUEST_BYTES = 4 * 1024;
  public static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
  /** Terms per page at most; a page also stops after {@link #MAX_PAGE_BYTES} bytes of term text and bucket sets. */
  public static final int MAX_PAGE_ROWS = 32_768;
  public static final int MAX_PAGE_BYTES = 1 << 20;

  private VocabularyWire() {}

  /** A request: the segment list ({@code segment} null), or the page of {@code segment} starting at {@code from}. */
  public record Request(String segment, VocabularyPage.Cursor from) {
    public static final Request SEGMENTS = new Request(null, null);
  }

  public static byte[] encode(Request r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", (long) VERSION);
    m.put("op", r.segment() == null ? "segments" : "terms");
    if (r.segment() != null) {
      m.put("s", r.segment());
      m.put("f", r.from().field());
      m.put("a", r.from().after());
    }
    return DagCbor.encode(m);
  }

  public static Request decodeRequest(byte[] bytes) {
    CborMap m = QueryWire.map(bytes, MAX_REQUEST_BYTES, "vocabulary request");
    QueryWire.version(m, VERSION);
    return switch (QueryWire.str(m, "op", false)) {
      case "segments" -> Request.SEGMENTS;
      case "terms" -> new Request(segmentId(QueryWire.str(m, "s", false)),
          new VocabularyPage.Cursor(field(m, "f"), QueryWire.str(m, "a", true)));
      default -> throw new QueryProtocolException("op: must be segments or terms");
    };
  }

  public static byte[] encode(IndexSegments segments) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", (long) VERSION);
    m.put("iv", segments.version());
    List<Object> list = new ArrayList<>(segments.segments().size());
    for (IndexSegments.Segment s : segments.segments()) {
      list.add(List.of(s.id(), s.maxDoc(), fields(s.fields())));
    }
    m.put("sg", list);
    return DagCbor.encode(m);
  }

  public static IndexSegments decodeSegments(byte[] bytes) {
    CborMap m = QueryWire.map(bytes, MAX_RESPONSE_BYTES, "segment list");
    QueryWire.version(m, VERSION);
    List<Object> raw = m.list("sg", IndexSegments.MAX_SEGMENTS);
    List<IndexSegments.Segment> segments = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      if (!(raw.get(i) instanceof List<?> l) || l.size() != 3 || !(l.get(0) instanceof String id)) {
        throw new QueryProtocolException(m.item("sg", i) + ": each segment must be [id, maxDoc, fields]");
      }
      segments.add(segment(id, QueryWire.longs(l.subList(1, 2), 1, m.item("sg", i)).getFirst(),
          fields(CborMap.of(l.get(2), m.item("sg", i) + "[2]", QueryProtocolException::new))));
    }
    try {
      return new IndexSegments(QueryWire.num(m, "iv"), segments);
    } catch (IllegalArgumentException e) {
      throw new QueryProtocolException(e.getMessage());
    }
  }

  public static byte[] encode(VocabularyPage p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", (long) VERSION);
    m.put("s", p.segment());
    m.put("n", p.maxDoc());
    m.put("fs", fields(p.fields()));
    m.put("f", p.field());
    List<Object> rows = new ArrayList<>(p.rows().size());
    List<Object> buckets = new ArrayList<>(p.rows().size());
    for (VocabularyPage.Row r : p.rows()) {
      rows.add(List.of(r.term(), r.docFreq(), r.totalTermFreq()));
      buckets.add(r.buckets());
    }
    m.put("t", rows);
    if (p.buckets() != 0) {
      // Beside the rows, not in them: an asker from before bucket sets decodes the rows as it always did and
      // ignores keys it does not know.
      m.put("b", (long) p.buckets());
      m.put("bk", buckets);
    }
    m.put("nf", p.next() == null ? null : p.next().field());
    m.put("na", p.next() == null ? null : p.next().after());
    return DagCbor.encode(m);
  }

  /** Raised for the answer that a segment asked for is gone: a merge replaced it since the list was read. */
  public static final class SegmentGoneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SegmentGoneException(String segment) {
      super("segment " + segment + " is gone (merged since it was listed)");
    }
  }

  /** The answer for a segment the index no longer has. */
  public static byte[] encodeGone(String segment) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", (long) VERSION);
    m.put("s", segment);
    m.put("gone", true);
    return DagCbor.encode(m);
  }

  /**
   * @throws SegmentGoneException when the answer says the segment is gone: read the segment list again
   */
  public static VocabularyPage decodeResponse(byte[] bytes) {
    CborMap m = QueryWire.map(bytes, MAX_RESPONSE_BYTES, "vocabulary page");
    QueryWire.version(m, VERSION);
    if (Boolean.TRUE.equals(m.raw("gone"))) {
      throw new SegmentGoneException(segmentId(QueryWire.str(m, "s", false)));
    }
    Map<String, QueryStats.FieldStats> fields = fields(m.map("fs"));
    List<Object> raw = m.list("t", MAX_PAGE_ROWS);
    int buckets = m.has("b") ? (int) m.integer("b", DocBuckets.MIN, DocBuckets.MAX) : 0;
    if (buckets != 0 && !DocBuckets.validCount(buckets)) {
      throw m.refuse("b", "a bucket count must be a power of two");
    }
    List<Object> sets = buckets == 0 ? null : m.list("bk", MAX_PAGE_ROWS);
    if (sets != null && sets.size() != raw.size()) {
      throw m.refuse("bk", "must hold one bucket set for each of the " + raw.size() + " terms");
    }
    List<VocabularyPage.Row> rows = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      if (!(raw.get(i) instanceof List<?> l) || l.size() != 3 || !(l.get(0) instanceof String term)) {
        throw new QueryProtocolException(m.item("t", i) + ": each term must be [text, docFreq, totalTermFreq]");
      }
      List<Long> v = QueryWire.longs(l.subList(1, 3), 2, m.item("t", i));
      byte[] where = DocBuckets.EVERY;
      if (sets != null) {
        if (!(sets.get(i) instanceof byte[] b) || b.length > buckets / 8) {
          throw new QueryProtocolException(m.item("bk", i) + ": must be a bucket set of at most " + buckets / 8
              + " bytes");
        }
        where = b; // what it says is checked against the term's figures when the vocabulary is assembled
      }
      rows.add(new VocabularyPage.Row(term, v.get(0), v.get(1), where));
    }
    String nextField = m.raw("nf") == null ? null : field(m, "nf");
    VocabularyPage.Cursor next = nextField == null ? null
        : new VocabularyPage.Cursor(nextField, QueryWire.str(m, "na", true));
    return new VocabularyPage(segmentId(QueryWire.str(m, "s", false)), QueryWire.num(m, "n"), fields, field(m, "f"),
        rows, next, buckets);
  }

  private static Map<String, Object> fields(Map<String, QueryStats.FieldStats> stats) {
    Map<String, Object> fields = new TreeMap<>();
    stats.forEach((f, s) -> fields.put(f, QueryWire.fieldStats(s)));
    return fields;
  }

  private static Map<String, QueryStats.FieldStats> fields(CborMap fs) {
    if (fs.size() > QueryParsing.FIELDS.size()) {
      throw fs.refuse("must map the searched fields to their statistics");
    }
    Map<String, QueryStats.FieldStats> fields = new TreeMap<>();
    for (String f : fs.keys()) {
      if (!QueryParsing.FIELDS.contains(f)) {
        throw fs.refuse(f, "not a searched field");
      }
      fields.put(f, QueryWire.fieldStats(fs.raw(f), fs.at(f)));
    }
    return fields;
  }

  private static IndexSegments.Segment segment(String id, long maxDoc, Map<String, QueryStats.FieldStats> fields) {
    try {
      return new IndexSegments.Segment(id, maxDoc, fields);
    } catch (IllegalArgumentException e) {
      throw new QueryProtocolException(e.getMessage());
    }
  }

  private static String segmentId(String id) {
    try {
      return IndexSegments.Segment.checkId(id);
    } catch (IllegalArgumentException e) {
      throw new QueryProtocolException(e.getMessage());
    }
  }

  private static String field(CborMap m, String key) {
    String f = QueryWire.str(m, key, false);
    if (!QueryParsing.FIELDS.contains(f)) {
      throw m.refuse(key, f + " is not a searched field");
    }
    return f;
  }
}
