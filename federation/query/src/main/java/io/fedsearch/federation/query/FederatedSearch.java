package io.fedsearch.federation.query;

import io.fedsearch.core.token.AttributionToken;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.EntryCache;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.indexer.index.EntryDocuments;
import io.fedsearch.indexer.search.IndexSegments;
import io.fedsearch.indexer.search.QueryParsing;
import io.fedsearch.indexer.search.QueryStats;
import io.fedsearch.indexer.search.QueryTerms;
import io.fedsearch.indexer.search.SearchRequest;
import io.fedsearch.indexer.search.VocabularyPage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A user's query answered from every reachable index as if they were one: see the package documentation for the
 * flow. Thread-safe; one instance per node.
 */
public final class FederatedSearch {
  /** How scores from different nodes are made comparable. */
  public enum Merge { EXACT, RRF }

  /** One user query: the search, how to merge, the user's deadline, whether the operator was chosen explicitly. */
  public record Query(SearchRequest search, Merge merge, Duration deadline, boolean explicitOperator) {}

  public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(1500);
  public static final Duration TOKEN_VALIDITY = Duration.ofHours(1);
  private static final double STATS_SHARE = 0.45;

  private final NodeKey key;
  private final PeerId self;
  private final QueryServer local;
  private final IndexPeers peers;
  private final FanOut fanOut;
  private final PeerStanding standing;
  private final RankingFormula formula;
  private volatile RankingSignals signals = RankingSignals.NONE;
  private volatile CreatorSightings sightings = CreatorSightings.NONE;
  public static final Duration CACHE_TTL = Duration.ofSeconds(15);
  private volatile ResultCache<String, CachedAnswer> cache = new ResultCache<>(CACHE_TTL, 512);
  private final WorkRanking ranking;
  private final EntryCache entries = new EntryCache(10_000);
  private final PeerVocabularies vocabularies;
  private final StatsPhase statsPhase;
  private final Spelling spelling;
  /** Parses queries as every node does, to know their terms before asking anyone (see {@link TermStatsCache}). */
  private final QueryParsing parsing = new QueryParsing(EntryDocuments.analyzer());
  private final RouteMemo memo = new RouteMemo();

  /**
   * @param peers the index peers to fan out to, or null for a node without networking (then only local results)
   * @param rr the request/response channel to peers (null together with {@code peers})
   */
  public FederatedSearch(NodeKey key, PeerId self, QueryServer local, IndexPeers peers, RequestResponse rr,
      PeerStanding standing, RankingFormula formula) {
    this.key = key;
    this.self = self;
    this.local = local;
    this.peers = peers;
    this.standing = standing;
    this.formula = formula;
    this.ranking = new WorkRanking(new EntryVerifier(), formula, () -> signals);
    this.vocabularies = new PeerVocabularies(new PeerVocabularies.Source() {
      @Override
      public IndexSegments segments(PeerId peer) throws Exception {
        return peer.equals(self) ? local.segments()
            : VocabularyWire.decodeSegments(ask(rr, peer, VocabularyWire.Request.SEGMENTS));
      }

      @Override
      public VocabularyPage page(PeerId peer, String segment, VocabularyPage.Cursor from) throws Exception {
        return peer.equals(self) ? local.vocabulary(segment, from)
            : VocabularyWire.decodeResponse(ask(rr, peer, new VocabularyWire.Request(segment, from)));
      }
    });
    this.statsPhase = new StatsPhase(vocabularies);
    this.spelling = new Spelling(local.index(), vocabularies);
    this.fanOut = new FanOut(new FanOut.Asker() {
      @Override
      public CompletableFuture<QueryWire.Response> ask(PeerId peer, QueryWire.Request request, byte[] wire,
          Duration timeout) {
        if (peer.equals(self)) { // on the asking thread: FanOut asks the node itself after its peers
          try {
            return CompletableFuture.completedFuture(local.answer(request));
          } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
          }
        }
        // Completed on the connection's reader thread as the answer arrives: decoding and binding are quick.
        CompletableFuture<byte[]> call =
            rr.callInline(peer, QueryWire.PROTOCOL, wire, QueryWire.MAX_RESPONSE_BYTES, timeout);
        // The answer counts only with its platform's signed record naming the peer; what the record states replaces
        // what the peer claimed (a stranger cannot speak for another platform or join its replica set).
        CompletableFuture<QueryWire.Response> decoded =
            call.thenApply(bytes -> peers.bindings().bind(peer, QueryWire.decodeResponse(bytes)));
        // Cancelling a dependent stage does not cancel its source: pass the cancellation on, so the call's stream is
        // reset (and the peer stops working) as soon as a hedge wins or the deadline passes.
        decoded.whenComplete((r, e) -> {
          if (decoded.isCancelled()) {
            call.cancel(true);
          }
        });
        return decoded;
      }

      @Override
      public boolean local(PeerId peer) {
        return peer.equals(self);
      }
    }, standing);
  }

  private static byte[] ask(RequestResponse rr, PeerId peer, VocabularyWire.Request request) throws Exception {
    return rr.call(peer, VocabularyWire.PROTOCOL, VocabularyWire.encode(request), VocabularyWire.MAX_RESPONSE_BYTES,
        PeerVocabularies.PAGE_TIMEOUT).get();
  }

  public void setSignals(RankingSignals signals) {
    this.signals = signals;
  }

  /** Where each fresh answer's verified CID → creator pairs go (reputation, in a node). */
  public void setCreatorSightings(CreatorSightings sightings) {
    this.sightings = sightings;
  }

  /**
   * Changes how long merged answers are kept ({@link #CACHE_TTL} by default); zero turns the cache off, as the
   * benchmark does so that repeated queries measure the network and not the cache. Drops what is cached.
   */
  public void setCacheTtl(Duration ttl) {
    this.cache = new ResultCache<>(ttl, 512);
  }

  /**
   * Whether each peer's statistics for a query are cached (default on; see {@link StatsPhase}): a repeated query
   * then takes one round trip instead of two. Off, every exact query runs both phases. Drops what is cached.
   */
  public void setStatsCaching(boolean on) {
    statsPhase.caching(on);
  }

  /**
   * Whether peers known to match nothing for a search at their current index version are left out (default on;
   * see {@link RouteMemo}). Off, every query goes to every peer.
   */
  public void setRouting(boolean on) {
    memo.enabled(on);
  }

  /** How many statistics requests (phase one, counted per peer) this node has sent: a measure of cold queries. */
  public long statisticsRequests() {
    return statsPhase.statisticsRequests();
  }

  /**
   * Whether each peer's whole vocabulary is fetched and used (default on; see {@link PeerVocabularies}): then a
   * query never asked before skips phase one too. Off, only the terms learnt in phase one are used.
   */
  public void setVocabularies(boolean on) {
    statsPhase.vocabularies(on);
  }

  /** How soon a peer's vocabulary may be fetched again (tests shorten it). */
  void vocabularyInterval(Duration interval) {
    vocabularies.minInterval(interval);
  }

  /** How many peer vocabularies this node has fetched ({@link PeerVocabularies}). */
  public long vocabularyFetches() {
    return vocabularies.fetches();
  }

  /** How many segment vocabularies those fetches read (a fetch reads only segments it did not have). */
  public long vocabularySegmentsFetched() {
    return vocabularies.segmentsFetched();
  }

  /** How many terms those segment vocabularies held. */
  public long vocabularyTermsFetched() {
    return vocabularies.termsFetched();
  }

  /**
   * The query as typed with each word that no node has replaced by the closest word some node has ("did you
   * mean", in the analysed form the index holds); empty when every word is known somewhere or nothing close is.
   */
  public Optional<String> correct(String query) {
    return spelling.correct(query).map(Spelling.Correction::corrected);
  }

  public PeerStanding standing() {
    return standing;
  }

  public FederatedResult search(Query q) {
    long start = System.nanoTime();
    String cacheKey = cacheKey(q);
    ResultCache<String, CachedAnswer> cache = this.cache;
    // Read the generation before asking anyone: a peer that joins or leaves during the search makes the answer
    // stale at once rather than after the TTL.
    long generation = peers == null ? 0 : peers.generation();
    CachedAnswer hit = cache.get(cacheKey);
    if (hit != null && hit.generation() == generation) {
      return hit.merged().toResult(q, key, (System.nanoTime() - start) / 1e6, true, hit.answeredAt());
    }
    Instant answeredAt = Instant.now();
    Instant deadline = answeredAt.plus(q.deadline());
    Merged merged = run(q, q.search(), deadline);
    if (merged.totalHits == 0 && !q.explicitOperator() && !q.search().query().isBlank()
        && q.search().operator() == SearchRequest.Operator.ALL && Instant.now().isBefore(deadline)) {
      merged = run(q, q.search().withOperator(SearchRequest.Operator.ANY), deadline).relaxed();
    }
    if (merged.nodes().stream().allMatch(FederatedResult.NodeStatus::complete)) {
      // a partial answer is not worth repeating: the next user asks again
      cache.put(cacheKey, new CachedAnswer(merged, generation, answeredAt));
    }
    FederatedResult result = merged.toResult(q, key, (System.nanoTime() - start) / 1e6, false, answeredAt);
    CreatorSightings sink = sightings;
    if (sink != CreatorSightings.NONE) {
      sink.seen(CreatorSightings.of(result)); // a reused answer's pairs were reported when it was fresh
    }
    return result;
  }

  /**
   * A merged answer kept for reuse, with when it was given and the {@link IndexPeers#generation()} of the peers
   * connected then: once a peer has joined or left, the answer may name a node that is gone or miss one that came,
   * so it is not reused.
   */
  private record CachedAnswer(Merged merged, long generation, Instant answeredAt) {}

  private List<IndexPeers.Target> targets(Instant now) {
    List<IndexPeers.Target> targets = new ArrayList<>();
    targets.add(new IndexPeers.Target("self", self, List.of()));
    if (peers != null) {
      targets.addAll(peers.route(now));
    }
    return targets;
  }

  private Merged run(Query q, SearchRequest search, Instant deadline) {
    Instant now = Instant.now();
    List<IndexPeers.Target> targets = targets(now);
    Map<String, FederatedResult.NodeStatus> statuses = new LinkedHashMap<>();
    if (peers != null) {
      for (PeerId p : peers.known()) {
        PeerStanding.Record r = standing.get(p);
        if (r.backedOff(now)) {
          statuses.put(PeerNames.of(p), new FederatedResult.NodeStatus(PeerNames.of(p), r.platform(), "backed_off", 0, 0, 0,
              false, "backed off until " + r.backedOffUntil() + " after: " + r.lastError()));
        }
      }
    }
    // Each peer's best `limit` hits hold the best `limit` entries of the union. With signals to re-rank by, a margin
    // gives lower-scored works a chance to rise; a page left short by content merges or forgeries asks again, deeper.
    int perPeer = signals == RankingSignals.NONE ? search.limit()
        : Math.min(QueryWire.MAX_HITS, search.limit() + Math.max(5, search.limit() / 2));
    SearchRequest phase2 = new SearchRequest(search.query(), search.operator(), perPeer, search.platforms(),
        search.creator(), search.tag(), search.minPrice(), search.maxPrice(), false, null);
    List<IndexPeers.Target> searchTargets = targets;
    Optional<QueryTerms> queryTerms = QueryTerms.of(parsing.parse(search.query(), search.operator()));
    StatsPhase.Plan plan = null;
    if (q.merge() == Merge.EXACT) {
      Duration left = Duration.between(now, deadline);
      Instant statsDeadline = now.plus(Duration.ofNanos((long) (left.toNanos() * STATS_SHARE)));
      plan = statsPhase.plan(fanOut, targets, phase2, queryTerms, statsDeadline, hedgeDelay(left), memo);
      for (FanOut.Outcome o : plan.failed()) {
        statuses.put(PeerNames.of(o.target().primary()), status(o, 0, "statistics phase: "));
      }
      searchTargets = plan.searchTargets();
      phase2 = phase2.withStats(false, plan.merged());
    }
    searchTargets = route(searchTargets, phase2, queryTerms, statuses);
    Map<IndexPeers.Target, FanOut.Outcome> answers;
    List<WorkRanking.RankedWork> ranked;
    Map<PeerId, WorkRanking.Problems> problems;
    long total;
    while (true) {
      answers = fanOut.run(searchTargets, new QueryWire.Request(QueryWire.Op.SEARCH, phase2), deadline,
          hedgeDelay(Duration.between(Instant.now(), deadline)));
      if (plan != null && statsPhase.refresh(plan, phase2, answers.values(), fanOut, deadline,
          hedgeDelay(Duration.between(Instant.now(), deadline)), memo) && Instant.now().isBefore(deadline)) {
        // A peer's index changed since its statistics were read: score everything again with the fresh ones.
        phase2 = phase2.withStats(false, plan.merged());
        answers = fanOut.run(searchTargets, new QueryWire.Request(QueryWire.Op.SEARCH, phase2), deadline,
            hedgeDelay(Duration.between(Instant.now(), deadline)));
      }
      List<WorkRanking.Candidate> candidates = new ArrayList<>();
      problems = new LinkedHashMap<>();
      total = 0;
      boolean truncated = false;
      for (FanOut.Outcome o : answers.values()) {
        if (o.ok()) {
          total += o.response().totalHits();
          truncated |= o.response().hits().size() >= phase2.limit() && o.response().totalHits() > phase2.limit();
          decode(o.answeredBy(), o.response(), candidates, problems.computeIfAbsent(o.answeredBy(), p -> new WorkRanking.Problems()));
        }
      }
      ranked = ranking.rank(candidates, q.merge(), search.limit(), problems);
      if (ranked.size() >= search.limit() || !truncated || phase2.limit() >= QueryWire.MAX_HITS
          || !Instant.now().isBefore(deadline)) {
        break;
      }
      phase2 = phase2.withLimit(Math.min(QueryWire.MAX_HITS, phase2.limit() * 2 + 5)); // the page is short: deeper
    }
    Set<String> hedgedForStats = plan == null ? Set.of() : plan.hedged();
    for (FanOut.Outcome o : answers.values()) {
      if (!o.ok()) {
        statuses.put(PeerNames.of(o.target().primary()), status(o, 0, ""));
      }
    }
    for (FanOut.Outcome o : answers.values()) {
      if (!o.ok()) {
        continue;
      }
      memo.answered(o.answeredBy(), phase2, o.response().indexVersion(), o.response().totalHits());
      WorkRanking.Problems pr = problems.get(o.answeredBy());
      if (pr.forged > 0) {
        standing.forged(o.answeredBy(), pr.forged, pr.first, Instant.now());
      }
      statuses.put(PeerNames.of(o.answeredBy()), new FederatedResult.NodeStatus(PeerNames.of(o.answeredBy()),
          o.response().platform(), "ok", o.response().hits().size() - pr.forged, o.tookMs(), pr.forged,
          o.hedged() || hedgedForStats.contains(o.target().group()),
          pr.forged > 0 ? pr.forged + " entries failed verification: " + pr.first : null));
    }
    return new Merged(search, ranked, List.copyOf(statuses.values()), total, false);
  }

  /**
   * Leaves out the targets known to match nothing for this search at their current index version: the search
   * itself matched nothing there ({@link RouteMemo}), or no document of the index has every term the query
   * requires of one (its vocabulary's terms and their buckets, {@link StatsPhase#cannotMatch}; not consulted for a
   * peer the memo knows matched this search at its version). They are listed as skipped, with why in plain words.
   */
  private List<IndexPeers.Target> route(List<IndexPeers.Target> targets, SearchRequest search,
      Optional<QueryTerms> queryTerms, Map<String, FederatedResult.NodeStatus> statuses) {
    List<IndexPeers.Target> ask = new ArrayList<>(targets.size());
    for (IndexPeers.Target t : targets) {
      PeerId p = t.primary();
      OptionalLong version = memo.version(p);
      String why = null;
      RouteMemo.Known known = memo.known(p, search);
      if (known == RouteMemo.Known.EMPTY) {
        // Said in words a user reads; the index version that made it so is an internal detail.
        why = "no matching entries — skipped: its index version is unchanged since it last had none for this search";
      } else if (known == RouteMemo.Known.UNKNOWN && memo.enabled() && queryTerms.isPresent() && version.isPresent()
          && statsPhase.cannotMatch(p, version.getAsLong(), queryTerms.get())) {
        memo.matchesNothing(p, search, version.getAsLong());
        why = "no matching entries — skipped: no document of its index has every term this search requires";
      }
      if (why != null) {
        statuses.put(PeerNames.of(p), new FederatedResult.NodeStatus(PeerNames.of(p), standing.get(p).platform(),
            FederatedResult.NodeStatus.SKIPPED, 0, 0, 0, false, why));
      } else {
        ask.add(t);
      }
    }
    return ask;
  }

  private static Duration hedgeDelay(Duration left) {
    return Duration.ofNanos(Math.max(Duration.ofMillis(30).toNanos(), left.toNanos() / 4));
  }

  private FederatedResult.NodeStatus status(FanOut.Outcome o, int hits, String prefix) {
    PeerId p = o.target().primary();
    return new FederatedResult.NodeStatus(PeerNames.of(p), standing.get(p).platform(), o.status(), hits, o.tookMs(), 0,
        o.hedged(), prefix + o.error());
  }

  /** Entries from one peer that failed a check, and the first reason. */
  private void decode(PeerId peer, QueryWire.Response r, List<WorkRanking.Candidate> out, WorkRanking.Problems problems) {
    NodePublicKey signer = peer.equals(self) ? key.publicKey() : peer.publicKey().orElse(null);
    // The platforms of the signer's verified records (PlatformBindings), not what the peer claims; our own for self.
    Set<String> platforms = new java.util.LinkedHashSet<>();
    r.records().forEach(rec -> platforms.add(rec.record().platform()));
    int rank = 0;
    for (QueryWire.Hit h : r.hits()) {
      rank++;
      try {
        Entry e = entries.fromBlock(h.block(), h.cid()); // the claimed CID finds a known block unhashed
        if (signer == null) {
          problems.add("peer has no Ed25519 identity to verify against");
        } else if (!platforms.contains(e.platform())) {
          problems.add("entry " + e.cid() + " claims platform " + e.platform() + ", but its signer's platform records"
              + " are for " + String.join(", ", platforms));
        } else if (!e.cid().hasBytes(h.cid())) {
          problems.add("claimed CID " + Cid.fromBytes(h.cid()) + " is not the entry's " + e.cid());
        } else { // the entry's own CID object: its text form is computed once, not per query
          out.add(new WorkRanking.Candidate(new SignedEntry(e, e.cid(), h.signature(), signer), peer, h.score(), rank));
        }
      } catch (IllegalArgumentException ex) {
        problems.add("malformed entry: " + ex.getMessage());
      }
    }
  }

  /** A merged answer without tokens: what the cache keeps. */
  private record Merged(SearchRequest search, List<WorkRanking.RankedWork> works, List<FederatedResult.NodeStatus> nodes,
      long totalHits, boolean wasRelaxed) {
    Merged relaxed() {
      return new Merged(search, works, nodes, totalHits, true);
    }

    FederatedResult toResult(Query q, NodeKey key, double tookMs, boolean cached, Instant answeredAt) {
      List<Cid> shownCids = new ArrayList<>();
      for (WorkRanking.RankedWork w : works) {
        for (WorkRanking.Candidate c : w.listings()) {
          shownCids.add(c.entry().cid());
        }
      }
      // One signature for the page: each token carries its Merkle path (see AttributionToken).
      java.util.Iterator<AttributionToken.Signed> tokens =
          AttributionToken.issueAll(key, shownCids, q.search().query(), Instant.now(), TOKEN_VALIDITY).iterator();
      List<FederatedResult.Work> out = new ArrayList<>(works.size());
      for (WorkRanking.RankedWork w : works) {
        List<FederatedResult.Listing> listings = new ArrayList<>();
        for (WorkRanking.Candidate c : w.listings()) {
          listings.add(new FederatedResult.Listing(c.entry(), PeerNames.of(c.peer()), c.score(),
              tokens.next().encode()));
        }
        out.add(new FederatedResult.Work(w.key().toString(), w.score(), w.text(), w.signal(), w.reputation(), listings));
      }
      return new FederatedResult(q.search().query(), q.merge().name().toLowerCase(java.util.Locale.ROOT),
          search.operator().name().toLowerCase(java.util.Locale.ROOT), wasRelaxed, totalHits, out, nodes, tookMs, cached,
          answeredAt);
    }
  }

  private static String cacheKey(Query q) {
    SearchRequest s = q.search();
    return String.join("\u0000", s.query().strip().toLowerCase(java.util.Locale.ROOT), s.operator().name(),
        Integer.toString(s.limit()), String.join(",", new java.util.TreeSet<>(s.platforms())), String.valueOf(s.creator()),
        String.valueOf(s.tag()), String.valueOf(s.minPrice()), String.valueOf(s.maxPrice()), q.merge().name(),
        Boolean.toString(q.explicitOperator()));
  }
}
