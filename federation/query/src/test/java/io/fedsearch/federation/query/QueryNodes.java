package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.federation.p2p.wire.LengthPrefixed;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.EntryParser;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.indexer.index.EntryIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Nodes for the federated-search integration tests, all on 127.0.0.1 over real libp2p connections: honest nodes
 * (the production {@link QueryServer} and {@link FederatedSearch}) and {@link Scripted} peers whose query handler
 * misbehaves on demand. Everything made here is closed by {@link #close()}.
 */
final class QueryNodes implements AutoCloseable {
  private static final EntryParser PARSER = new EntryParser(null);
  private final Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  /** One key per platform name: nodes made for the same platform speak for it with records signed by this key. */
  private final java.util.Map<String, NodeKey> platformKeys = new java.util.HashMap<>();
  private int counter;

  QueryNodes(Path dir) {
    this.dir = dir;
  }

  /** An entry from JSON fields, e.g. {@code entry("npm", "left-pad", "left pad strings")}. */
  static Entry entry(String platform, String id, String title) {
    return entry(platform, id, title, 0, null);
  }

  static Entry entry(String platform, String id, String title, long price, String contentCid) {
    return PARSER.parse("{\"platform\":\"" + platform + "\",\"id\":\"" + id + "\",\"title\":\"" + title
        + "\",\"description\":\"" + title + " for the federation tests\",\"price\":" + price
        + (contentCid == null ? "" : ",\"content\":\"" + contentCid + "\"") + "}");
  }

  /** A node that searches: its own index, server, peers and federated search (short back-offs if given). */
  record Searcher(NodeKey key, EntryIndex index, Host host, IndexPeers peers, FederatedSearch search,
      PeerStanding standing, QueryServer server) {}

  Searcher searcher(String platform, List<Entry> entries, PeerStanding standing) throws IOException {
    return searcher(platform, entries, standing, ServingGate.forThisMachine());
  }

  /** A searching node whose server admits peers' requests through {@code gate}. */
  Searcher searcher(String platform, List<Entry> entries, PeerStanding standing, ServingGate gate)
      throws IOException {
    NodeKey key = NodeKey.generate();
    EntryIndex index = index(key, entries);
    Host host = host(key, false, List.of());
    QueryServer server = new QueryServer(index, List.of(record(platform, null, key)), gate);
    server.register(host);
    IndexPeers peers = new IndexPeers(host, standing);
    open.add(peers);
    FederatedSearch search = new FederatedSearch(key, host.peerId(), server, peers, new RequestResponse(host), standing,
        RankingFormula.DEFAULT);
    return new Searcher(key, index, host, peers, search, standing, server);
  }

  /** A production node ({@link FederationNode}); with {@code dht} it bootstraps from {@code bootstrap}. */
  FederationNode node(String platform, String replicaSet, List<Entry> entries, boolean dht, List<Multiaddr> bootstrap)
      throws IOException {
    NodeKey key = NodeKey.generate();
    EntryIndex index = index(key, entries);
    Host host = host(key, dht, bootstrap);
    FederationNode node = new FederationNode(key, index, platform, replicaSet, host, RankingFormula.DEFAULT);
    open.add(node);
    return node;
  }

  /** How a scripted peer answers {@value QueryWire#PROTOCOL}. */
  enum Mode {
    /** Like a production node. */
    HONEST,
    /** Never answers: holds every stream until it is reset (or 20 s). */
    SLOW,
    /** Answers statistics; holds search requests until the stream is reset (or 20 s). */
    HOLD_SEARCH,
    /** Resets every stream without an answer. */
    ERROR,
    /** Search hits whose block was altered after signing (the claimed CID is the original's). */
    TAMPERED_BLOCK,
    /** Search hits whose signature was made by another key. */
    WRONG_SIGNATURE,
    /** Search hits that claim another entry's CID. */
    WRONG_CID,
    /** Search hits whose block is not an entry at all. */
    MALFORMED_BLOCK,
    /** Statistics inflated past any real index (document frequencies near 2^63): they would overflow a sum. */
    INFLATED_STATS
  }

  /** A peer serving a real index through a handler whose behaviour the test switches. */
  static final class Scripted {
    final NodeKey key;
    final Host host;
    final QueryServer server;
    final AtomicReference<Mode> mode = new AtomicReference<>(Mode.HONEST);
    /** Counted down when a held request arrives / when its stream is seen reset. */
    volatile CountDownLatch held = new CountDownLatch(1);
    volatile CountDownLatch resetSeen = new CountDownLatch(1);
    /** When set, answers carry these platform records instead of the node's own (e.g. another node's, replayed). */
    volatile List<PlatformRecord.Signed> sendRecords;

    Scripted(NodeKey key, Host host, QueryServer server) {
      this.key = key;
      this.host = host;
      this.server = server;
    }

    PeerId peerId() {
      return host.peerId();
    }

    void mode(Mode m) {
      held = new CountDownLatch(1);
      resetSeen = new CountDownLatch(1);
      mode.set(m);
    }
  }

  /**
   * The platform record of a node of {@code platform}: signed by the platform's key (the same for every node made
   * here for that platform), naming the node.
   */
  PlatformRecord.Signed record(String platform, String replicaSet, NodeKey node) {
    NodeKey platformKey = platformKeys.computeIfAbsent(platform, p -> NodeKey.generate());
    return new PlatformRecord(platform, replicaSet, List.of(node.publicKey()), System.currentTimeMillis())
        .sign(platformKey);
  }

  Scripted scripted(String platform, String replicaSet, List<Entry> entries) throws IOException {
    NodeKey key = NodeKey.generate();
    return scripted(key, entries, record(platform, replicaSet, key));
  }

  /**
   * A node that claims {@code platform} and its replica set without the platform's key: its record is signed by a
   * key of its own.
   */
  Scripted impostor(String platform, String replicaSet, List<Entry> entries) throws IOException {
    NodeKey key = NodeKey.generate();
    return scripted(key, entries, new PlatformRecord(platform, replicaSet, List.of(key.publicKey()),
        System.currentTimeMillis()).sign(NodeKey.generate()));
  }

  private Scripted scripted(NodeKey key, List<Entry> entries, PlatformRecord.Signed record) throws IOException {
    EntryIndex index = index(key, entries);
    Host host = host(key, false, List.of());
    Scripted peer = new Scripted(key, host, new QueryServer(index, List.of(record)));
    serve(peer);
    return peer;
  }

  /**
   * {@code old} restarted: its host stopped, then a new host with the same key (on a new port) serving the same
   * index, in {@code old}'s mode.
   */
  Scripted restart(Scripted old) throws IOException {
    old.host.close();
    Host host = host(old.key, false, List.of());
    Scripted peer = new Scripted(old.key, host, old.server);
    peer.mode(old.mode.get());
    serve(peer);
    return peer;
  }

  private static void serve(Scripted peer) {
    Host host = peer.host;
    NodeKey other = NodeKey.generate();
    host.addProtocolHandler(QueryWire.PROTOCOL, s -> {
      byte[] raw = LengthPrefixed.read(s.in(), QueryWire.MAX_REQUEST_BYTES);
      QueryWire.Request request = QueryWire.decodeRequest(raw);
      Mode m = peer.mode.get();
      boolean hold = m == Mode.SLOW || (m == Mode.HOLD_SEARCH && request.op() == QueryWire.Op.SEARCH);
      if (hold) {
        CountDownLatch held = peer.held;
        CountDownLatch reset = peer.resetSeen;
        held.countDown();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!s.isReset() && System.nanoTime() < until && host.isRunning()) {
          Thread.sleep(5);
        }
        if (s.isReset()) {
          reset.countDown();
        }
        s.reset();
        return;
      }
      if (m == Mode.ERROR) {
        s.reset();
        return;
      }
      QueryWire.Response r = peer.server.answer(request);
      if (m == Mode.INFLATED_STATS) {
        r = inflate(r);
      } else if (request.op() == QueryWire.Op.SEARCH && m != Mode.HONEST) {
        r = forge(r, m, other);
      }
      List<PlatformRecord.Signed> replayed = peer.sendRecords;
      if (replayed != null) {
        r = new QueryWire.Response(r.platform(), r.replicaSet(), r.totalHits(), r.tookMicros(), r.hits(), r.stats(),
            r.indexVersion(), replayed, r.catalogDigest());
      }
      LengthPrefixed.write(s.out(), QueryWire.encode(r));
      s.closeWrite();
    });
  }

  private static QueryWire.Response inflate(QueryWire.Response r) {
    if (r.stats() == null) {
      return r;
    }
    long huge = Long.MAX_VALUE - 7;
    java.util.Map<io.fedsearch.indexer.search.QueryStats.TermKey, io.fedsearch.indexer.search.QueryStats.TermStats>
        terms = new java.util.TreeMap<>();
    r.stats().terms().forEach((k, v) -> terms.put(k, new io.fedsearch.indexer.search.QueryStats.TermStats(huge, huge)));
    var stats = new io.fedsearch.indexer.search.QueryStats(r.stats().maxDoc(), r.stats().fields(), terms);
    return new QueryWire.Response(r.platform(), r.replicaSet(), r.totalHits(), r.tookMicros(), r.hits(), stats,
        r.indexVersion());
  }

  private static QueryWire.Response forge(QueryWire.Response r, Mode m, NodeKey other) {
    List<QueryWire.Hit> hits = new ArrayList<>();
    for (QueryWire.Hit h : r.hits()) {
      Entry e = Entry.fromBlock(h.block());
      hits.add(switch (m) {
        case TAMPERED_BLOCK -> new QueryWire.Hit(h.cid(),
            entry(e.platform(), e.id(), e.title() + " (now cheaper)", e.price() + 1, null).encode(), h.signature(),
            h.score());
        case WRONG_SIGNATURE -> new QueryWire.Hit(h.cid(), h.block(), SignedEntry.sign(e, other).signature(), h.score());
        case WRONG_CID -> new QueryWire.Hit(entry("evil", "x", "another entry").cid().bytes(), h.block(), h.signature(),
            h.score());
        case MALFORMED_BLOCK -> new QueryWire.Hit(h.cid(), new byte[] {(byte) 0xa1, 0x61, 0x78}, h.signature(),
            h.score());
        default -> throw new IllegalArgumentException(m.name());
      });
    }
    return new QueryWire.Response(r.platform(), r.replicaSet(), r.totalHits(), r.tookMicros(), hits, r.stats(),
        r.indexVersion(), r.records(), r.catalogDigest());
  }

  /** Lets {@code from} dial {@code to} and ask it queries (what discovery would do). */
  static void introduce(Host from, IndexPeers peers, Host to) {
    from.peerStore().addAddresses(to.peerId(), to.listenAddresses());
    peers.add(to.peerId());
  }

  private EntryIndex index(NodeKey key, List<Entry> entries) {
    EntryIndex index = EntryIndex.open(dir.resolve("n" + counter++), key);
    open.add(index);
    entries.forEach(e -> index.upsert(SignedEntry.sign(e, key)));
    index.commit();
    return index;
  }

  private Host host(NodeKey key, boolean dht, List<Multiaddr> bootstrap) throws IOException {
    Host host = Host.builder(key).listen("/ip4/127.0.0.1/tcp/0").dht(dht).bootstrap(bootstrap).build();
    host.start();
    open.add(host);
    return host;
  }

  /** Closes in reverse order of creation (searchers and nodes before their hosts, hosts before indexes). */
  @Override
  public void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        open.get(i).close();
      } catch (Exception ignored) {
        // tearing down a test network: keep closing the rest
      }
    }
  }

  static Duration ms(long ms) {
    return Duration.ofMillis(ms);
  }
}
