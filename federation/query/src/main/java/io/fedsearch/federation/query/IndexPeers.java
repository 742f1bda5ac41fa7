package io.fedsearch.federation.query;

import io.fedsearch.federation.p2p.Connection;
import io.fedsearch.federation.p2p.ConnectionListener;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.PeerInfo;
import io.fedsearch.federation.p2p.kad.Dht;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The index nodes this node can ask, and which of them to ask.
 *
 * <p><b>Discovery.</b> Every index node provides the well-known DHT key {@link #INDEX_NODES_KEY}; this node looks
 * its providers up on start and every {@link #REFRESH} after, and also learns any peer whose identify lists
 * {@value QueryWire#PROTOCOL}, including those identified before {@link #start()} and those that push an identify
 * naming it later (identify/push; one whose push drops it is no longer asked). A node that joins with one
 * bootstrap address is thus found by all the others without anyone editing their configuration.
 *
 * <p><b>Routing.</b> Nodes whose platform records, signed by one platform key, name the same replica set and
 * that report the same catalog digest ({@link PlatformBindings}) form one fan-out target:
 * the member with the best standing (then lowest latency) is asked first, the others hedge a slow answer. Nodes
 * without a replica set (shards of a platform, or single nodes) are each a target of their own. The fan-out thus
 * grows with the number of distinct catalogs, not of nodes. Backed-off peers are skipped until their back-off
 * ends.
 */
public final class IndexPeers implements ConnectionListener, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(IndexPeers.class.getName());
  /** The DHT key index nodes provide: the CID of the DAG-CBOR string "fedsearch/index-nodes/v1". */
  public static final Cid INDEX_NODES_KEY = Cid.ofDagCbor(DagCbor.encode("fedsearch/index-nodes/v1"));
  public static final Duration REFRESH = Duration.ofSeconds(30);
  /**
   * Index peers known at most. When full, a newcomer takes the place of a peer that has neither answered nor been
   * caught forging (an identity that costs nothing), else waits: Sybils found under the index-node key fill only
   * the room that peers with a record leave.
   */
  public static final int MAX_KNOWN = 1024;
  /** How often a peer's pushes may change whether it is an index peer; see {@link #updated}. */
  public static final Duration PUSH_CHANGE_INTERVAL = Duration.ofSeconds(30);

  /** One fan-out target: the peer to ask first and, in order, the replicas to hedge with. */
  public record Target(String group, PeerId primary, List<PeerId> replicas) {}

  private final Host host;
  private final PeerStanding standing;
  private final Set<PeerId> known = ConcurrentHashMap.newKeySet();
  /** Bumped when an index peer identifies or a known one disconnects; see {@link #generation()}. */
  private final AtomicLong generation = new AtomicLong();
  private final PlatformBindings bindings = new PlatformBindings();
  /** When each peer's push last changed whether it is an index peer (bounded: 4,096 peers). */
  private final com.github.benmanes.caffeine.cache.Cache<PeerId, Long> pushChanges =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(4096).build();
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("index-peers").factory());

  public IndexPeers(Host host, PeerStanding standing) {
    this.host = host;
    this.standing = standing;
  }

  /** Provides the well-known key and starts the periodic discovery. */
  public void start() {
    host.addConnectionListener(this);
    // Peers connected and identified before the listener was added (the host's own bootstrap dials run as soon as
    // it starts) are learnt from what identify stored, not left to the next DHT lookup, up to REFRESH later. A
    // connection identified between the two steps is seen by both: learning is idempotent.
    for (Connection c : host.allConnections()) {
      host.peerStore().get(c.remotePeer()).ifPresent(info -> identified(c, info));
    }
    refresher.execute(() -> host.dht().ifPresent(d -> {
      try {
        d.bootstrap();
        d.provide(INDEX_NODES_KEY);
      } catch (RuntimeException e) {
        LOG.log(Level.INFO, "providing the index-node key failed; will retry: " + e.getMessage());
      }
    }));
    refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Looks up the providers of the index-node key now (also runs every {@link #REFRESH}), after applying any change
   * a connected peer pushed that {@link #updated} held back.
   */
  public void refresh() {
    reconcile();
    Dht dht = host.dht().orElse(null);
    if (dht == null) {
      return;
    }
    try {
      for (PeerInfo p : dht.findProviders(INDEX_NODES_KEY, 200, Duration.ofSeconds(5))) {
        if (!p.peerId().equals(host.peerId())) {
          host.peerStore().addHints(p.peerId(), p.addresses()); // a third party's word: never over first-hand
          learn(p.peerId());
        }
      }
      dht.provide(INDEX_NODES_KEY);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "index-node lookup failed: " + e.getMessage());
    }
  }

  @Override
  public void identified(Connection connection, PeerInfo info) {
    if (info.protocols().contains(QueryWire.PROTOCOL) && !info.peerId().equals(host.peerId())) {
      learn(info.peerId());
      // identify runs once per new connection: the peer is back (e.g. restarted), so the back-off it earned
      // while unreachable no longer holds and the next query asks it
      standing.reconnected(info.peerId(), Instant.now());
      generation.incrementAndGet();
    }
  }

  /**
   * A connected peer pushed what it serves now (identify/push): one that started serving queries is an index peer
   * at once; one that stopped is no longer asked. A push is not a reconnection, so a back-off it earned stays: a
   * peer cannot clear its own back-off by pushing.
   *
   * <p>Each change makes cached answers stale ({@link #generation()}). A push costs a peer one stream, far less than
   * the reconnection (and its rate-limited handshake) that did this before pushes, so a peer's pushes change its
   * standing as an index peer at most once per {@link #PUSH_CHANGE_INTERVAL}: a peer flipping its protocols cannot
   * keep every node's answer cache empty. A change held back is applied by the next {@link #refresh()}, from what the
   * peer store holds then.
   */
  @Override
  public void updated(Connection connection, PeerInfo info) {
    PeerId peer = info.peerId();
    long now = System.nanoTime();
    Long last = pushChanges.getIfPresent(peer);
    if (peer.equals(host.peerId()) || serving(info) == known.contains(peer)
        || last != null && now - last < PUSH_CHANGE_INTERVAL.toNanos()) {
      return;
    }
    pushChanges.put(peer, now);
    apply(peer, serving(info));
  }

  private static boolean serving(PeerInfo info) {
    return info.protocols().contains(QueryWire.PROTOCOL);
  }

  private void apply(PeerId peer, boolean serves) {
    if (serves) {
      if (!known.contains(peer)) {
        learn(peer);
        generation.incrementAndGet();
      }
    } else if (known.remove(peer)) {
      generation.incrementAndGet();
    }
  }

  /** Brings each connected peer's standing as an index peer in line with what it last told (pushes held back). */
  private void reconcile() {
    for (Connection c : host.allConnections()) {
      PeerId peer = c.remotePeer();
      host.peerStore().get(peer).filter(info -> !info.protocols().isEmpty())
          .filter(info -> serving(info) != known.contains(peer))
          .ifPresent(info -> apply(peer, serving(info)));
    }
  }

  @Override
  public void disconnected(Connection connection, String reason) {
    if (known.contains(connection.remotePeer())) {
      generation.incrementAndGet();
    }
  }

  /**
   * Changes whenever the set of connected index peers may have changed (one identified, or a known one
   * disconnected). An answer given under another generation may name a node that is gone or miss one that came.
   */
  public long generation() {
    return generation.get();
  }

  /** Adds a peer known by other means (tests, configuration), within {@link #MAX_KNOWN}. */
  public void add(PeerId peer) {
    learn(peer);
  }

  private void learn(PeerId peer) {
    if (known.contains(peer) || peer.equals(host.peerId())) {
      return;
    }
    if (known.size() >= MAX_KNOWN && !evictUnproven()) {
      LOG.fine("index peer " + peer + " not kept: " + MAX_KNOWN + " known peers have a record");
      return;
    }
    known.add(peer);
  }

  /** Drops one known peer that has neither answered nor forged (and its empty record); false when none is. */
  private boolean evictUnproven() {
    for (PeerId p : known) {
      PeerStanding.Record r = standing.get(p);
      if (r.answers() == 0 && r.forged() == 0 && known.remove(p)) {
        standing.forget(p);
        return true;
      }
    }
    return false;
  }

  public Set<PeerId> known() {
    return Set.copyOf(known);
  }

  /** What each peer's verified platform record says (every answer from a peer is bound through it). */
  PlatformBindings bindings() {
    return bindings;
  }

  /** The fan-out targets now: one per platform group, best peer first, backed-off peers left out. */
  public List<Target> route(Instant now) {
    Map<String, List<PeerStanding.Record>> groups = new LinkedHashMap<>();
    for (PeerId p : known) {
      PeerStanding.Record r = standing.get(p);
      if (r.backedOff(now)) {
        continue;
      }
      String group = bindings.group(p);
      groups.computeIfAbsent(group, g -> new ArrayList<>()).add(r);
    }
    List<Target> targets = new ArrayList<>();
    Comparator<PeerStanding.Record> best = Comparator.comparingDouble((PeerStanding.Record r) -> -r.score())
        .thenComparingDouble(r -> Double.isNaN(r.latencyMs()) ? Double.MAX_VALUE : r.latencyMs())
        .thenComparing(PeerStanding.Record::peer);
    groups.forEach((g, rs) -> {
      rs.sort(best);
      targets.add(new Target(g, rs.getFirst().peer(), rs.subList(1, rs.size()).stream().map(PeerStanding.Record::peer).toList()));
    });
    targets.sort(Comparator.comparing(Target::group));
    return targets;
  }

  @Override
  public void close() {
    host.removeConnectionListener(this);
    refresher.shutdownNow();
  }
}
