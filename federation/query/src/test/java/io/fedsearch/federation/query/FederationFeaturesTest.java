package io.fedsearch.federation.query;

import io.fedsearch.core.token.AttributionToken;
import static io.fedsearch.federation.query.QueryNodes.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.PeerInfo;
import io.fedsearch.federation.query.QueryNodes.Searcher;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.search.SearchRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Federated search features over real libp2p connections on 127.0.0.1: a node joining late found through the DHT
 * without reconfiguring anyone, reciprocal rank fusion, one work listed by two platforms, the result cache
 * with fresh attribution tokens, statistics refreshed when a peer's index changes, and routing around peers known
 * to match nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FederationFeaturesTest {
  @TempDir Path dir;
  private QueryNodes nodes;

  @BeforeEach
  void open() {
    nodes = new QueryNodes(dir);
  }

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  private static FederatedSearch.Query query(String q, FederatedSearch.Merge merge) {
    return new FederatedSearch.Query(SearchRequest.of(q, 10), merge, Duration.ofSeconds(5), false);
  }

  private static Set<String> platformsOf(FederatedResult r) {
    return r.works().stream().flatMap(w -> w.listings().stream()).map(l -> l.entry().entry().platform())
        .collect(Collectors.toSet());
  }

  @Test
  void aNodeJoiningLateIsFoundThroughTheDhtWithoutReconfiguration() throws Exception {
    FederationNode first = nodes.node("first", null, List.of(entry("first", "1", "magpie first")), true, List.of())
        .start();
    FederationNode second = nodes.node("second", null, List.of(entry("second", "1", "magpie second")), true,
        first.host().listenAddresses()).start();
    awaitKnown(first, second.host().peerId());
    FederatedResult before = first.search().search(query("magpie", FederatedSearch.Merge.EXACT));
    assertThat(platformsOf(before)).containsExactlyInAnyOrder("first", "second");

    // The late node knows only the second node's address; nobody is told about it.
    FederationNode late = nodes.node("late", null, List.of(entry("late", "1", "magpie late")), true,
        second.host().listenAddresses()).start();
    PeerId lateId = late.host().peerId();
    // 35 s: the old loop's 30 s plus one last lookup of up to 5 s started just before the limit.
    await().atMost(Duration.ofSeconds(35)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> {
          late.peers().refresh(); // re-provides the key (its first provide may precede its bootstrap dial)
          List<PeerId> providers = first.host().dht().orElseThrow()
              .findProviders(IndexPeers.INDEX_NODES_KEY, 50, Duration.ofSeconds(5)).stream().map(PeerInfo::peerId)
              .toList();
          assertThat(providers).as("the late node provides the index-node key").contains(lateId);
        });
    first.peers().refresh(); // what the periodic refresh does every 30 s
    assertThat(first.peers().known()).contains(lateId);

    FederatedResult after = first.search().search(query("magpie late", FederatedSearch.Merge.EXACT));
    assertThat(platformsOf(after)).containsExactly("late");
    assertThat(after.nodes()).anyMatch(n -> n.peer().equals(lateId.toString()) && n.status().equals("ok"));
  }

  private static void awaitKnown(FederationNode node, PeerId peer) {
    await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> {
          if (!node.peers().known().contains(peer)) {
            node.peers().refresh();
          }
          assertThat(node.peers().known()).contains(peer);
        });
  }

  @Test
  void reciprocalRankFusionInterleavesPeersThatExactMergingWouldNot() throws Exception {
    // The asking node's entries match strongly (the word three times); the peer's weakly, in long descriptions.
    List<Entry> strong = IntStream.range(0, 4)
        .mapToObj(i -> entry("strong", "s" + i, "puffin puffin puffin " + i)).toList();
    List<Entry> weak = IntStream.range(0, 4).mapToObj(i -> entry("weak", "w" + i,
        "puffin among many other words about seabirds cliffs nesting colonies and the north atlantic " + i)).toList();
    Searcher a = nodes.searcher("strong", strong, new PeerStanding());
    Searcher b = nodes.searcher("weak", weak, new PeerStanding());
    QueryNodes.introduce(a.host(), a.peers(), b.host());

    FederatedResult exact = a.search().search(query("puffin", FederatedSearch.Merge.EXACT));
    assertThat(exact.works()).hasSize(8);
    assertThat(exact.works().subList(0, 4)).allMatch(w -> w.listings().getFirst().entry().entry().platform().equals("strong"));

    FederatedResult rrf = a.search().search(query("puffin", FederatedSearch.Merge.RRF));
    assertThat(rrf.merge()).isEqualTo("rrf");
    assertThat(rrf.works()).hasSize(8);
    // Rank r on either node contributes 1 / (60 + r): the fused list pairs each node's r-th hit.
    for (int r = 0; r < 4; r++) {
      List<FederatedResult.Work> pair = rrf.works().subList(2 * r, 2 * r + 2);
      double expected = 1.0 / (61 + r);
      assertThat(pair).allSatisfy(w -> assertThat(w.textScore()).isCloseTo(expected,
          org.assertj.core.data.Offset.offset(1e-12)));
      assertThat(pair.stream().map(w -> w.listings().getFirst().entry().entry().platform()))
          .containsExactlyInAnyOrder("strong", "weak");
    }
    for (int i = 1; i < rrf.works().size(); i++) {
      assertThat(rrf.works().get(i).score()).isLessThanOrEqualTo(rrf.works().get(i - 1).score());
    }
  }

  @Test
  void oneWorkListedByTwoPlatformsAppearsOnceWithBothPrices() throws Exception {
    Cid work = Cid.ofDagCbor(DagCbor.encode("the actual bytes of a shared work"));
    Searcher a = nodes.searcher("shop-a",
        List.of(entry("shop-a", "item-17", "gannet field guide", 1200, work.toString()),
            entry("shop-a", "item-18", "gannet poster", 300, null)), new PeerStanding());
    Searcher b = nodes.searcher("shop-b",
        List.of(entry("shop-b", "gg-1", "gannet field guide second edition", 950, work.toString())), new PeerStanding());
    QueryNodes.introduce(a.host(), a.peers(), b.host());

    for (FederatedSearch.Merge merge : FederatedSearch.Merge.values()) {
      FederatedResult r = a.search().search(query("gannet", merge));
      assertThat(r.works()).as(merge.name()).hasSize(2);
      List<FederatedResult.Work> shared = r.works().stream().filter(w -> w.key().equals(work.toString())).toList();
      assertThat(shared).as(merge.name()).hasSize(1);
      Map<String, Long> prices = shared.getFirst().listings().stream()
          .collect(Collectors.toMap(l -> l.entry().entry().platform(), l -> l.entry().entry().price()));
      assertThat(prices).as(merge.name()).isEqualTo(Map.of("shop-a", 1200L, "shop-b", 950L));
      assertThat(shared.getFirst().listings().stream().map(FederatedResult.Listing::peer))
          .containsExactlyInAnyOrder(a.host().peerId().toString(), b.host().peerId().toString());
    }
  }

  @Test
  void aPageLeftShortByMergedListingsAsksThePeersAgainDeeper() throws Exception {
    Cid one = Cid.ofDagCbor(DagCbor.encode("first shared work"));
    Cid two = Cid.ofDagCbor(DagCbor.encode("second shared work"));
    // Each node's best two hits are two listings of the same work: the page of two needs each node's third hit.
    Searcher a = nodes.searcher("shop-a", List.of(entry("shop-a", "1", "godwit godwit godwit", 100, one.toString()),
        entry("shop-a", "2", "godwit godwit godwit reprint", 100, one.toString()),
        entry("shop-a", "3", "godwit atlas of the estuary", 100, two.toString())), new PeerStanding());
    Searcher b = nodes.searcher("shop-b", List.of(entry("shop-b", "1", "godwit godwit godwit", 90, one.toString()),
        entry("shop-b", "2", "godwit godwit godwit boxed", 90, one.toString())), new PeerStanding());
    QueryNodes.introduce(a.host(), a.peers(), b.host());
    for (FederatedSearch.Merge merge : FederatedSearch.Merge.values()) {
      FederatedResult r = a.search().search(new FederatedSearch.Query(SearchRequest.of("godwit", 2), merge,
          Duration.ofSeconds(5), false));
      assertThat(r.works().stream().map(FederatedResult.Work::key)).as(merge.name())
          .containsExactlyInAnyOrder(one.toString(), two.toString());
      assertThat(r.works().stream().filter(w -> w.key().equals(one.toString())).findFirst().orElseThrow().listings())
          .as(merge.name()).hasSize(4);
    }
  }

  @Test
  void repeatedQueryIsServedFromCacheWithFreshTokensThatVerify() throws Exception {
    Searcher a = nodes.searcher("alpha", List.of(entry("alpha", "1", "curlew call"), entry("alpha", "2", "curlew egg")),
        new PeerStanding());
    Searcher b = nodes.searcher("beta", List.of(entry("beta", "1", "curlew flight")), new PeerStanding());
    QueryNodes.introduce(a.host(), a.peers(), b.host());

    FederatedResult first = a.search().search(query("curlew", FederatedSearch.Merge.EXACT));
    FederatedResult again = a.search().search(query("  Curlew ", FederatedSearch.Merge.EXACT));
    assertThat(first.cached()).isFalse();
    assertThat(again.cached()).isTrue();
    assertThat(again.works()).hasSize(3);
    assertThat(again.works().stream().map(FederatedResult.Work::key).toList())
        .isEqualTo(first.works().stream().map(FederatedResult.Work::key).toList());

    Set<String> seen = new HashSet<>();
    List<FederatedResult.Listing> listings = new ArrayList<>();
    first.works().forEach(w -> listings.addAll(w.listings()));
    again.works().forEach(w -> listings.addAll(w.listings()));
    for (FederatedResult.Listing l : listings) {
      assertThat(seen.add(l.attributionToken())).as("every token is fresh").isTrue();
      AttributionToken.Signed t = AttributionToken.Signed.decode(l.attributionToken());
      assertThat(t.verify()).isTrue();
      assertThat(t.token().cid()).isEqualTo(l.entry().cid());
      assertThat(t.token().node()).isEqualTo(a.key().publicKey());
      assertThat(t.token().queryHash()).isEqualTo(AttributionToken.hashQuery("curlew"));
      assertThat(t.token().isExpired(Instant.now())).isFalse();
    }
    assertThat(seen).hasSize(6);

    // A different query is not answered from the cache.
    assertThat(a.search().search(query("curlew egg", FederatedSearch.Merge.EXACT)).cached()).isFalse();
  }

  @Test
  void cachedStatisticsAreCheckedAndRefreshedWhenAPeersIndexChanges() throws Exception {
    List<Entry> mine = List.of(entry("alpha", "1", "plover sand"), entry("alpha", "2", "plover shore bird"));
    List<Entry> theirs = new ArrayList<>(List.of(entry("beta", "1", "plover nest"), entry("beta", "2", "stint")));
    Searcher a = nodes.searcher("alpha", mine, new PeerStanding());
    Searcher b = nodes.searcher("beta", theirs, new PeerStanding());
    QueryNodes.introduce(a.host(), a.peers(), b.host());
    a.search().setCacheTtl(Duration.ZERO);
    assertScoresLikeOneIndex(a.search().search(query("plover", FederatedSearch.Merge.EXACT)), mine, theirs);

    // The peer's index changes; the asking node's cached statistics for "plover" are now stale.
    List<Entry> added = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      added.add(entry("beta", "new" + i, "plover plover colony " + i));
    }
    addAndCommit(b, theirs, added);
    assertScoresLikeOneIndex(a.search().search(query("plover", FederatedSearch.Merge.EXACT)), mine, theirs);
  }

  @Test
  void aPeerKnownToMatchNothingIsNotAskedUntilItsIndexChanges() throws Exception {
    List<Entry> mine = List.of(entry("alpha", "1", "dunlin winter flock"), entry("alpha", "2", "knot"));
    List<Entry> theirs = new ArrayList<>(List.of(entry("beta", "1", "sanderling"), entry("beta", "2", "knot")));
    Searcher a = nodes.searcher("alpha", mine, new PeerStanding());
    Searcher b = nodes.searcher("beta", theirs, new PeerStanding());
    QueryNodes.introduce(a.host(), a.peers(), b.host());
    a.search().setCacheTtl(Duration.ZERO);
    String peerB = b.host().peerId().toString();

    // A prefix query expands differently on every index, so only its answer tells whether a peer matches it
    // (for plain terms, phase one's statistics already tell: see the test below).
    FederatedResult first = a.search().search(query("dunl*", FederatedSearch.Merge.EXACT));
    assertThat(status(first, peerB).status()).as("asked the first time").isEqualTo("ok");
    assertThat(status(first, peerB).hits()).isZero();
    FederatedResult second = a.search().search(query("dunl*", FederatedSearch.Merge.EXACT));
    assertThat(status(second, peerB).status()).as("known empty at its index version").isEqualTo("skipped");
    assertThat(status(second, peerB).error()).contains("index version");
    assertThat(second.nodes()).allMatch(FederatedResult.NodeStatus::complete);
    assertScoresLikeOneIndex(second, mine, theirs);

    // The peer gains a match. Its new version is learnt from its next answer to any query; from then on it is
    // asked again, and the answer is again what one index over both would give.
    Entry added = entry("beta", "3", "dunlin dunlin on the mudflat");
    addAndCommit(b, theirs, List.of(added));
    assertThat(status(a.search().search(query("knot", FederatedSearch.Merge.EXACT)), peerB).status()).isEqualTo("ok");
    FederatedResult after = a.search().search(query("dunl*", FederatedSearch.Merge.EXACT));
    assertThat(status(after, peerB).status()).isEqualTo("ok");
    assertThat(status(after, peerB).hits()).isEqualTo(1);
    assertScoresLikeOneIndex(after, mine, theirs);

    // With routing off every peer is asked.
    a.search().setRouting(false);
    a.search().search(query("sanderling", FederatedSearch.Merge.RRF));
    FederatedResult unrouted = a.search().search(query("sanderling", FederatedSearch.Merge.RRF));
    assertThat(unrouted.nodes()).allMatch(n -> n.status().equals("ok"));
  }

  @Test
  void aQueryNeverAskedBeforeIsScoredFromKnownTermStatisticsAndSkipsPeersLackingItsTerms() throws Exception {
    WaderNodes w = waderNodes();
    List<Entry> mine = w.mine();
    List<Entry> theirs = w.theirs();
    Searcher a = w.a();
    Searcher b = w.b();
    a.search().setVocabularies(false); // what phase one teaches, alone (vocabularies: the test below)
    String peerB = b.host().peerId().toString();
    for (String q : List.of("heron", "egret", "bittern")) { // phase one of these teaches both peers' term figures
      a.search().search(query(q, FederatedSearch.Merge.EXACT));
    }

    long asked = a.search().statisticsRequests();
    FederatedResult novel = a.search().search(query("egret heron", FederatedSearch.Merge.EXACT));
    assertThat(a.search().statisticsRequests()).as("no statistics phase for known terms").isEqualTo(asked);
    assertThat(status(novel, peerB).status()).as("beta has no egret").isEqualTo("skipped");
    assertThat(status(novel, peerB).error()).contains("no document of its index has every term");
    assertThat(novel.works()).hasSize(1);
    assertScoresLikeOneIndex(novel, mine, theirs);

    // Any of the words: beta can match "heron", so it is asked, still without a statistics phase.
    FederatedResult any = a.search().search(new FederatedSearch.Query(
        SearchRequest.of("egret heron", 10).withOperator(SearchRequest.Operator.ANY), FederatedSearch.Merge.EXACT,
        Duration.ofSeconds(5), true));
    assertThat(a.search().statisticsRequests()).isEqualTo(asked);
    assertThat(status(any, peerB).status()).isEqualTo("ok");

    // A term nobody has reported yet needs phase one.
    a.search().search(query("heron ibis", FederatedSearch.Merge.EXACT));
    assertThat(a.search().statisticsRequests()).isGreaterThan(asked);

    // Beta gains an egret. Once its new version is known, the old term figures are not used for it any more.
    Entry added = entry("beta", "3", "egret heron egret");
    addAndCommit(b, theirs, List.of(added));
    a.search().search(query("bittern", FederatedSearch.Merge.EXACT));
    FederatedResult after = a.search().search(query("heron egret", FederatedSearch.Merge.EXACT));
    assertThat(status(after, peerB).status()).isEqualTo("ok");
    assertThat(status(after, peerB).hits()).isEqualTo(1);
    assertScoresLikeOneIndex(after, mine, theirs);
  }

  @Test
  void withPeersVocabulariesNoNewQueryNeedsAStatisticsPhase() throws Exception {
    WaderNodes w = waderNodes();
    List<Entry> mine = w.mine();
    List<Entry> theirs = w.theirs();
    Searcher a = w.a();
    Searcher b = w.b();
    a.search().vocabularyInterval(Duration.ZERO);
    String peerB = b.host().peerId().toString();

    // The first query runs phase one and asks for both vocabularies (this node's own and beta's).
    a.search().search(query("marsh", FederatedSearch.Merge.EXACT));
    awaitFetches(a, 2);
    long asked = a.search().statisticsRequests();
    for (String q : List.of("egret heron", "reed | pond", "\"heron reed\"", "ibis", "bittern -heron")) {
      FederatedResult r = a.search().search(query(q, FederatedSearch.Merge.EXACT));
      assertThat(a.search().statisticsRequests()).as(q + ": never asked, yet no statistics phase").isEqualTo(asked);
      assertThat(r.nodes()).allMatch(FederatedResult.NodeStatus::complete);
      assertScoresLikeOneIndex(r, mine, theirs);
    }
    FederatedResult novel = a.search().search(query("pond heron", FederatedSearch.Merge.EXACT));
    assertThat(status(novel, peerB).status()).as("beta's vocabulary has no pond").isEqualTo("skipped");
    assertThat(status(novel, peerB).error()).contains("no document of its index has every term");

    // Beta's index changes. Its first answer at the new version shows its vocabulary is stale: that query's
    // figures for beta are read again in phase one (the result stays exact) and the vocabulary is fetched anew.
    Entry added = entry("beta", "3", "egret pond egret");
    long segmentsRead = a.search().vocabularySegmentsFetched();
    addAndCommit(b, theirs, List.of(added));
    long fetched = a.search().vocabularyFetches();
    assertScoresLikeOneIndex(a.search().search(query("bittern", FederatedSearch.Merge.EXACT)), mine, theirs);
    assertThat(a.search().statisticsRequests()).as("stale figures re-read").isGreaterThan(asked);
    FederatedResult meanwhile = a.search().search(query("egret pond", FederatedSearch.Merge.EXACT));
    assertScoresLikeOneIndex(meanwhile, mine, theirs);
    awaitFetches(a, fetched + 1);
    assertThat(a.search().vocabularySegmentsFetched() - segmentsRead).as("only beta's new segment is read")
        .isEqualTo(1);
    asked = a.search().statisticsRequests();
    FederatedResult after = a.search().search(query("pond | marsh egret", FederatedSearch.Merge.EXACT));
    assertThat(a.search().statisticsRequests()).isEqualTo(asked);
    assertThat(status(after, peerB).status()).isEqualTo("ok");
    assertScoresLikeOneIndex(after, mine, theirs);
  }

  /**
   * A peer whose vocabulary holds every word of a query never asked before, but never in one entry, cannot match
   * it: its vocabulary's bucket sets show that, so it is not asked. Before bucket sets it was asked (and answered
   * nothing); one that holds the words in one entry is still asked.
   */
  @Test
  void aPeerHoldingEveryWordButNeverInOneEntryIsNotAsked() throws Exception {
    List<Entry> mine = List.of(entry("alpha", "1", "heron marsh"), entry("alpha", "2", "egret"));
    List<Entry> theirs = new ArrayList<>(List.of(entry("beta", "1", "heron reed"), entry("beta", "2", "marsh pond"),
        entry("beta", "3", "reed bunting")));
    Searcher a = nodes.searcher("alpha", mine, new PeerStanding());
    Searcher b = nodes.searcher("beta", theirs, new PeerStanding());
    QueryNodes.introduce(a.host(), a.peers(), b.host());
    a.search().setCacheTtl(Duration.ZERO);
    a.search().vocabularyInterval(Duration.ZERO);
    String peerB = b.host().peerId().toString();
    a.search().search(query("egret", FederatedSearch.Merge.EXACT)); // learns beta's version, fetches vocabularies
    awaitFetches(a, 2);

    FederatedResult apart = a.search().search(query("heron marsh", FederatedSearch.Merge.EXACT));
    assertThat(status(apart, peerB).status()).as("beta has heron and marsh, in different entries")
        .isEqualTo("skipped");
    assertThat(status(apart, peerB).error()).contains("no document of its index has every term");
    assertThat(apart.works()).hasSize(1);
    assertScoresLikeOneIndex(apart, mine, theirs);
    // Remembered at beta's version: the same search again is settled by the route memo.
    FederatedResult again = a.search().search(query("heron marsh", FederatedSearch.Merge.EXACT));
    assertThat(status(again, peerB).status()).isEqualTo("skipped");
    assertThat(status(again, peerB).error()).contains("index version is unchanged");

    FederatedResult together = a.search().search(query("reed heron", FederatedSearch.Merge.EXACT));
    assertThat(status(together, peerB).status()).as("beta has one entry with both").isEqualTo("ok");
    assertThat(status(together, peerB).hits()).isEqualTo(1);
    assertScoresLikeOneIndex(together, mine, theirs);

    FederatedResult phrase = a.search().search(query("\"bunting heron\" | egret", FederatedSearch.Merge.EXACT));
    assertThat(status(phrase, peerB).status()).as("a phrase's words in different entries, the alternative absent")
        .isEqualTo("skipped");
    assertScoresLikeOneIndex(phrase, mine, theirs);
  }

  /** Two introduced nodes, alpha (asking, result cache off) and beta, with a few wading birds each. */
  private record WaderNodes(Searcher a, Searcher b, List<Entry> mine, List<Entry> theirs) {}

  private WaderNodes waderNodes() throws Exception {
    List<Entry> mine = List.of(entry("alpha", "1", "heron marsh"), entry("alpha", "2", "egret heron pond"),
        entry("alpha", "3", "egret"));
    List<Entry> theirs = new ArrayList<>(List.of(entry("beta", "1", "heron reed"), entry("beta", "2", "bittern")));
    Searcher a = nodes.searcher("alpha", mine, new PeerStanding());
    Searcher b = nodes.searcher("beta", theirs, new PeerStanding());
    QueryNodes.introduce(a.host(), a.peers(), b.host());
    a.search().setCacheTtl(Duration.ZERO);
    return new WaderNodes(a, b, mine, theirs);
  }

  /** Signs {@code added} into the peer's index and commits (a new index version); notes them in {@code theirs}. */
  private static void addAndCommit(Searcher peer, List<Entry> theirs, List<Entry> added) {
    for (Entry e : added) {
      theirs.add(e);
      peer.index().upsert(io.fedsearch.indexer.entry.SignedEntry.sign(e, peer.key()));
    }
    peer.index().commit();
  }

  private static void awaitFetches(Searcher s, long n) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
        assertThat(s.search().vocabularyFetches()).as("vocabularies fetched").isGreaterThanOrEqualTo(n));
  }

  private static FederatedResult.NodeStatus status(FederatedResult r, String peer) {
    return r.nodes().stream().filter(n -> n.peer().equals(peer)).findFirst().orElseThrow();
  }

  private void assertScoresLikeOneIndex(FederatedResult r, List<Entry> x, List<Entry> y) throws Exception {
    io.fedsearch.core.keys.NodeKey key = io.fedsearch.core.keys.NodeKey.generate();
    try (io.fedsearch.indexer.index.EntryIndex one =
        io.fedsearch.indexer.index.EntryIndex.open(dir.resolve("one-" + System.nanoTime()), key)) {
      for (Entry e : x) {
        one.upsert(io.fedsearch.indexer.entry.SignedEntry.sign(e, key));
      }
      for (Entry e : y) {
        one.upsert(io.fedsearch.indexer.entry.SignedEntry.sign(e, key));
      }
      one.commit();
      var expected = one.search(SearchRequest.of(r.query(), 10)).hits();
      assertThat(r.works()).hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        assertThat(r.works().get(i).listings().getFirst().entry().cid()).isEqualTo(expected.get(i).entry().cid());
        assertThat(r.works().get(i).textScore()).isCloseTo(expected.get(i).score(),
            org.assertj.core.data.Percentage.withPercentage(0.01));
      }
    }
  }
}
