package io.fedsearch.bench.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.bench.p2p.HostilePeers;
import io.fedsearch.federation.p2p.kad.KadConfig;
import io.fedsearch.federation.query.FederatedResult;
import io.fedsearch.federation.query.FederatedSearch;
import io.fedsearch.federation.query.FederationNode;
import io.fedsearch.federation.query.IndexPeers;
import io.fedsearch.federation.query.RankingFormula;
import io.fedsearch.indexer.entry.EntryParser;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.index.EntryIndex;
import io.fedsearch.indexer.search.SearchRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * {@code fedsearch bench hostile}: honest nodes on loopback (each its own key, index, libp2p host with the DHT, and
 * federated search, discovering one another), first searched undisturbed, then under each attack in turn
 * ({@link HostilePeers}, and {@link InflatedStatsPeer} joining as an index node). For each: the honest nodes'
 * federated search p99 and success rate during the attack against the undisturbed figures, the share of queries
 * whose ranking of honest works changed, heap growth, and the time to recover once the attacker leaves. A search
 * succeeds when it returns within its deadline with every honest node answering.
 */
public final class HostileBench {
  public static final List<String> ATTACKS = List.of("stalled-reader", "ping-flood", "handshake-flood",
      "put-value-flood", "sybil-providers", "inflated-stats");
  private static final String[] WORDS = {"otter", "heron", "lynx", "badger", "falcon", "marten", "osprey", "ibex",
      "parser", "stream", "buffer", "glob", "color", "terminal", "path", "debug"};
  private static final EntryParser PARSER = new EntryParser(null);

  /**
   * @param nodes honest nodes (at least 2)
   * @param entries entries per node
   * @param phase how long each measurement (undisturbed, each attack) lasts
   * @param deadline each search's deadline
   * @param concurrency searches in flight at once
   * @param attacks which of {@link #ATTACKS} to run, in order
   */
  public record Options(int nodes, int entries, Duration phase, Duration deadline, int concurrency,
      List<String> attacks) {
    public Options {
      if (nodes < 2 || entries < 1 || concurrency < 1 || phase.isNegative() || phase.isZero()) {
        throw new IllegalArgumentException("need ≥ 2 nodes, ≥ 1 entry, ≥ 1 search in flight and a positive phase");
      }
      for (String a : attacks) {
        if (!ATTACKS.contains(a)) {
          throw new IllegalArgumentException("unknown attack " + a + "; known: " + ATTACKS);
        }
      }
    }
  }

  /** What the searches of one phase saw; {@code rankingChanged} is a share of the successful searches. */
  record Figures(int searches, double successRate, double p50Ms, double p99Ms, double rankingChanged) {}

  private final Options options;
  private final List<FederationNode> nodes = new ArrayList<>();
  private final List<EntryIndex> indexes = new ArrayList<>();
  private final Set<String> honest = ConcurrentHashMap.newKeySet();
  private final List<String> queries = new ArrayList<>();
  private final Map<String, List<String>> baselineRanking = new ConcurrentHashMap<>();

  private HostileBench(Options options) {
    this.options = options;
    for (int i = 0; i < WORDS.length; i++) {
      queries.add(WORDS[i] + " " + WORDS[(i * 5 + 3) % WORDS.length]);
    }
  }

  public static ObjectNode run(Options options, Path work) throws Exception {
    HostileBench b = new HostileBench(options);
    try {
      b.start(work);
      return b.measure(work);
    } finally {
      b.close();
    }
  }

  private void start(Path work) throws IOException {
    List<Multiaddr> bootstrap = List.of();
    for (int i = 0; i < options.nodes(); i++) {
      NodeKey key = NodeKey.generate();
      EntryIndex index = EntryIndex.open(work.resolve("node" + i), key);
      indexes.add(index);
      for (int e = 0; e < options.entries(); e++) {
        String title = WORDS[(e + i) % WORDS.length] + " " + WORDS[(e * 7 + i * 3) % WORDS.length] + " item " + e;
        index.upsert(SignedEntry.sign(PARSER.parse("{\"platform\":\"node" + i + "\",\"id\":\"e" + e
            + "\",\"title\":\"" + title + "\",\"description\":\"" + title + " from node " + i + "\"}"), key));
      }
      index.commit();
      Host host = Host.builder(key).listen("/ip4/127.0.0.1/tcp/0").bootstrap(bootstrap).build();
      host.start();
      if (i == 0) {
        bootstrap = host.listenAddresses();
      }
      FederationNode node = new FederationNode(key, index, "node" + i, null, host, RankingFormula.DEFAULT).start();
      node.search().setCacheTtl(Duration.ZERO); // every search goes to the peers: the cache would hide the attacks
      nodes.add(node);
      honest.add(host.peerId().toString());
    }
    for (FederationNode a : nodes) { // as discovery would: every node knows every other
      for (FederationNode b : nodes) {
        if (a != b) {
          a.host().peerStore().addAddresses(b.host().peerId(), b.host().listenAddresses());
          a.peers().add(b.host().peerId());
        }
      }
    }
  }

  private ObjectNode measure(Path work) throws Exception {
    ObjectNode out = new ObjectMapper().createObjectNode();
    out.put("nodes", options.nodes());
    out.put("entries_per_node", options.entries());
    out.put("phase_s", options.phase().toMillis() / 1000.0);
    out.put("deadline_ms", options.deadline().toMillis());
    out.put("concurrency", options.concurrency());
    searchPhase(options.phase().dividedBy(2), true); // warm up, and record each query's ranking
    Figures base = searchPhase(options.phase(), false);
    out.set("undisturbed", figures(base));
    long heapBase = heapUsed();
    out.put("heap_mib", heapBase / (1 << 20));
    ArrayNode attacks = out.putArray("attacks");
    for (String name : options.attacks()) {
      ObjectNode a = attacks.addObject();
      a.put("attack", name);
      long before = heapUsed();
      Figures during;
      long actions;
      long left;
      try (AutoCloseable attack = launch(name, work)) {
        during = searchPhase(options.phase(), false);
        actions = attack instanceof HostilePeers.Attack h ? h.actions() : -1;
        left = System.nanoTime();
      }
      long heapDuring = heapUsed();
      a.set("during", figures(during));
      a.put("p99_ratio", base.p99Ms() > 0 ? during.p99Ms() / base.p99Ms() : Double.NaN);
      a.put("success_rate_change", during.successRate() - base.successRate());
      a.put("attacker_actions", actions);
      a.put("heap_growth_mib", (heapDuring - before) / (double) (1 << 20));
      long recovery = recover(left);
      a.put("recovery_ms", recovery);
      a.put("heap_retained_mib", (heapUsed() - before) / (double) (1 << 20));
    }
    return out;
  }

  private AutoCloseable launch(String name, Path work) throws IOException {
    List<Multiaddr> targets = nodes.stream().map(n -> n.host().listenAddresses().getFirst()).toList();
    return switch (name) {
      case "stalled-reader" -> HostilePeers.stalledReader(targets);
      case "ping-flood" -> HostilePeers.pingFlood(targets);
      case "handshake-flood" -> HostilePeers.handshakeFlood(targets, InetAddress.getByName("127.0.0.2"), 50);
      case "put-value-flood" -> HostilePeers.putValueFlood(targets, KadConfig.DEFAULT_PROTOCOL);
      case "sybil-providers" -> {
        HostilePeers.Attack a = HostilePeers.sybilProviders(targets, IndexPeers.INDEX_NODES_KEY.multihash(),
            KadConfig.DEFAULT_PROTOCOL, 40);
        // the honest nodes look the index-node providers up now rather than in 30 s, so the records matter here
        Thread.ofVirtual().start(() -> {
          for (int i = 0; i < 4 && !Thread.currentThread().isInterrupted(); i++) {
            sleep(options.phase().dividedBy(5));
            nodes.forEach(n -> n.peers().refresh());
          }
        });
        yield a;
      }
      case "inflated-stats" -> InflatedStatsPeer.join(work.resolve("attacker"), nodes);
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** Searches from every honest node in turn for {@code d}; with {@code record}, keeps each query's ranking. */
  private Figures searchPhase(Duration d, boolean record) throws InterruptedException {
    long end = System.nanoTime() + d.toNanos();
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger changed = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < options.concurrency(); c++) {
      threads.add(Thread.ofVirtual().start(() -> {
        while (System.nanoTime() < end) {
          int i = next.getAndIncrement();
          String q = queries.get(i % queries.size());
          long t0 = System.nanoTime();
          FederatedResult r = search(nodes.get(i % nodes.size()), q);
          long took = System.nanoTime() - t0;
          latencies.add(took);
          if (r == null || !succeeded(r, took)) {
            continue; // a partial answer lacks works by construction: only complete ones are compared
          }
          ok.incrementAndGet();
          List<String> ranking = honestRanking(r);
          if (record) {
            baselineRanking.putIfAbsent(q, ranking);
          } else if (!ranking.equals(baselineRanking.getOrDefault(q, ranking))) {
            changed.incrementAndGet();
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    List<Long> sorted = new ArrayList<>(latencies);
    sorted.sort(null);
    int n = sorted.size();
    return new Figures(n, n == 0 ? 0 : ok.get() / (double) n, percentile(sorted, 0.50), percentile(sorted, 0.99),
        ok.get() == 0 ? 0 : changed.get() / (double) ok.get());
  }

  private FederatedResult search(FederationNode from, String q) {
    try {
      return from.search().search(new FederatedSearch.Query(SearchRequest.of(q, 10), FederatedSearch.Merge.EXACT,
          options.deadline(), false));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Within the deadline (plus scheduling slack), every honest node answered. */
  private boolean succeeded(FederatedResult r, long tookNanos) {
    if (tookNanos > options.deadline().plusMillis(250).toNanos()) {
      return false;
    }
    Set<String> answered = r.nodes().stream().filter(s -> s.status().equals(FederatedResult.NodeStatus.OK))
        .map(FederatedResult.NodeStatus::peer).collect(Collectors.toSet());
    return answered.containsAll(honest);
  }

  /** The works of honest platforms, in ranked order: what no attacker should be able to reorder. */
  private static List<String> honestRanking(FederatedResult r) {
    return r.works().stream().filter(w -> w.listings().getFirst().entry().entry().platform().startsWith("node"))
        .map(FederatedResult.Work::key).toList();
  }

  /** Milliseconds from the attacker's leaving until searches succeed three times in a row; -1 if not in 30 s. */
  private long recover(long leftNanos) {
    long giveUp = leftNanos + Duration.ofSeconds(30).toNanos();
    int streak = 0;
    long firstOfStreak = 0;
    for (int i = 0; System.nanoTime() < giveUp; i++) {
      long t0 = System.nanoTime();
      FederatedResult r = search(nodes.get(i % nodes.size()), queries.get(i % queries.size()));
      if (r != null && succeeded(r, System.nanoTime() - t0)) {
        if (streak++ == 0) {
          firstOfStreak = t0;
        }
        if (streak == 3) {
          return Math.max(0, (firstOfStreak - leftNanos) / 1_000_000);
        }
      } else {
        streak = 0;
        sleep(Duration.ofMillis(20));
      }
    }
    return -1;
  }

  private static ObjectNode figures(Figures f) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("searches", f.searches());
    o.put("success_rate", f.successRate());
    o.put("p50_ms", f.p50Ms());
    o.put("p99_ms", f.p99Ms());
    o.put("ranking_changed_share", f.rankingChanged());
    return o;
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
  }

  /** Heap in use after a collection: what the node keeps, not what it has yet to collect. */
  private static long heapUsed() {
    for (int i = 0; i < 2; i++) {
      System.gc();
      sleep(Duration.ofMillis(100));
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void close() {
    for (FederationNode n : nodes) {
      n.close();
      n.host().close();
    }
    for (EntryIndex i : indexes) {
      try {
        i.close();
      } catch (IOException | RuntimeException ignored) {
        // tearing down
      }
    }
  }
}
