package io.fedsearch.federation.query;

import static io.fedsearch.federation.query.QueryNodes.entry;
import static io.fedsearch.federation.query.QueryNodes.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsearch.federation.query.QueryNodes.Mode;
import io.fedsearch.federation.query.QueryNodes.Scripted;
import io.fedsearch.federation.query.QueryNodes.Searcher;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.search.SearchRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node cannot take over another platform's place in the federation over real libp2p connections: it cannot join
 * the platform's replica set and hide its catalog — neither by declaring the set (it holds no record signed by
 * the platform's key naming it) nor, when the platform did list it, by serving a different catalog (the replica's
 * catalog digest differs, so it is routed on its own and the real node is still asked).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlatformImpersonationTest {
  private static final int ITEMS = 20;
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

  private static List<Entry> catalog() {
    return IntStream.range(0, ITEMS).mapToObj(i -> entry("victim", "v-" + i, "kestrel victim item " + i)).toList();
  }

  private static FederatedResult search(Searcher a) {
    return a.search().search(new FederatedSearch.Query(SearchRequest.of("kestrel", 50), FederatedSearch.Merge.EXACT,
        ms(4000), false));
  }

  private static long victimItems(FederatedResult r) {
    return r.works().stream().flatMap(w -> w.listings().stream())
        .filter(l -> l.entry().entry().platform().equals("victim")).count();
  }

  /**
   * The attack as reported: the real node answers, a node with an empty catalog declares the same replica set, the
   * real node misses two queries (a restart), and from then on the platform's entries must still be found.
   */
  private void assertCatalogSurvives(Scripted real, Scripted intruder) throws Exception {
    Searcher a = nodes.searcher("alpha", List.of(entry("alpha", "a-1", "unrelated alpha item")), new PeerStanding());
    a.search().setCacheTtl(java.time.Duration.ZERO);
    QueryNodes.introduce(a.host(), a.peers(), real.host);
    assertThat(victimItems(search(a))).isEqualTo(ITEMS);
    QueryNodes.introduce(a.host(), a.peers(), intruder.host);
    assertThat(victimItems(search(a))).isEqualTo(ITEMS);

    real.mode(Mode.ERROR); // restarting: two queries missed
    search(a);
    search(a);
    real.mode(Mode.HONEST);
    // Missing queries earns the real node a short back-off; once it ends, it must be asked (the reported attack
    // made the intruder its group's primary for good, and the real node was never asked again).
    await("the real node's back-off ends").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> !a.standing().get(real.peerId()).backedOff(java.time.Instant.now()));
    for (int i = 0; i < 5; i++) {
      FederatedResult r = search(a);
      assertThat(victimItems(r)).as("query %d after the restart; nodes: %s", i, r.nodes()).isEqualTo(ITEMS);
    }
  }

  @Test
  void aStrangerDeclaringThePlatformsReplicaSetDoesNotHideIt() throws Exception {
    Scripted real = nodes.scripted("victim", "victim-set", catalog());
    Scripted intruder = nodes.impostor("victim", "victim-set", List.of());
    assertCatalogSurvives(real, intruder);
  }

  @Test
  void aListedReplicaServingAnotherCatalogIsRoutedOnItsOwn() throws Exception {
    // Both records are signed by the platform's key (QueryNodes shares it by name): only the catalogs differ.
    Scripted real = nodes.scripted("victim", "victim-set", catalog());
    Scripted emptied = nodes.scripted("victim", "victim-set", List.of());
    assertCatalogSurvives(real, emptied);
  }

  @Test
  void aReplayedRecordOfAnotherNodeIsRefused() throws Exception {
    Scripted real = nodes.scripted("victim", "victim-set", catalog());
    Scripted intruder = nodes.impostor("victim", "victim-set", List.of());
    intruder.sendRecords = real.server.records(); // the genuine record, as any asker receives it
    assertCatalogSurvives(real, intruder);
  }

  @Test
  void aRecordPresentedUnderAKeyThatDidNotSignItIsRefused() throws Exception {
    Scripted real = nodes.scripted("victim", "victim-set", catalog());
    Scripted intruder = nodes.impostor("victim", "victim-set", List.of());
    PlatformRecord.Signed genuine = real.server.records().getFirst();
    PlatformRecord.Signed own = intruder.server.records().getFirst();
    // Its own record (which names it), presented as if the victim's platform key had signed it.
    intruder.sendRecords = List.of(new PlatformRecord.Signed(own.record(), genuine.platformKey(), own.signature()));
    assertCatalogSurvives(real, intruder);
  }

  @Test
  void entriesClaimingAnotherPlatformThanTheirSignersRecordAreRefused() throws Exception {
    Searcher a = nodes.searcher("alpha", List.of(), new PeerStanding());
    a.search().setCacheTtl(java.time.Duration.ZERO);
    // Signed by mallory's node, whose record says mallory, but each entry says it is the victim's.
    Scripted mallory = nodes.scripted("mallory", null, catalog());
    QueryNodes.introduce(a.host(), a.peers(), mallory.host);
    FederatedResult r = search(a);
    assertThat(victimItems(r)).isZero();
    FederatedResult.NodeStatus status = r.nodes().stream()
        .filter(n -> n.peer().equals(mallory.peerId().toString())).findFirst().orElseThrow();
    assertThat(status.platform()).isEqualTo("mallory");
    assertThat(status.forged()).isEqualTo(ITEMS);
    assertThat(status.error()).contains("claims platform victim").contains("records are for mallory");
  }
}
