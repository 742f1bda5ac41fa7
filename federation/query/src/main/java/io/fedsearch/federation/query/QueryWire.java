package io.fedsearch.federation.query;

import io.fedsearch.core.cbor.CborMap;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.SearchRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The messages of {@value #PROTOCOL}, encoded as canonical DAG-CBOR maps (see federation/README.md, "query
 * protocol"). Scores travel as the bits of their float, so a merged score is exactly the one the peer computed.
 * Decoding is strict and bounded: unknown versions, wrong types and oversize messages are rejected by name.
 */
public final class QueryWire {
  public static final String PROTOCOL = "/fedsearch/query/1.0.0";
  public static final int VERSION = 1;
  public static final int MAX_REQUEST_BYTES = 64 * 1024;
  public static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
  public static final int MAX_HITS = 100;
  private static final int MAX_TERMS = 1024;
  private static final int MAX_BUSY_CHARS = 200;
  private static final int MAX_TEXT_CHARS = 16 * 1024;
  private static final int MAX_PLATFORMS = 256;
  private static final int MAX_STATS_FIELDS = 16;
  private static final int MAX_CID_BYTES = 128;
  private static final int MAX_SIGNATURE_BYTES = 128;

  private QueryWire() {}

  public enum Op { STATS, SEARCH }

  /** A request: phase one ({@code STATS}) asks for the query's statistics; {@code SEARCH} for scored hits. */
  public record Request(Op op, SearchRequest search) {}

  /** One hit: the CID the peer claims, the entry's canonical block, the peer's signature, the score. */
  public record Hit(byte[] cid, byte[] block, byte[] signature, float score) {}

  /**
   * An answer. {@code replicaSet} names the set of nodes holding the same catalog as this one (null when the node
   * has no replicas): the asker hedges a slow node with another member of its set. {@code indexVersion} is the
   * version of the index the answer was read from: while it is unchanged, statistics and an empty answer the
   * asker remembers from that version are still exact. {@code records} are the node's platform records (what the
   * asker believes of {@code platform} and {@code replicaSet}, and which platforms the node's entries may name, once
   * verified: see {@link PlatformBindings}; the first is the node's own platform) and {@code catalogDigest} the
   * digest of its live entries (replicas are routed as one only while theirs agree). Answers from nodes before
   * session 19 carry neither.
   */
  public record Response(String platform, String replicaSet, long totalHits, long tookMicros, List<Hit> hits,
      QueryStats stats, long indexVersion, List<PlatformRecord.Signed> records, byte[] catalogDigest) {
    public Response {
      records = List.copyOf(records);
    }

    /** An answer without platform records or catalog digest (as older nodes send). */
    public Response(String platform, String replicaSet, long totalHits, long tookMicros, List<Hit> hits,
        QueryStats stats, long indexVersion) {
      this(platform, replicaSet, totalHits, tookMicros, hits, stats, indexVersion, List.of(), null);
    }

    /** The same answer with the platform and replica set its first (verified) record states. */
    Response bound() {
      PlatformRecord own = records.getFirst().record();
      return new Response(own.platform(), own.replicaSet(), totalHits, tookMicros, hits, stats, indexVersion,
          records, catalogDigest);
    }
  }

  public static byte[] encode(Request r) {
    SearchRequest s = r.search();
    Map<String, Object> m = new LinkedHashMap<>(); // keys in DAG-CBOR order, as in encode(Response)
    m.put("c", s.creator());
    m.put("g", s.tag());
    m.put("k", (long) s.limit());
    m.put("o", s.operator().name().toLowerCase(java.util.Locale.ROOT));
    m.put("p", new ArrayList<>(new TreeSet<>(s.platforms())));
    m.put("q", s.query());
    m.put("s", s.globalStats() == null ? null : stats(s.globalStats()));
    m.put("v", (long) VERSION);
    m.put("hi", s.maxPrice());
    m.put("lo", s.minPrice());
    m.put("op", r.op().name().toLowerCase(java.util.Locale.ROOT));
    m.put("ws", s.includeStats());
    return DagCbor.encode(m);
  }

  public static Request decodeRequest(byte[] bytes) {
    CborMap m = map(bytes, MAX_REQUEST_BYTES, "request");
    version(m, VERSION);
    Op op = switch (str(m, "op", false)) {
      case "stats" -> Op.STATS;
      case "search" -> Op.SEARCH;
      default -> throw new QueryProtocolException("op: must be stats or search");
    };
    SearchRequest.Operator operator = switch (str(m, "o", false)) {
      case "all" -> SearchRequest.Operator.ALL;
      case "any" -> SearchRequest.Operator.ANY;
      default -> throw new QueryProtocolException("o: must be all or any");
    };
    long k = m.integer("k", 1, MAX_HITS);
    Set<String> platforms = new TreeSet<>();
    List<Object> listed = m.list("p", MAX_PLATFORMS);
    for (int i = 0; i < listed.size(); i++) {
      if (!(listed.get(i) instanceof String s)) {
        throw new QueryProtocolException(m.item("p", i) + ": must be text");
      }
      platforms.add(s);
    }
    boolean wantStats = m.bool("ws");
    try {
      return new Request(op, new SearchRequest(str(m, "q", false), operator, (int) k, platforms, str(m, "c", true),
          str(m, "g", true), m.optionalInteger("lo", Long.MIN_VALUE, Long.MAX_VALUE),
          m.optionalInteger("hi", Long.MIN_VALUE, Long.MAX_VALUE), wantStats,
          m.raw("s") == null ? null : stats(m.map("s"))));
    } catch (IllegalArgumentException e) {
      throw new QueryProtocolException(e.getMessage());
    }
  }

  public static byte[] encode(Response r) {
    // Keys put in DAG-CBOR order (shorter first, then bytewise), so that encoding finds them sorted: an answer is
    // encoded for every request a node serves.
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> hits = new ArrayList<>(r.hits().size());
    for (Hit h : r.hits()) {
      Map<String, Object> hm = new LinkedHashMap<>();
      hm.put("b", h.block());
      hm.put("c", h.cid());
      hm.put("s", h.signature());
      hm.put("sc", (long) Float.floatToIntBits(h.score()));
      hits.add(hm);
    }
    m.put("h", hits);
    m.put("n", r.totalHits());
    m.put("v", (long) VERSION);
    if (r.catalogDigest() != null) {
      m.put("cd", r.catalogDigest());
    }
    m.put("iv", r.indexVersion());
    m.put("pl", r.platform());
    if (!r.records().isEmpty()) {
      List<Object> records = new ArrayList<>(r.records().size());
      r.records().forEach(rec -> records.add(rec.toWire()));
      m.put("pr", records);
    }
    m.put("rs", r.replicaSet());
    m.put("st", r.stats() == null ? null : stats(r.stats()));
    m.put("us", r.tookMicros());
    return DagCbor.encode(m);
  }

  /**
   * A node refused a request because it was serving all it allows at once ({@link ServingGate}): not a fault of
   * the request, so the asker names the reason instead of reporting a reset stream.
   */
  public static final class PeerBusyException extends RuntimeException {
    PeerBusyException(String message) {
      super(message);
    }
  }

  /** The answer of a node too busy to serve a request now: {@code {v: 1, busy: why}}. */
  public static byte[] encodeBusy(String why) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", (long) VERSION);
    m.put("busy", capped(why));
    return DagCbor.encode(m);
  }

  /** A busy reason as sent and as shown: at most {@value #MAX_BUSY_CHARS} characters, whatever the peer sent. */
  private static String capped(String why) {
    return why.length() > MAX_BUSY_CHARS ? why.substring(0, MAX_BUSY_CHARS) : why;
  }

  /** @throws PeerBusyException when the node answered that it is busy */
  public static Response decodeResponse(byte[] bytes) {
    CborMap m = map(bytes, MAX_RESPONSE_BYTES, "response");
    version(m, VERSION);
    if (m.size() == 2 && m.raw("busy") instanceof String why) {
      throw new PeerBusyException(capped(why));
    }
    List<CborMap> raw = m.maps("h", MAX_HITS);
    List<Hit> hits = new ArrayList<>(raw.size());
    for (CborMap h : raw) {
      hits.add(new Hit(h.bytes("c", MAX_CID_BYTES), h.bytes("b", MAX_RESPONSE_BYTES), h.bytes("s", MAX_SIGNATURE_BYTES),
          Float.intBitsToFloat((int) h.integer("sc", Integer.MIN_VALUE, Integer.MAX_VALUE))));
    }
    byte[] digest = m.raw("cd") == null ? null : m.bytesExactly("cd", 32);
    return new Response(str(m, "pl", false), str(m, "rs", true), num(m, "n"), num(m, "us"), hits,
        m.raw("st") == null ? null : stats(m.map("st")), num(m, "iv"),
        records(m), digest);
  }

  /** At most this many platform records in one answer (a node may serve a few platforms, not many). */
  public static final int MAX_RECORDS_PER_NODE = 16;

  private static List<PlatformRecord.Signed> records(CborMap m) {
    if (m.raw("pr") == null) {
      return List.of();
    }
    List<CborMap> raw = m.maps("pr", MAX_RECORDS_PER_NODE);
    List<PlatformRecord.Signed> out = new ArrayList<>(raw.size());
    for (CborMap r : raw) {
      out.add(PlatformRecord.Signed.fromWire(r));
    }
    return out;
  }

  private static Map<String, Object> stats(QueryStats s) {
    Map<String, Object> m = new LinkedHashMap<>(); // keys in DAG-CBOR order
    Map<String, Object> fields = new LinkedHashMap<>();
    s.fields().forEach((f, v) -> fields.put(f, fieldStats(v)));
    m.put("f", fields);
    m.put("n", s.maxDoc());
    List<Object> terms = new ArrayList<>();
    new TreeMap<>(s.terms()).forEach((k, v) -> terms.add(List.of(k.field(), k.term(), v.docFreq(), v.totalTermFreq())));
    m.put("t", terms);
    return m;
  }

  private static QueryStats stats(CborMap m) {
    long maxDoc = m.integer("n", 0, Long.MAX_VALUE);
    CborMap f = m.map("f");
    List<Object> t = m.list("t", MAX_TERMS);
    if (f.size() > MAX_STATS_FIELDS) {
      throw f.refuse("more than " + MAX_STATS_FIELDS + " fields");
    }
    Map<String, QueryStats.FieldStats> fields = new TreeMap<>();
    for (String field : f.keys()) {
      fields.put(field, fieldStats(f.raw(field), f.at(field)));
    }
    Map<QueryStats.TermKey, QueryStats.TermStats> terms = new TreeMap<>();
    for (int i = 0; i < t.size(); i++) {
      if (!(t.get(i) instanceof List<?> l) || l.size() != 4 || !(l.get(0) instanceof String field)
          || !(l.get(1) instanceof String text)) {
        throw new QueryProtocolException(m.item("t", i) + ": a term is [field, text, docFreq, totalTermFreq]");
      }
      List<Long> v = longs(l.subList(2, 4), 2, m.item("t", i));
      terms.put(new QueryStats.TermKey(field, text), new QueryStats.TermStats(v.get(0), v.get(1)));
    }
    QueryStats stats = new QueryStats(maxDoc, fields, terms);
    StatsBounds.check(stats); // before anything is summed: a peer's figures must be those of a real index
    return stats;
  }

  /** A field's collection statistics on the wire: {@code [docCount, sumTotalTermFreq, sumDocFreq]}. */
  static List<Long> fieldStats(QueryStats.FieldStats s) {
    return List.of(s.docCount(), s.sumTotalTermFreq(), s.sumDocFreq());
  }

  static QueryStats.FieldStats fieldStats(Object o, String what) {
    List<Long> v = longs(o, 3, what);
    return new QueryStats.FieldStats(v.get(0), v.get(1), v.get(2));
  }

  static List<Long> longs(Object o, int n, String what) {
    if (!(o instanceof List<?> l) || l.size() != n) {
      throw new QueryProtocolException(what + ": expected " + n + " integers");
    }
    List<Long> out = new ArrayList<>(n);
    for (Object x : l) {
      if (!(x instanceof Long v) || v < 0) {
        throw new QueryProtocolException(what + ": expected non-negative integers");
      }
      out.add(v);
    }
    return out;
  }

  /** Decodes a message of the query protocols: a bounded DAG-CBOR map whose every refusal is a {@link QueryProtocolException}. */
  static CborMap map(byte[] bytes, int max, String what) {
    return CborMap.decode(bytes, max, what, QueryProtocolException::new);
  }

  /** Rejects a message whose {@code v} is not {@code speaks}, naming both. */
  static void version(CborMap m, int speaks) {
    if (!Long.valueOf(speaks).equals(m.raw("v"))) {
      throw m.refuse("v", "unsupported version " + m.raw("v") + " (this node speaks " + speaks + ")");
    }
  }

  static String str(CborMap m, String key, boolean nullable) {
    return nullable ? m.optionalText(key, MAX_TEXT_CHARS) : m.text(key, MAX_TEXT_CHARS);
  }

  static long num(CborMap m, String key) {
    return m.integer(key);
  }
}
