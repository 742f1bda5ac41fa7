package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.SearchRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Phase one of an exact merge: the query's statistics from every target, summed into the global statistics that
 * phase two scores with. Each peer's statistics for a query are cached, so a repeated query skips phase one and
 * costs one round trip instead of two. The cache never makes a ranking inexact for long: phase two asks every peer
 * for its current statistics alongside its hits, and when one differs from what was used (its index changed), the
 * cache is refreshed and phase two re-run with the fresh figures. Only the statistics of a query as a whole are
 * cached, never per term: which terms a query has (prefix expansions) depends on the peer's index.
 */
final class StatsPhase {
  static final Duration TTL = Duration.ofMinutes(10);
  private static final int CAPACITY = 50_000;

  private volatile ResultCache<Key, QueryStats> cache = new ResultCache<>(TTL, CAPACITY);
  private volatile boolean caching = true;

  /**
   * What phase two needs: whom to ask per target (the peer whose statistics were counted first, its replica set as
   * hedges), the statistics used per target group, the groups answered by a hedge, and the targets that gave none.
   */
  record Plan(List<IndexPeers.Target> searchTargets, Map<String, QueryStats> used, Set<String> hedged,
      List<FanOut.Outcome> failed, boolean verify) {
    QueryStats merged() {
      return QueryStats.merge(used.values());
    }
  }

  void caching(boolean on) {
    caching = on;
    cache = new ResultCache<>(TTL, CAPACITY);
  }

  Plan plan(FanOut fanOut, List<IndexPeers.Target> targets, SearchRequest search, Instant deadline, Duration hedge) {
    boolean useCache = caching;
    Map<String, QueryStats> used = new LinkedHashMap<>();
    List<IndexPeers.Target> searchTargets = new ArrayList<>();
    List<IndexPeers.Target> ask = new ArrayList<>();
    for (IndexPeers.Target t : targets) {
      PeerId hit = null;
      QueryStats cached = null;
      if (useCache) {
        for (PeerId p : members(t)) {
          cached = cache.get(key(p, search));
          if (cached != null) {
            hit = p;
            break;
          }
        }
      }
      if (cached != null) {
        used.put(t.group(), cached);
        searchTargets.add(firstAsk(t, hit));
      } else {
        ask.add(t);
      }
    }
    Set<String> hedged = new HashSet<>();
    List<FanOut.Outcome> failed = new ArrayList<>();
    if (!ask.isEmpty()) {
      Map<IndexPeers.Target, FanOut.Outcome> answers =
          fanOut.run(ask, new QueryWire.Request(QueryWire.Op.STATS, search), deadline, hedge);
      for (FanOut.Outcome o : answers.values()) {
        if (o.ok() && o.response().stats() != null) {
          used.put(o.target().group(), o.response().stats());
          if (useCache) {
            cache.put(key(o.answeredBy(), search), o.response().stats());
          }
          searchTargets.add(firstAsk(o.target(), o.answeredBy()));
          if (o.hedged()) {
            hedged.add(o.target().group());
          }
        } else {
          failed.add(o);
        }
      }
    }
    return new Plan(searchTargets, used, hedged, failed, useCache);
  }

  /**
   * Takes the current statistics each peer sent with its hits: caches them, and says whether any differ from those
   * the plan used (then {@code plan.used()} now holds the fresh ones and phase two should be run again).
   */
  boolean refresh(Plan plan, SearchRequest search, Collection<FanOut.Outcome> answers) {
    boolean stale = false;
    for (FanOut.Outcome o : answers) {
      if (!o.ok() || o.response().stats() == null) {
        continue;
      }
      QueryStats fresh = o.response().stats();
      if (caching) {
        cache.put(key(o.answeredBy(), search), fresh);
      }
      if (!fresh.equals(plan.used().get(o.target().group()))) {
        plan.used().put(o.target().group(), fresh);
        stale = true;
      }
    }
    return stale;
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
