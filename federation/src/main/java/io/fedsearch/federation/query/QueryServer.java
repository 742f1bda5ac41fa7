package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.indexer.index.EntryIndex;
import io.fedsearch.indexer.search.VocabularyPage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers {@value QueryWire#PROTOCOL} and {@value VocabularyWire#PROTOCOL} from the local index: statistics for phase one, hits scored with the
 * supplied global statistics for phase two. What it serves is what the index holds: canonical blocks and this
 * node's signatures, verifiable by the asker.
 */
public final class QueryServer {
  private static final Logger LOG = Logger.getLogger(QueryServer.class.getName());

  private final EntryIndex index;
  private final String platform;
  private final String replicaSet;
  /** Encoded vocabulary pages kept for the current index version, in bytes at most. */
  private static final long MAX_REMEMBERED_BYTES = 16L << 20;

  /** The pages served at one index version and their size. */
  private record Served(long version, Map<VocabularyPage.Cursor, byte[]> pages,
      AtomicLong bytes) {}

  private volatile Served served = new Served(Long.MIN_VALUE, Map.of(), new AtomicLong());

  /** @param replicaSet name shared by nodes holding this same catalog, or null when this node has no replicas */
  public QueryServer(EntryIndex index, String platform, String replicaSet) {
    this.index = index;
    this.platform = platform;
    this.replicaSet = replicaSet;
  }

  public void register(Host host) {
    RequestResponse rr = new RequestResponse(host);
    rr.handle(QueryWire.PROTOCOL, QueryWire.MAX_REQUEST_BYTES, Duration.ofSeconds(10),
        logged("query", request -> QueryWire.encode(answer(QueryWire.decodeRequest(request)))));
    rr.handle(VocabularyWire.PROTOCOL, VocabularyWire.MAX_REQUEST_BYTES, Duration.ofSeconds(10),
        logged("vocabulary", request -> vocabularyPage(VocabularyWire.decodeRequest(request))));
  }

  /** A handler that logs a malformed request (naming its sender) before the stream is reset. */
  private static RequestResponse.Handler logged(String what, java.util.function.UnaryOperator<byte[]> answer) {
    return (from, request) -> {
      try {
        return answer.apply(request);
      } catch (QueryProtocolException e) {
        LOG.log(Level.INFO, "bad " + what + " request from " + from + ": " + e.getMessage());
        throw e;
      }
    };
  }


  /** One page of this node's vocabulary, as served to peers. */
  public VocabularyPage vocabulary(VocabularyPage.Cursor from) {
    return index.vocabulary(from, VocabularyWire.MAX_PAGE_ROWS, VocabularyWire.MAX_PAGE_TERM_BYTES);
  }

  /**
   * The encoded page, remembered while the index version is unchanged: every peer fetches the same pages after
   * each change, and a vocabulary page is the costliest thing this node serves.
   */
  private byte[] vocabularyPage(VocabularyPage.Cursor from) {
    long version = index.version();
    Served at = served;
    if (at.version() != version) {
      at = new Served(version, new ConcurrentHashMap<>(), new AtomicLong());
      served = at;
    }
    byte[] known = at.pages().get(from);
    if (known != null) {
      return known;
    }
    VocabularyPage page = vocabulary(from);
    byte[] encoded = VocabularyWire.encode(page);
    if (page.version() == version && at.bytes().addAndGet(encoded.length) <= MAX_REMEMBERED_BYTES) {
      at.pages().put(from, encoded); // a vocabulary larger than the bound is read afresh for its later pages
    }
    return encoded;
  }

  /** Answers one request (also used directly for the local index, so local and remote answers are alike). */
  public QueryWire.Response answer(QueryWire.Request r) {
    long start = System.nanoTime();
    if (r.op() == QueryWire.Op.STATS) {
      EntryIndex.VersionedStats st = index.versionedStatistics(r.search().query(), r.search().operator());
      return new QueryWire.Response(platform, replicaSet, 0, (System.nanoTime() - start) / 1000, List.of(),
          st.stats(), st.version());
    }
    EntryIndex.Served s = index.serve(r.search());
    List<QueryWire.Hit> hits = new ArrayList<>(s.hits().size());
    for (EntryIndex.ServedHit h : s.hits()) {
      hits.add(new QueryWire.Hit(h.cid(), h.block(), h.signature(), h.score()));
    }
    return new QueryWire.Response(platform, replicaSet, s.totalHits(), (System.nanoTime() - start) / 1000, hits,
        s.stats(), s.version());
  }
}
