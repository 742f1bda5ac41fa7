package io.fedsearch.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.query.FederatedSearch;
import io.fedsearch.federation.query.IndexPeers;
import io.fedsearch.indexer.search.SearchRequest;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replica sets of running nodes: two nodes initialised to share their platform's key ({@code node init
 * --platform-key-from}) and holding one catalog are routed as one replica set; a third node of the same platform
 * name and the same catalog that declares the same set, but never got the key, is asked on its own.
 */
class ReplicaSetTest {
  @TempDir Path tmp;

  private static final String CATALOG = "{\"id\":\"1\",\"title\":\"Tern feather\"}\n"
      + "{\"id\":\"2\",\"title\":\"Tern egg\"}\n";

  private RunningNode start(Path dir, String replicaSet) throws Exception {
    RunningNode n = RunningNode.start(NodeDirectory.open(dir), new RunningNode.Options(0, List.of(), replicaSet));
    n.local().importLines(new BufferedReader(new StringReader(CATALOG)), "test", (l, b) -> {});
    return n;
  }

  @Test
  void onlyNodesSharingThePlatformKeyFormOneReplicaSet() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    assertThat(CliRun.of("node", "init", "--dir", a.toString(), "--platform", "shop").exit()).isZero();
    CliRun shared = CliRun.of("node", "init", "--dir", b.toString(), "--platform", "shop", "--platform-key-from",
        a.toString());
    assertThat(shared.exit()).as(shared.err()).isZero();
    assertThat(CliRun.of("node", "init", "--dir", c.toString(), "--platform", "shop").exit()).isZero();
    NodeDirectory.init(tmp.resolve("asker"), "buyer");

    List<RunningNode> running = new ArrayList<>();
    try {
      RunningNode na = start(a, "shop-set");
      running.add(na);
      RunningNode nb = start(b, "shop-set");
      running.add(nb);
      RunningNode nc = start(c, "shop-set");
      running.add(nc);
      RunningNode asker = RunningNode.start(NodeDirectory.open(tmp.resolve("asker")), RunningNode.Options.defaults());
      running.add(asker);
      for (RunningNode n : List.of(na, nb, nc)) {
        asker.host().peerStore().addAddresses(n.host().peerId(), n.host().listenAddresses());
        asker.federation().peers().add(n.host().peerId());
      }
      FederatedSearch.Query q = new FederatedSearch.Query(SearchRequest.of("tern", 10), FederatedSearch.Merge.EXACT,
          Duration.ofSeconds(10), false);
      asker.federation().search().setCacheTtl(Duration.ZERO);
      asker.federation().search().search(q); // each answers once alone: the asker learns their records
      List<IndexPeers.Target> targets = asker.federation().peers().route(Instant.now());
      assertThat(targets).hasSize(2);
      Set<PeerId> pair = Set.of(na.host().peerId(), nb.host().peerId());
      IndexPeers.Target set = targets.stream().filter(t -> !t.replicas().isEmpty()).findFirst().orElseThrow(
          () -> new AssertionError("no replica set among " + targets));
      assertThat(Set.of(set.primary(), set.replicas().getFirst())).isEqualTo(pair);
      assertThat(targets).anyMatch(t -> t.primary().equals(nc.host().peerId()) && t.replicas().isEmpty());
      assertThat(asker.federation().search().search(q).works()).hasSize(2);
    } finally {
      for (int i = running.size() - 1; i >= 0; i--) {
        running.get(i).close();
      }
    }
  }
}
