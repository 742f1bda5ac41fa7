package io.fedsearch.federation.p2p.kad;

import io.fedsearch.federation.p2p.Connection;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.PeerInfo;
import io.fedsearch.federation.p2p.Stream;
import io.fedsearch.federation.p2p.wire.LengthPrefixed;
import io.fedsearch.core.cid.Cid;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Kademlia DHT over a {@link Host}: the server side of FIND_NODE, GET_PROVIDERS, ADD_PROVIDER, PUT_VALUE, GET_VALUE
 * (and the deprecated PING) plus the client operations of {@link Dht}. Peers enter the routing table when identify
 * shows they serve our kad protocol; peers that fail a request leave it.
 */
public final class KadDht implements Dht {
  private static final Logger LOG = Logger.getLogger(KadDht.class.getName());
  private static final int MAX_REQUESTS_PER_STREAM = 64;
  /** Value records one remote peer may have stored here at once (when a validator accepts values at all). */
  public static final int MAX_RECORDS_PER_PEER = 64;

  /** Value records held at most, own and remote together. */
  static final int MAX_RECORDS = 10_000;

  /** A value record and the peer that stored it (ourselves for our own), for its quota. */
  private record StoredRecord(byte[] value, Instant received, PeerId from) {}

  private final Host host;
  private final KadConfig config;
  private final RoutingTable table;
  private final ProviderStore providers = new ProviderStore();
  private final Map<ByteBuffer, StoredRecord> records = new ConcurrentHashMap<>();
  private final Map<PeerId, Integer> recordsByPeer = new ConcurrentHashMap<>();
  private final Map<ByteBuffer, Cid> providing = new ConcurrentHashMap<>();
  private final Map<ByteBuffer, byte[]> ownRecords = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;

  public KadDht(Host host, KadConfig config) {
    this.host = host;
    this.config = config;
    this.table = new RoutingTable(host.peerId(), config.k());
    host.addProtocolHandler(config.protocol(), this::serve);
  }

  public KadConfig config() {
    return config;
  }

  public void start() {
    timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("kad-timer").factory());
    long republish = config.republishInterval().toMillis();
    timer.scheduleWithFixedDelay(this::republish, republish, republish, TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(this::expire, 10, 10, TimeUnit.MINUTES);
  }

  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** Called by the host after identify: a peer serving our kad protocol joins the routing table. */
  public void identified(Connection c, PeerInfo info) {
    if (info.protocols().contains(config.protocol())) {
      table.add(c.remotePeer());
    }
  }

  /** Value records held (own and remote), fresh or not yet expired. */
  public int recordCount() {
    return records.size();
  }

  @Override
  public List<PeerId> routingTable() {
    return table.peers();
  }

  // ------------------------------------------------------------------ server side
  private void serve(Stream s) throws IOException {
    s.setReadTimeout(config.requestTimeout().multipliedBy(6));
    PeerId from = s.remotePeer();
    for (int i = 0; i < MAX_REQUESTS_PER_STREAM; i++) {
      byte[] raw = LengthPrefixed.read(s.in(), config.maxMessageBytes());
      if (raw == null) {
        return;
      }
      KadMessage req = KadMessage.decode(raw);
      KadMessage reply = answer(from, req);
      if (reply != null) {
        LengthPrefixed.write(s.out(), reply.encode());
      }
    }
  }

  private KadMessage answer(PeerId from, KadMessage req) throws IOException {
    byte[] key = req.key();
    if (key == null && req.type() != KadMessage.PING) {
      throw new io.fedsearch.federation.p2p.wire.WireException("kad request without key");
    }
    return switch (req.type()) {
      case KadMessage.FIND_NODE -> new KadMessage(KadMessage.FIND_NODE, key, null, closerPeers(key, from),
          List.of());
      case KadMessage.GET_PROVIDERS -> {
        List<KadMessage.Peer> provs = new ArrayList<>();
        for (ProviderStore.Provider p : providers.get(key)) {
          provs.add(new KadMessage.Peer(p.peer(), p.addrs()));
        }
        yield new KadMessage(KadMessage.GET_PROVIDERS, key, null, closerPeers(key, from), provs);
      }
      case KadMessage.ADD_PROVIDER -> {
        for (KadMessage.Peer p : req.providerPeers()) {
          if (p.id().equals(from) && !p.addrs().isEmpty()) { // only the sender may announce itself
            providers.add(key, from, p.addrs(), config.providerTtl().toMillis());
            host.peerStore().addAddresses(from, p.addrs());
          }
        }
        yield null;
      }
      case KadMessage.PUT_VALUE -> {
        KadMessage.Record r = req.record();
        if (r == null || r.key() == null || !Arrays.equals(r.key(), key)) {
          throw new io.fedsearch.federation.p2p.wire.WireException("PUT_VALUE record key differs from the key");
        }
        try {
          config.validator().validate(key, r.value());
        } catch (IllegalArgumentException e) {
          throw new io.fedsearch.federation.p2p.wire.WireException("PUT_VALUE refused: " + e.getMessage());
        }
        if (!storeIfBetter(key, r.value(), from)) {
          throw new io.fedsearch.federation.p2p.wire.WireException("PUT_VALUE refused: " + from + " already stores "
              + MAX_RECORDS_PER_PEER + " records here, or the store is full");
        }
        yield req;
      }
      case KadMessage.GET_VALUE -> {
        StoredRecord r = fresh(key);
        KadMessage.Record rec = r == null ? null : new KadMessage.Record(key, r.value(), r.received().toString());
        yield new KadMessage(KadMessage.GET_VALUE, key, rec, closerPeers(key, from), List.of());
      }
      case KadMessage.PING -> KadMessage.request(KadMessage.PING, null);
      default -> throw new io.fedsearch.federation.p2p.wire.WireException("unknown kad type " + req.type());
    };
  }

  private List<KadMessage.Peer> closerPeers(byte[] key, PeerId requester) {
    List<KadMessage.Peer> out = new ArrayList<>();
    if (Arrays.equals(key, host.peerId().bytes())) {
      out.add(new KadMessage.Peer(host.peerId(), ownAddrs()));
    }
    for (PeerId p : table.closest(KadKey.of(key), config.k() + 1)) {
      if (!p.equals(requester) && out.size() < config.k()) {
        List<Multiaddr> addrs = host.peerStore().addresses(p);
        if (!addrs.isEmpty()) {
          out.add(new KadMessage.Peer(p, addrs));
        }
      }
    }
    return out;
  }

  private List<Multiaddr> ownAddrs() {
    return host.listenAddresses().stream().map(Multiaddr::withoutPeerId).toList();
  }

  /**
   * Stores {@code value} unless the held one is better; false when refused for quota: {@code from} (a remote) holds
   * {@link #MAX_RECORDS_PER_PEER} records already, or the store holds {@link #MAX_RECORDS}.
   */
  private synchronized boolean storeIfBetter(byte[] key, byte[] value, PeerId from) {
    ByteBuffer k = ByteBuffer.wrap(key.clone());
    StoredRecord old = fresh(key);
    if (old != null && !Arrays.equals(old.value(), value)
        && config.validator().select(key, List.of(old.value(), value)) == 0) {
      return true; // ours is better: accepted, nothing to change
    }
    boolean own = from.equals(host.peerId());
    boolean sameOwner = old != null && old.from().equals(from);
    if (!own && !sameOwner && recordsByPeer.getOrDefault(from, 0) >= MAX_RECORDS_PER_PEER) {
      return false;
    }
    if (old == null && records.size() >= MAX_RECORDS && !records.containsKey(k)) {
      return false;
    }
    StoredRecord replaced = records.put(k, new StoredRecord(value.clone(), Instant.now(), from));
    if (replaced != null) {
      uncount(replaced);
    }
    if (!own) {
      recordsByPeer.merge(from, 1, Integer::sum);
    }
    return true;
  }

  private void uncount(StoredRecord r) {
    recordsByPeer.computeIfPresent(r.from(), (p, n) -> n <= 1 ? null : n - 1);
  }

  private StoredRecord fresh(byte[] key) {
    StoredRecord r = records.get(ByteBuffer.wrap(key));
    if (r != null && r.received().plus(config.recordTtl()).isBefore(Instant.now())) {
      if (records.remove(ByteBuffer.wrap(key), r)) {
        uncount(r);
      }
      return null;
    }
    return r;
  }

  // ------------------------------------------------------------------ client side
  /** One request to {@code peer}; null (and the peer leaves the routing table) when it fails. */
  KadMessage request(PeerId peer, KadMessage msg, boolean expectReply) {
    try (Stream s = host.newStream(peer, config.protocol())) {
      s.setReadTimeout(config.requestTimeout());
      LengthPrefixed.write(s.out(), msg.encode());
      if (!expectReply) {
        return msg;
      }
      byte[] raw = LengthPrefixed.read(s.in(), config.maxMessageBytes());
      if (raw == null) {
        throw new IOException("peer closed the stream without answering");
      }
      KadMessage reply = KadMessage.decode(raw);
      // what a peer says of others is a hint: it never displaces what a peer said of itself
      for (KadMessage.Peer p : reply.closerPeers()) {
        host.peerStore().addHints(p.id(), p.addrs());
      }
      for (KadMessage.Peer p : reply.providerPeers()) {
        host.peerStore().addHints(p.id(), p.addrs());
      }
      table.add(peer);
      return reply;
    } catch (IOException | RuntimeException e) {
      LOG.fine("kad request to " + peer + " failed: " + e.getMessage());
      table.remove(peer);
      return null;
    }
  }

  private List<PeerId> lookup(byte[] key, int type, java.util.function.Predicate<KadMessage> done,
      java.util.function.Consumer<KadMessage> each, Duration timeout) {
    List<PeerId> seeds = table.closest(KadKey.of(key), config.k());
    Lookup l = new Lookup(key, config.k(), config.alpha(), host.peerId(), p -> {
      KadMessage r = request(p, KadMessage.request(type, key), true);
      if (r != null) {
        each.accept(r);
      }
      return r;
    }, done);
    return l.run(seeds, timeout);
  }

  @Override
  public List<PeerId> closestPeers(byte[] key, Duration timeout) {
    return lookup(key, KadMessage.FIND_NODE, r -> false, r -> {}, timeout);
  }

  @Override
  public void bootstrap() {
    closestPeers(host.peerId().bytes(), config.requestTimeout().multipliedBy(3));
  }

  @Override
  public int provide(Cid cid) {
    providing.put(ByteBuffer.wrap(cid.multihash()), cid);
    return announce(cid);
  }

  private int announce(Cid cid) {
    byte[] key = cid.multihash();
    List<Multiaddr> addrs = ownAddrs();
    providers.add(key, host.peerId(), addrs, config.providerTtl().toMillis());
    KadMessage msg = new KadMessage(KadMessage.ADD_PROVIDER, key, null, List.of(),
        List.of(new KadMessage.Peer(host.peerId(), addrs)));
    int ok = 0;
    for (PeerId p : closestPeers(key, config.requestTimeout().multipliedBy(3))) {
      if (request(p, msg, false) != null) {
        ok++;
      }
    }
    return ok;
  }

  @Override
  public void stopProviding(Cid cid) {
    providing.remove(ByteBuffer.wrap(cid.multihash()));
  }

  @Override
  public List<PeerInfo> findProviders(Cid cid, int limit, Duration timeout) {
    byte[] key = cid.multihash();
    Map<PeerId, PeerInfo> found = new LinkedHashMap<>();
    for (ProviderStore.Provider p : providers.get(key)) {
      found.put(p.peer(), new PeerInfo(p.peer(), p.addrs(), List.of(), ""));
    }
    if (found.size() < limit) {
      lookup(key, KadMessage.GET_PROVIDERS, r -> found.size() >= limit, r -> {
        synchronized (found) {
          for (KadMessage.Peer p : r.providerPeers()) {
            if (found.size() < limit) {
              found.putIfAbsent(p.id(), new PeerInfo(p.id(),
                  p.addrs().isEmpty() ? host.peerStore().addresses(p.id()) : p.addrs(), List.of(), ""));
            }
          }
        }
      }, timeout);
    }
    synchronized (found) {
      return List.copyOf(found.values()).subList(0, Math.min(limit, found.size()));
    }
  }

  @Override
  public Optional<PeerInfo> findPeer(PeerId peer, Duration timeout) {
    if (!host.peerStore().addresses(peer).isEmpty()) {
      return host.peerStore().get(peer);
    }
    lookup(peer.bytes(), KadMessage.FIND_NODE,
        r -> r.closerPeers().stream().anyMatch(p -> p.id().equals(peer) && !p.addrs().isEmpty()), r -> {},
        timeout);
    List<Multiaddr> addrs = host.peerStore().addresses(peer);
    return addrs.isEmpty() ? Optional.empty() : Optional.of(new PeerInfo(peer, addrs, List.of(), ""));
  }

  @Override
  public int putValue(byte[] key, byte[] value) {
    config.validator().validate(key, value);
    storeIfBetter(key, value, host.peerId());
    ownRecords.put(ByteBuffer.wrap(key.clone()), value.clone());
    KadMessage msg = new KadMessage(KadMessage.PUT_VALUE, key,
        new KadMessage.Record(key, value, Instant.now().toString()), List.of(), List.of());
    int ok = 0;
    for (PeerId p : closestPeers(key, config.requestTimeout().multipliedBy(3))) {
      KadMessage r = request(p, msg, true);
      if (r != null && r.record() != null && Arrays.equals(r.record().value(), value)) {
        ok++;
      }
    }
    return ok;
  }

  @Override
  public Optional<byte[]> getValue(byte[] key, Duration timeout) {
    List<byte[]> values = new ArrayList<>();
    StoredRecord local = fresh(key);
    if (local != null) {
      values.add(local.value());
    }
    lookup(key, KadMessage.GET_VALUE, r -> false, r -> {
      if (r.record() != null && r.record().value() != null) {
        try {
          config.validator().validate(key, r.record().value());
          synchronized (values) {
            values.add(r.record().value());
          }
        } catch (IllegalArgumentException e) {
          LOG.info("dropped invalid record for GET_VALUE: " + e.getMessage());
        }
      }
    }, timeout);
    synchronized (values) {
      if (values.isEmpty()) {
        return Optional.empty();
      }
      byte[] best = values.get(Math.max(0, Math.min(values.size() - 1, config.validator().select(key, values))));
      storeIfBetter(key, best, host.peerId()); // validated: kept as a cache, outside any peer's quota
      return Optional.of(best.clone());
    }
  }

  private void republish() {
    for (Cid cid : List.copyOf(providing.values())) {
      announce(cid);
    }
    for (Map.Entry<ByteBuffer, byte[]> e : Map.copyOf(ownRecords).entrySet()) {
      byte[] key = new byte[e.getKey().remaining()];
      e.getKey().duplicate().get(key);
      putValue(key, e.getValue());
    }
    if (table.size() == 0) {
      bootstrap();
    }
  }

  private void expire() {
    providers.expire();
    for (Map.Entry<ByteBuffer, StoredRecord> e : records.entrySet()) {
      if (e.getValue().received().plus(config.recordTtl()).isBefore(Instant.now())
          && records.remove(e.getKey(), e.getValue())) {
        uncount(e.getValue());
      }
    }
  }
}
