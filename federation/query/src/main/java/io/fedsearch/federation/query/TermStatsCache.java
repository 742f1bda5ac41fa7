package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.indexer.index.EntryIndex.VersionedStats;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.QueryTerms;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per peer, the statistics of every term it has reported in phase one, at the index version it reported them
 * from. A query never asked before whose terms are all known (and do not expand per index, see
 * {@link QueryTerms}) gets its statistics composed from here and skips phase one; and a peer whose index is known
 * to lack a term the query requires is not asked at all.
 *
 * <p>Term statistics are facts about one index version, so the cache of a peer is dropped as soon as the peer
 * reports another version; composed statistics carry their version, and phase two checks it against every answer
 * exactly as for statistics cached per query ({@link StatsPhase}). All peers together keep at most
 * {@link #MAX_TERMS} terms, shared equally (at least {@link #MIN_TERMS_PER_PEER} each); a peer past its share starts
 * again empty (the cheap bound: a popular vocabulary is relearnt in a few queries).
 */
final class TermStatsCache {
  static final int MAX_TERMS = 200_000;
  static final int MIN_TERMS_PER_PEER = 2_000;

  /** One peer's figures at one index version. */
  private static final class PeerTerms {
    final long version;
    final long maxDoc;
    final Map<String, QueryStats.FieldStats> fields = new ConcurrentHashMap<>();
    final Map<QueryStats.TermKey, QueryStats.TermStats> terms = new ConcurrentHashMap<>();

    PeerTerms(long version, long maxDoc) {
      this.version = version;
      this.maxDoc = maxDoc;
    }
  }

  private final Map<PeerId, PeerTerms> peers = new ConcurrentHashMap<>();

  /** Notes statistics {@code peer} reported at index version {@code version}. */
  void learn(PeerId peer, long version, QueryStats stats) {
    int share = Math.max(MIN_TERMS_PER_PEER, MAX_TERMS / Math.max(1, peers.size() + 1));
    peers.compute(peer, (p, old) -> {
      PeerTerms t = old == null || old.version != version || old.terms.size() + stats.terms().size() > share
          ? new PeerTerms(version, stats.maxDoc()) : old;
      t.fields.putAll(stats.fields());
      t.terms.putAll(stats.terms());
      return t;
    });
  }

  /** What {@code peer} would answer in phase one for a query with these terms, if every one of them is known. */
  Optional<VersionedStats> compose(PeerId peer, QueryTerms query) {
    PeerTerms t = peers.get(peer);
    if (t == null) {
      return Optional.empty();
    }
    Map<QueryStats.TermKey, QueryStats.TermStats> terms = new HashMap<>();
    Map<String, QueryStats.FieldStats> fields = new HashMap<>();
    for (QueryStats.TermKey k : query.terms()) {
      QueryStats.TermStats s = t.terms.get(k);
      QueryStats.FieldStats f = t.fields.get(k.field());
      if (s == null || f == null) {
        return Optional.empty();
      }
      terms.put(k, s);
      fields.put(k.field(), f);
    }
    return Optional.of(new VersionedStats(new QueryStats(t.maxDoc, fields, terms), t.version));
  }

  /**
   * Whether {@code peer}'s index at {@code version} is known to hold no entry the query could match: some term the
   * query requires has no document there. Unknown terms count as present.
   */
  boolean cannotMatch(PeerId peer, long version, QueryTerms query) {
    PeerTerms t = peers.get(peer);
    if (t == null || t.version != version) {
      return false;
    }
    return !query.canMatch(k -> {
      QueryStats.TermStats s = t.terms.get(k);
      return s == null || s.docFreq() > 0;
    });
  }
}
