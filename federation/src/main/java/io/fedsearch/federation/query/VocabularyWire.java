package io.fedsearch.federation.query;

import io.fedsearch.indexer.cid.DagCbor;
import io.fedsearch.indexer.search.QueryParsing;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.VocabularyPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The messages of {@value #PROTOCOL}: a page of a peer's vocabulary, every term of its searched fields with the
 * statistics phase one would report (see federation/README.md, "vocabulary protocol"). Canonical DAG-CBOR maps,
 * strictly decoded and bounded like {@link QueryWire}.
 */
public final class VocabularyWire {
  public static final String PROTOCOL = "/fedsearch/vocabulary/1.0.0";
  public static final int VERSION = 1;
  public static final int MAX_REQUEST_BYTES = 4 * 1024;
  public static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
  /** Terms per page at most; a page also stops after {@link #MAX_PAGE_TERM_BYTES} bytes of term text. */
  public static final int MAX_PAGE_ROWS = 32_768;
  public static final int MAX_PAGE_TERM_BYTES = 1 << 20;

  private VocabularyWire() {}

  /** Asks for the page starting at {@code from}. */
  public static byte[] encode(VocabularyPage.Cursor from) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", (long) VERSION);
    m.put("f", from.field());
    m.put("a", from.after());
    return DagCbor.encode(m);
  }

  public static VocabularyPage.Cursor decodeRequest(byte[] bytes) {
    Map<?, ?> m = QueryWire.map(bytes, MAX_REQUEST_BYTES, "vocabulary request");
    QueryWire.version(m, VERSION);
    return new VocabularyPage.Cursor(field(m, "f"), QueryWire.str(m, "a", true));
  }

  public static byte[] encode(VocabularyPage p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", (long) VERSION);
    m.put("iv", p.version());
    m.put("n", p.maxDoc());
    Map<String, Object> fields = new TreeMap<>();
    p.fields().forEach((f, s) -> fields.put(f, List.of(s.docCount(), s.sumTotalTermFreq(), s.sumDocFreq())));
    m.put("fs", fields);
    m.put("f", p.field());
    List<Object> rows = new ArrayList<>(p.rows().size());
    for (VocabularyPage.Row r : p.rows()) {
      rows.add(List.of(r.term(), r.docFreq(), r.totalTermFreq()));
    }
    m.put("t", rows);
    m.put("nf", p.next() == null ? null : p.next().field());
    m.put("na", p.next() == null ? null : p.next().after());
    return DagCbor.encode(m);
  }

  public static VocabularyPage decodeResponse(byte[] bytes) {
    Map<?, ?> m = QueryWire.map(bytes, MAX_RESPONSE_BYTES, "vocabulary page");
    QueryWire.version(m, VERSION);
    if (!(m.get("fs") instanceof Map<?, ?> fs) || fs.size() > QueryParsing.FIELDS.size()) {
      throw new QueryProtocolException("fs: must map the searched fields to their statistics");
    }
    Map<String, QueryStats.FieldStats> fields = new TreeMap<>();
    for (Map.Entry<?, ?> e : fs.entrySet()) {
      if (!(e.getKey() instanceof String f) || !QueryParsing.FIELDS.contains(f)) {
        throw new QueryProtocolException("fs: " + e.getKey() + " is not a searched field");
      }
      List<Long> v = QueryWire.longs(e.getValue(), 3, "fs");
      fields.put(f, new QueryStats.FieldStats(v.get(0), v.get(1), v.get(2)));
    }
    List<?> raw = QueryWire.list(m, "t");
    if (raw.size() > MAX_PAGE_ROWS) {
      throw new QueryProtocolException("t: more than " + MAX_PAGE_ROWS + " terms in one page");
    }
    List<VocabularyPage.Row> rows = new ArrayList<>(raw.size());
    for (Object o : raw) {
      if (!(o instanceof List<?> l) || l.size() != 3 || !(l.get(0) instanceof String term)) {
        throw new QueryProtocolException("t: each term must be [text, docFreq, totalTermFreq]");
      }
      List<Long> v = QueryWire.longs(l.subList(1, 3), 2, "t");
      rows.add(new VocabularyPage.Row(term, v.get(0), v.get(1)));
    }
    String nextField = m.get("nf") == null ? null : field(m, "nf");
    VocabularyPage.Cursor next = nextField == null ? null
        : new VocabularyPage.Cursor(nextField, QueryWire.str(m, "na", true));
    return new VocabularyPage(QueryWire.num(m, "iv"), QueryWire.num(m, "n"), fields, field(m, "f"), rows, next);
  }

  private static String field(Map<?, ?> m, String key) {
    String f = QueryWire.str(m, key, false);
    if (!QueryParsing.FIELDS.contains(f)) {
      throw new QueryProtocolException(key + ": " + f + " is not a searched field");
    }
    return f;
  }
}
