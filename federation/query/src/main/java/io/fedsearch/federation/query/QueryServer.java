package io.fedsearch.federation.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.indexer.index.EntryIndex;
import io.fedsearch.indexer.search.IndexSegments;
import io.fedsearch.indexer.search.VocabularyPage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers {@value QueryWire#PROTOCOL} and {@value VocabularyWire#PROTOCOL} from the local index: statistics for
 * phase one, hits scored with the supplied global statistics for phase two. What it serves is what the index
 * holds: canonical blocks and this node's signatures, verifiable by the asker. Peers' requests wait their turn at a
 * {@link ServingGate}, so no one peer can take all of this node's search capacity.
 */
public final class QueryServer {
  private static final Logger LOG = Logger.getLogger(QueryServer.class.getName());
  /** Encoded vocabulary pages kept, in bytes at most. */
  private static final long MAX_REMEMBERED_BYTES = 16L << 20;
  /** Decoded requests kept, by the bytes of their encoding at most. */
  private static final long MAX_REMEMBERED_REQUEST_BYTES = 4L << 20;

  private final EntryIndex index;
  private final ServingGate gate;
  private final AtomicLong busy = new AtomicLong();
  private final String platform;
  private final String replicaSet;
  private final List<PlatformRecord.Signed> records;

  /** A page of one segment's vocabulary: it never changes, so it can be served again as long as it is asked for. */
  private record PageKey(String segment, VocabularyPage.Cursor from) {}

  private final Cache<PageKey, byte[]> pages = Caffeine.newBuilder()
      .maximumWeight(MAX_REMEMBERED_BYTES)
      .executor(Runnable::run)
      .weigher((PageKey k, byte[] v) -> v.length)
      .build();

  /** Request bytes as a key: equal when the bytes are (their hash computed once). */
  private record Wire(byte[] bytes, int hash) {
    Wire(byte[] bytes) {
      this(bytes, java.util.Arrays.hashCode(bytes));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Wire w && w.hash == hash && java.util.Arrays.equals(w.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * Requests decoded, by their exact bytes: an asker sends a repeated query's request (with its global statistics,
   * the costliest part to decode and check) byte for byte again. Decoding is a function of the bytes, so the
   * remembered request is the one decoding would give; a request that fails to decode is never remembered. Bounded
   * by bytes, so a peer sending ever new requests only pushes older ones out.
   */
  private final Cache<Wire, QueryWire.Request> decoded = Caffeine.newBuilder()
      .maximumWeight(MAX_REMEMBERED_REQUEST_BYTES)
      // Caffeine's housekeeping on the calling thread: by default it goes to the common pool, which on a busy
      // server wakes a pool thread for every few requests
      .executor(Runnable::run)
      .weigher((Wire k, QueryWire.Request v) -> k.bytes().length)
      .build();

  /** The index this node serves. */
  EntryIndex index() {
    return index;
  }

  /**
   * @param records this node's platform records, its own platform's first (name, replica set if any), each signed
   *     by its platform's key and naming this node; sent with every answer
   */
  public QueryServer(EntryIndex index, List<PlatformRecord.Signed> records) {
    this(index, records, ServingGate.forThisMachine());
  }

  QueryServer(EntryIndex index, List<PlatformRecord.Signed> records, ServingGate gate) {
    if (records.isEmpty() || records.size() > QueryWire.MAX_RECORDS_PER_NODE) {
      throw new IllegalArgumentException("a node needs 1 to " + QueryWire.MAX_RECORDS_PER_NODE
          + " platform records");
    }
    for (PlatformRecord.Signed r : records) {
      if (!r.verify() || !r.record().nodes().contains(index.signer())) {
        throw new IllegalArgumentException("platform record of " + r.record().platform()
            + " must verify and name this node's key " + index.signer());
      }
    }
    this.index = index;
    this.records = List.copyOf(records);
    this.platform = records.getFirst().record().platform();
    this.replicaSet = records.getFirst().record().replicaSet();
    this.gate = gate;
  }

  /** The platform records this node answers with, its own platform's first. */
  public List<PlatformRecord.Signed> records() {
    return records;
  }

  public void register(Host host) {
    RequestResponse rr = new RequestResponse(host);
    rr.handle(QueryWire.PROTOCOL, QueryWire.MAX_REQUEST_BYTES, Duration.ofSeconds(10),
        served("query", request -> QueryWire.encode(answer(decode(request))), QueryWire::encodeBusy));
    rr.handle(VocabularyWire.PROTOCOL, VocabularyWire.MAX_REQUEST_BYTES, Duration.ofSeconds(10),
        served("vocabulary", request -> answerVocabulary(VocabularyWire.decodeRequest(request)), null));
  }

  /** {@link QueryWire#decodeRequest}, remembered by the request's bytes. */
  private QueryWire.Request decode(byte[] request) {
    Wire key = new Wire(request);
    QueryWire.Request known = decoded.getIfPresent(key);
    if (known == null) {
      known = QueryWire.decodeRequest(request); // throws for a bad request: nothing is remembered
      decoded.put(key, known);
    }
    return known;
  }

  /** Requests from peers this node refused because it was busy ({@link ServingGate}). */
  public long busyRefusals() {
    return busy.get();
  }

  /**
   * A handler that waits its turn at the {@link ServingGate}, and logs a malformed request (naming its sender)
   * before the stream is reset. A busy refusal is counted and answered with {@code busyAnswer} where the protocol
   * has one (else the stream is reset, which the host logs only at FINE: a flood would otherwise flood the log).
   */
  private RequestResponse.Handler served(String what, UnaryOperator<byte[]> answer,
      Function<String, byte[]> busyAnswer) {
    return (from, request) -> {
      try {
        return gate.run(from, () -> answer.apply(request));
      } catch (ServingGate.BusyException e) {
        busy.incrementAndGet();
        if (busyAnswer != null) {
          return busyAnswer.apply(e.getMessage());
        }
        throw e;
      } catch (QueryProtocolException e) {
        LOG.log(Level.INFO, "bad " + what + " request from " + from + ": " + e.getMessage());
        throw e;
      }
    };
  }

  /** This node's segments now, as served to peers. */
  public IndexSegments segments() {
    return index.segments();
  }

  /** One page of one of this node's segment vocabularies, as served to peers. */
  public VocabularyPage vocabulary(String segment, VocabularyPage.Cursor from) {
    return index.vocabulary(segment, from, VocabularyWire.MAX_PAGE_ROWS, VocabularyWire.MAX_PAGE_BYTES);
  }

  private byte[] answerVocabulary(VocabularyWire.Request r) {
    if (r.segment() == null) {
      return VocabularyWire.encode(segments());
    }
    return vocabularyPage(r.segment(), r.from());
  }

  /**
   * The encoded page, remembered: every peer fetches the same new segments after each change, and a vocabulary
   * page is the costliest thing this node serves. A segment's pages never change; the memory is bounded by bytes,
   * and beyond it Caffeine drops the least useful pages (pages of segments merged away stop being asked for).
   */
  private byte[] vocabularyPage(String segment, VocabularyPage.Cursor from) {
    PageKey key = new PageKey(segment, from);
    byte[] known = pages.getIfPresent(key);
    if (known != null) {
      return known;
    }
    byte[] encoded;
    try {
      encoded = VocabularyWire.encode(vocabulary(segment, from));
    } catch (NoSuchElementException e) {
      return VocabularyWire.encodeGone(segment);
    }
    pages.put(key, encoded);
    return encoded;
  }

  /** Answers one request (also used directly for the local index, so local and remote answers are alike). */
  public QueryWire.Response answer(QueryWire.Request r) {
    long start = System.nanoTime();
    if (r.op() == QueryWire.Op.STATS) {
      EntryIndex.VersionedStats st = index.versionedStatistics(r.search().query(), r.search().operator());
      return new QueryWire.Response(platform, replicaSet, 0, (System.nanoTime() - start) / 1000, List.of(),
          st.stats(), st.version(), records, index.catalogDigest());
    }
    EntryIndex.Served s = index.serve(r.search());
    List<QueryWire.Hit> hits = new ArrayList<>(s.hits().size());
    for (EntryIndex.ServedHit h : s.hits()) {
      hits.add(new QueryWire.Hit(h.cid(), h.block(), h.signature(), h.score()));
    }
    return new QueryWire.Response(platform, replicaSet, s.totalHits(), (System.nanoTime() - start) / 1000, hits,
        s.stats(), s.version(), records, index.catalogDigest());
  }
}
