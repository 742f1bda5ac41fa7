package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.indexer.index.EntryIndex.VersionedStats;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.QueryTerms;
import io.fedsearch.indexer.search.SearchRequest;
import io.fedsearch.indexer.search.SegmentedVocabulary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Phase one of an exact merge: the query's statistics from every target, summed into the global statistics that
 * phase two scores with. Each peer's statistics for a query are cached with the index version they were read at,
 * so a repeated query skips phase one and costs one round trip instead of two. The cache never makes a ranking
 * inexact: a peer's statistics are used only while the peer's known index version is the cached one, and every
 * phase-two answer names the version it was read from; when that differs from the version of the statistics used
 * (the index changed), that peer's statistics are read again and, if they changed, phase two is run again with the
 * fresh figures. A query never asked before is composed from per-term statistics when every peer's figures
 * for all its terms are known ({@link TermStatsCache}) — only for queries whose terms do not depend on the peer's
 * index (no prefix expansions); the same version check covers them.
 */
final class StatsPhase {
  static final Duration TTL = Duration.ofMinutes(10);
  private static final int CAPACITY = 50_000;

  private volatile ResultCache<Key, VersionedStats> cache = new ResultCache<>(TTL, CAPACITY);
  private volatile TermStatsCache terms = new TermStatsCache();
  private final PeerVocabularies vocabularies;
  private volatile boolean caching = true;
  private volatile boolean useVocabularies = true;
  private final AtomicLong asked = new AtomicLong();

  /**
   * What phase two needs: whom to ask per target (the peer whose statistics were counted first, its replica set as
   * hedges), the statistics used per target group and the index version they were read at, the groups answered
   * by a hedge, and the targets that gave none.
   */
  record Plan(List<IndexPeers.Target> searchTargets, Map<String, QueryStats> used, Map<String, Long> versions,
      Set<String> hedged, List<FanOut.Outcome> failed) {
    QueryStats merged() {
      return QueryStats.merge(used.values());
    }
  }

  StatsPhase(PeerVocabularies vocabularies) {
    this.vocabularies = vocabularies;
  }

  void caching(boolean on) {
    caching = on;
    vocabularies.enabled(on && useVocabularies);
    cache = new ResultCache<>(TTL, CAPACITY);
    terms = new TermStatsCache();
  }

  /**
   * Whether {@code peer}'s index at {@code version} is known to hold no entry the query could match: from its
   * vocabulary when that is of this version, else from the terms learnt in phase one ({@link TermStatsCache}).
   */
  boolean cannotMatch(PeerId peer, long version, QueryTerms query) {
    Optional<SegmentedVocabulary> v = vocabularies.current(peer, OptionalLong.of(version));
    if (v.isPresent()) {
      return !v.get().canMatch(query);
    }
    return terms.cannotMatch(peer, version, query);
  }

  /** Whether peers' vocabularies are fetched and used (while caching is on). */
  void vocabularies(boolean on) {
    useVocabularies = on;
    vocabularies.enabled(on && caching);
  }

  /** How many statistics requests (phase one, per peer) this node has sent. */
  long statisticsRequests() {
    return asked.get();
  }

  /** @param queryTerms the query's terms when they do not depend on the peer's index (else empty) */
  Plan plan(FanOut fanOut, List<IndexPeers.Target> targets, SearchRequest search,
      Optional<QueryTerms> queryTerms, Instant deadline, Duration hedge, RouteMemo memo) {
    boolean useCache = caching;
    Map<String, QueryStats> used = new LinkedHashMap<>();
    Map<String, Long> versions = new LinkedHashMap<>();
    List<IndexPeers.Target> searchTargets = new ArrayList<>();
    List<IndexPeers.Target> ask = new ArrayList<>();
    for (IndexPeers.Target t : targets) {
      PeerId hit = null;
      VersionedStats cached = null;
      if (useCache) {
        for (PeerId p : members(t)) {
          VersionedStats k = cache.get(key(p, search));
          OptionalLong now = memo.version(p);
          boolean stale = k != null && now.isPresent() && now.getAsLong() != k.version();
          if ((k == null || stale) && queryTerms.isPresent()) {
            // Not cached for the peer's current version: compose from its vocabulary, and when that is stale too
            // fetch the new one (else a peer that keeps writing would never be followed).
            VersionedStats composed = vocabularies.compose(p, now, queryTerms.get())
                .filter(c -> StatsBounds.plausible(c.stats())).orElse(null); // implausible: ask, and be told why
            if (composed != null) {
              k = composed;
              cache.put(key(p, search), k); // a repeated query then skips even the composing
            } else {
              vocabularies.want(p, now);
              k = terms.compose(p, queryTerms.get()).orElse(k);
            }
          }
          if (k != null && (now.isEmpty() || now.getAsLong() == k.version())) { // known stale: ask again
            cached = k;
            hit = p;
            break;
          }
        }
      }
      if (cached != null) {
        used.put(t.group(), cached.stats());
        versions.put(t.group(), cached.version());
        searchTargets.add(firstAsk(t, hit));
      } else {
        ask.add(t);
      }
    }
    Set<String> hedged = new HashSet<>();
    List<FanOut.Outcome> failed = new ArrayList<>();
    if (!ask.isEmpty()) {
      asked.addAndGet(ask.size());
      Map<IndexPeers.Target, FanOut.Outcome> answers =
          fanOut.run(ask, new QueryWire.Request(QueryWire.Op.STATS, search), deadline, hedge);
      for (FanOut.Outcome o : answers.values()) {
        if (o.ok() && o.response().stats() != null) {
          take(o, search, used, versions, memo);
          searchTargets.add(firstAsk(o.target(), o.answeredBy()));
          if (o.hedged()) {
            hedged.add(o.target().group());
          }
        } else {
          failed.add(o);
        }
      }
    }
    return new Plan(searchTargets, used, versions, hedged, failed);
  }

  private void take(FanOut.Outcome o, SearchRequest search, Map<String, QueryStats> used, Map<String, Long> versions,
      RouteMemo memo) {
    QueryWire.Response r = o.response();
    used.put(o.target().group(), r.stats());
    versions.put(o.target().group(), r.indexVersion());
    memo.heard(o.answeredBy(), r.indexVersion());
    if (caching) {
      cache.put(key(o.answeredBy(), search), new VersionedStats(r.stats(), r.indexVersion()));
      terms.learn(o.answeredBy(), r.indexVersion(), r.stats());
    }
  }

  /**
   * Checks the version each phase-two answer was read from against the version of the statistics used for its
   * target; reads the statistics of the peers whose index changed again (into {@code plan}) and says whether any
   * of them differ — then phase two should be run again with {@code plan.merged()}.
   */
  boolean refresh(Plan plan, SearchRequest search, Collection<FanOut.Outcome> answers, FanOut fanOut,
      Instant deadline, Duration hedge, RouteMemo memo) {
    List<IndexPeers.Target> changed = new ArrayList<>();
    for (FanOut.Outcome o : answers) {
      if (o.ok() && !Long.valueOf(o.response().indexVersion()).equals(plan.versions().get(o.target().group()))) {
        changed.add(new IndexPeers.Target(o.target().group(), o.answeredBy(), List.of()));
      }
    }
    if (changed.isEmpty()) {
      return false;
    }
    Map<String, QueryStats> before = new LinkedHashMap<>(plan.used());
    asked.addAndGet(changed.size());
    for (FanOut.Outcome o : fanOut.run(changed, new QueryWire.Request(QueryWire.Op.STATS, search), deadline, hedge)
        .values()) {
      if (o.ok() && o.response().stats() != null) {
        take(o, search, plan.used(), plan.versions(), memo);
      }
    }
    return !before.equals(plan.used());
  }
  /** Phase two asks first the peer whose statistics were counted; the rest of its replica set hedges it. */
  private static IndexPeers.Target firstAsk(IndexPeers.Target t, PeerId first) {
    List<PeerId> others = new ArrayList<>(members(t));
    others.remove(first);
    return new IndexPeers.Target(t.group(), first, List.copyOf(others));
  }

  private static List<PeerId> members(IndexPeers.Target t) {
    List<PeerId> all = new ArrayList<>(1 + t.replicas().size());
    all.add(t.primary());
    all.addAll(t.replicas());
    return all;
  }

  private record Key(PeerId peer, SearchRequest.Operator operator, String query) {}

  private static Key key(PeerId peer, SearchRequest s) {
    return new Key(peer, s.operator(), s.query());
  }
}
