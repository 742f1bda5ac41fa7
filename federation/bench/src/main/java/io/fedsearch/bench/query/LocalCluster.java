package io.fedsearch.bench.query;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.LinkDelay;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.query.FederationNode;
import io.fedsearch.federation.query.PlatformRecord;
import io.fedsearch.federation.query.QueryWire;
import io.fedsearch.federation.query.RankingFormula;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.indexer.index.EntryIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * N fedsearch nodes in one JVM on loopback, each with its own key, index and libp2p host, every node knowing
 * every other as an index peer. For tests and benchmarks of federated search over real sockets.
 */
public final class LocalCluster implements AutoCloseable {
  /** One node of the cluster. */
  public record Node(NodeKey key, EntryIndex index, Host host, FederationNode federation) {}

  private final List<Node> nodes;

  private LocalCluster(List<Node> nodes) {
    this.nodes = nodes;
  }

  /**
   * Starts one node per shard (entries signed by that node), connected as a full mesh of index peers. Node
   * {@code i} is known as platform "node" + i (its own record, first); shards may mix platforms: every platform in
   * them gets a key and one record naming all the nodes, and every node carries every such record (as one operator
   * running shards of several platforms would), so each node may serve entries of any of them.
   */
  public static LocalCluster start(Path dir, List<List<Entry>> shards) throws IOException {
    return start(dir, shards, LinkDelay.NONE);
  }

  /** As above, every host sending through an emulated wide-area {@code link} (see {@link LinkDelay}). */
  public static LocalCluster start(Path dir, List<List<Entry>> shards, LinkDelay link) throws IOException {
    List<Node> nodes = new ArrayList<>();
    List<NodeKey> keys = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      keys.add(NodeKey.generate());
    }
    List<PlatformRecord.Signed> records = records(shards, keys);
    try {
      for (int i = 0; i < shards.size(); i++) {
        NodeKey key = keys.get(i);
        EntryIndex index = EntryIndex.open(dir.resolve("node" + i), key);
        List<Entry> shard = shards.get(i);
        SignedEntry[] signed = new SignedEntry[shard.size()];
        IntStream.range(0, shard.size()).parallel().forEach(j -> signed[j] = SignedEntry.sign(shard.get(j), key));
        for (SignedEntry s : signed) {
          index.upsert(s);
        }
        index.commit();
        Host host = Host.builder(key).listen("/ip4/127.0.0.1/tcp/0").dht(false).emulateLinkDelay(link).build();
        host.start();
        // Its own record first (the name the cluster knows it by, "node" + i), then the catalogs' platforms.
        List<PlatformRecord.Signed> own = new ArrayList<>();
        own.add(PlatformRecord.selfSigned(key, "node" + i, null));
        own.addAll(records);
        FederationNode fed = new FederationNode(key, index, own, host, RankingFormula.DEFAULT);
        nodes.add(new Node(key, index, host, fed));
      }
      for (Node a : nodes) {
        for (Node b : nodes) {
          if (a != b) {
            List<Multiaddr> addrs = b.host().listenAddresses();
            a.host().peerStore().addAddresses(b.host().peerId(), addrs);
            a.federation().peers().add(b.host().peerId());
          }
        }
      }
      return new LocalCluster(nodes);
    } catch (IOException | RuntimeException e) {
      new LocalCluster(nodes).close();
      throw e;
    }
  }

  /** One record per platform in the shards, signed by a key of that platform's own, naming every node. */
  private static List<PlatformRecord.Signed> records(List<List<Entry>> shards, List<NodeKey> keys) {
    Set<String> platforms = new TreeSet<>();
    shards.forEach(shard -> shard.forEach(e -> platforms.add(e.platform())));
    if (platforms.size() >= QueryWire.MAX_RECORDS_PER_NODE) {
      throw new IllegalArgumentException("a cluster node can carry at most " + (QueryWire.MAX_RECORDS_PER_NODE - 1)
          + " catalog platforms besides its own name; the shards hold " + platforms.size());
    }
    List<NodePublicKey> nodes = keys.stream().map(NodeKey::publicKey).toList();
    long now = System.currentTimeMillis();
    List<PlatformRecord.Signed> out = new ArrayList<>();
    for (String p : platforms) {
      out.add(new PlatformRecord(p, null, nodes, now).sign(NodeKey.generate()));
    }
    return out;
  }

  public List<Node> nodes() {
    return nodes;
  }

  public Node node(int i) {
    return nodes.get(i);
  }

  @Override
  public void close() {
    for (Node n : nodes) {
      n.federation().close();
      n.host().close();
      try {
        n.index().close();
      } catch (IOException ignored) {
        // closing a test cluster: nothing to keep
      }
    }
  }
}
