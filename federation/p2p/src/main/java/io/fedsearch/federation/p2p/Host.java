package io.fedsearch.federation.p2p;

import io.fedsearch.federation.p2p.crypto.NoiseIdentity;
import io.fedsearch.federation.p2p.mss.Multistream;
import io.fedsearch.federation.p2p.mux.YamuxStream;
import io.fedsearch.federation.p2p.protocol.Identify;
import io.fedsearch.federation.p2p.protocol.Ping;
import io.fedsearch.core.keys.NodeKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A libp2p host: listens on TCP, dials by multiaddr or peer id, upgrades connections (Noise + yamux), serves
 * identify and ping, dispatches inbound streams to protocol handlers and runs the Kademlia DHT. Built with
 * {@link HostBuilder}. Blocking I/O on virtual threads: one reader per connection, one per inbound stream.
 */
public final class Host implements AutoCloseable {
  public static final String AGENT = "fedsearch/0.1.0";
  private static final Logger LOG = Logger.getLogger(Host.class.getName());
  /** Peers choose how often these happen: one line a second each, with a count of the rest. */
  private final LogThrottle refusals = new LogThrottle(LOG, 1000);
  private final LogThrottle failedHandshakes = new LogThrottle(LOG, 1000);
  private final LogThrottle malformedStreams = new LogThrottle(LOG, 1000);

  private final NodeKey key;
  private final PeerId peerId;
  private final HostBuilder config;
  private final Upgrader upgrader;
  private final PeerStore peerStore;
  private final InboundGate gate;
  private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
  private final Map<PeerId, List<Connection>> connections = new ConcurrentHashMap<>();
  private final Map<PeerId, CompletableFuture<Connection>> pendingDials = new ConcurrentHashMap<>();
  private final ConnectionListeners listeners = new ConnectionListeners();
  private final List<ServerSocket> servers = new CopyOnWriteArrayList<>();
  private volatile ScheduledExecutorService timers;
  private final io.fedsearch.federation.p2p.kad.KadDht dht;
  private volatile boolean running;
  private final IdentifyService identify;

  Host(HostBuilder config) {
    this.key = config.key;
    this.config = config;
    this.peerId = PeerId.of(key.publicKey());
    this.upgrader = new Upgrader(this, new NoiseIdentity(key), config.earlyMuxer);
    this.peerStore = new PeerStore(config.dataDir);
    this.gate = new InboundGate(config.limits);
    this.identify = new IdentifyService(this, peerStore, listeners, key.publicKey(), config.agentVersion,
        config.limits.negotiationTimeout());
    handlers.put(Identify.PROTOCOL, identify::serve);
    handlers.put(Identify.PUSH_PROTOCOL, identify::receivePush);
    handlers.put(Ping.PROTOCOL, Ping::serve);
    this.dht = config.dhtEnabled ? new io.fedsearch.federation.p2p.kad.KadDht(this, config.kad) : null;
  }

  public static HostBuilder builder(NodeKey key) {
    return new HostBuilder(key);
  }

  public PeerId peerId() {
    return peerId;
  }

  /** The emulated link delay on what this host sends ({@link LinkDelay#NONE} but in benchmarks and tests). */
  LinkDelay linkDelay() {
    return config.linkDelay;
  }

  public Limits limits() {
    return config.limits;
  }

  public PeerStore peerStore() {
    return peerStore;
  }

  /** The DHT facade; empty when the host was built with {@code dht(false)}. */
  public Optional<io.fedsearch.federation.p2p.kad.Dht> dht() {
    return Optional.ofNullable(dht);
  }

  ScheduledExecutorService timers() {
    return timers;
  }

  /** The DHT itself, or null when the host was built without one. */
  io.fedsearch.federation.p2p.kad.KadDht kad() {
    return dht;
  }

  // ------------------------------------------------------------------ lifecycle
  /**
   * Serializes start and stop. A lock rather than {@code synchronized}: both bind or close sockets and read or
   * write the peer store, which inside a monitor would pin a virtual thread to its carrier.
   */
  private final ReentrantLock lifecycle = new ReentrantLock();

  /**
   * Binds the listen addresses, reconnects to remembered peers and bootstraps the DHT (in the background); dials the
   * bootstrap peers again whenever the host is left with no connection ({@link BootstrapRetry}).
   */
  public void start() throws IOException {
    lifecycle.lock();
    try {
      startLocked();
    } finally {
      lifecycle.unlock();
    }
  }

  private void startLocked() throws IOException {
    if (running) {
      return;
    }
    running = true;
    timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("p2p-timer").factory());
    try {
      for (Multiaddr listen : config.listen) {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen.socketAddress(), 128);
        servers.add(server);
        Thread.ofVirtual().name("p2p-accept-" + server.getLocalPort()).start(() -> acceptLoop(server));
      }
    } catch (IOException e) {
      stop();
      throw new IOException("cannot listen: " + e.getMessage(), e);
    }
    List<PeerId> remembered = peerStore.load();
    long keepalive = config.limits.keepaliveInterval().toMillis();
    // the timer thread only starts work and closes sockets: it never writes to a peer, so no peer can stop it
    ConnectionWatch watch = new ConnectionWatch(this::allConnections, config.limits.writeTimeout());
    timers.scheduleWithFixedDelay(watch::keepalive, keepalive, keepalive, TimeUnit.MILLISECONDS);
    long every = Math.clamp(config.limits.writeTimeout().toMillis() / 4, 50, 1000);
    timers.scheduleWithFixedDelay(watch::cutStalledWriters, every, every, TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(() -> Thread.ofVirtual().name("p2p-save-peers").start(peerStore::save), 60, 60,
        TimeUnit.SECONDS);
    if (dht != null) {
      dht.start();
    }
    BootstrapRetry retry = new BootstrapRetry(() -> connectionCount() == 0, () -> reconnect(List.of()));
    retry.attempt(() -> reconnect(remembered));
    if (!config.bootstrap.isEmpty()) {
      timers.scheduleWithFixedDelay(retry, 1, 1, TimeUnit.SECONDS);
    }
  }

  private void reconnect(List<PeerId> remembered) {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) { // closing waits for every dial to end
      for (Multiaddr b : config.bootstrap) {
        pool.submit(() -> {
          try {
            dial(b);
          } catch (IOException e) {
            LOG.info("bootstrap peer " + b + " unreachable: " + e.getMessage());
          }
        });
      }
      for (PeerId p : remembered.subList(0, Math.min(remembered.size(), 32))) {
        pool.submit(() -> {
          try {
            dial(p);
          } catch (IOException e) {
            LOG.fine("remembered peer " + p + " unreachable: " + e.getMessage());
          }
        });
      }
    }
    if (dht != null && running) {
      dht.bootstrap();
    }
  }

  /** Closes listeners and connections and saves the peer store. */
  public void stop() {
    lifecycle.lock();
    try {
      stopLocked();
    } finally {
      lifecycle.unlock();
    }
  }

  private void stopLocked() {
    if (!running) {
      return;
    }
    running = false;
    for (ServerSocket s : servers) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    servers.clear();
    if (dht != null) {
      dht.stop();
    }
    for (Connection c : allConnections()) {
      c.close();
    }
    peerStore.save();
    timers.shutdownNow();
  }

  @Override
  public void close() {
    stop();
  }

  public boolean isRunning() {
    return running;
  }

  /** The bootstrap addresses this host was configured with (dialled on start and whenever it is left alone). */
  public List<Multiaddr> bootstrapAddresses() {
    return List.copyOf(config.bootstrap);
  }

  /** Bound listen addresses with {@code /p2p/<id>}, then the configured announce addresses. */
  public List<Multiaddr> listenAddresses() {
    return ListenAddresses.of(config.announce, servers, peerId);
  }

  // ------------------------------------------------------------------ protocols and listeners
  /**
   * Serves inbound streams that negotiate {@code protocol}; replaces an earlier handler for it. Connected peers
   * are told of a new protocol at once (identify/push), so registering one after {@link #start()} is safe.
   */
  public void addProtocolHandler(String protocol, StreamHandler handler) {
    if (handlers.put(protocol, handler) == null) {
      identify.protocolsChanged();
    }
  }

  public void removeProtocolHandler(String protocol) {
    if (handlers.remove(protocol) != null) {
      identify.protocolsChanged();
    }
  }

  public List<String> protocols() {
    List<String> out = new ArrayList<>(handlers.keySet());
    Collections.sort(out);
    return out;
  }

  public void addConnectionListener(ConnectionListener l) {
    listeners.add(l);
  }

  public void removeConnectionListener(ConnectionListener l) {
    listeners.remove(l);
  }

  // ------------------------------------------------------------------ connections
  public List<Connection> allConnections() {
    List<Connection> out = new ArrayList<>();
    connections.values().forEach(out::addAll);
    return out;
  }

  public Optional<Connection> connection(PeerId peer) {
    List<Connection> list = connections.get(peer);
    if (list == null) {
      return Optional.empty();
    }
    return list.stream().filter(Connection::isOpen).findFirst();
  }

  /** Dials {@code address}; with a {@code /p2p} part the remote must prove that id, and an open connection is reused. */
  public Connection dial(Multiaddr address) throws IOException {
    Optional<PeerId> expected = address.peerId();
    if (expected.isPresent()) {
      if (expected.get().equals(peerId)) {
        throw new IOException("cannot dial ourselves");
      }
      Optional<Connection> open = connection(expected.get());
      if (open.isPresent()) {
        return open.get();
      }
    }
    if (!running) {
      throw new IOException("host is not running");
    }
    if (connectionCount() >= config.limits.maxConnections()) {
      throw new IOException("connection limit reached (" + config.limits.maxConnections() + ")");
    }
    Socket socket = new Socket();
    try {
      socket.connect(address.socketAddress(), (int) config.limits.dialTimeout().toMillis());
      Connection c = upgrader.upgrade(socket, true, expected.orElse(null));
      register(c);
      peerStore.addAddresses(c.remotePeer(), List.of(address));
      return c;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e instanceof IOException io ? new IOException("dial " + address + ": " + io.getMessage(), io)
          : new IOException("dial " + address + ": " + e.getMessage(), e);
    }
  }

  /** Dials a peer by id: reuses an open connection, else tries its known addresses (asking the DHT if none). */
  public Connection dial(PeerId peer) throws IOException {
    Optional<Connection> open = connection(peer);
    if (open.isPresent()) {
      return open.get();
    }
    CompletableFuture<Connection> mine = new CompletableFuture<>();
    CompletableFuture<Connection> existing = pendingDials.putIfAbsent(peer, mine);
    if (existing != null) {
      try {
        return existing.get(config.limits.dialTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new IOException(e.getCause().getMessage(), e.getCause());
      } catch (Exception e) {
        throw new IOException("dial " + peer + ": " + e, e);
      }
    }
    try {
      List<Multiaddr> addrs = peerStore.addresses(peer);
      if (addrs.isEmpty() && dht != null) {
        addrs = dht.findPeer(peer, Duration.ofSeconds(10)).map(PeerInfo::addresses).orElse(List.of());
      }
      if (addrs.isEmpty()) {
        throw new IOException("no known address for " + peer);
      }
      IOException last = null;
      for (Multiaddr a : addrs) {
        try {
          Connection c = dial(a.withPeerId(peer));
          mine.complete(c);
          return c;
        } catch (IOException e) {
          last = e;
        }
      }
      throw last;
    } catch (IOException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      pendingDials.remove(peer, mine);
    }
  }

  /** Dials (or reuses a connection to) {@code peer} and opens a stream for {@code protocol}. */
  public Stream newStream(PeerId peer, String protocol) throws IOException {
    return dial(peer).newStream(protocol);
  }

  public Stream newStream(Multiaddr address, String protocol) throws IOException {
    return dial(address).newStream(protocol);
  }

  /**
   * Whether {@code peer} is known (from identify) to be a fedsearch node, whose streams read a request sent along
   * with the protocol proposal ({@link Connection#newStreamSending}). Other implementations are not assumed to:
   * js-libp2p 3.x does not.
   */
  public boolean acceptsOptimisticSelect(PeerId peer) {
    return peerStore.agentVersion(peer).map(a -> a.startsWith("fedsearch/")).orElse(false);
  }

  /** Pings a connected or dialable peer once. */
  public Duration ping(PeerId peer) throws IOException {
    return Ping.ping(dial(peer), 1, Duration.ofSeconds(10))[0];
  }

  private int connectionCount() {
    return connections.values().stream().mapToInt(List::size).sum();
  }

  private void acceptLoop(ServerSocket server) {
    while (running && !server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (running && !server.isClosed()) {
          LOG.log(Level.WARNING, "accept failed", e);
        }
        return;
      }
      InetAddress ip = socket.getInetAddress();
      String refused = connectionCount() >= config.limits.maxConnections()
          ? "connection limit reached" : gate.admit(ip);
      if (refused != null) {
        refusals.log(Level.INFO, "refused inbound connection: " + refused);
        closeQuietly(socket);
        continue;
      }
      Thread.ofVirtual().name("p2p-upgrade").start(() -> {
        try {
          Connection c = upgrader.upgrade(socket, false, null);
          gate.upgraded(ip);
          register(c);
        } catch (IOException | RuntimeException e) {
          gate.upgraded(ip);
          gate.closed(ip);
          failedHandshakes.log(Level.INFO,
              "inbound handshake from " + socket.getRemoteSocketAddress() + " failed: " + e.getMessage());
          closeQuietly(socket);
        }
      });
    }
  }

  private void register(Connection c) {
    connections.computeIfAbsent(c.remotePeer(), p -> new CopyOnWriteArrayList<>()).add(c);
    // The reader is a platform thread: a frame arriving at an idle node wakes it directly, where a virtual reader
    // is woken by the poller and then by a carrier (two thread wake-ups; a round trip through two idle hosts cost
    // ~60 µs of CPU with virtual readers, ~40 with platform ones). At most Limits.maxConnections of them.
    Thread.ofPlatform().daemon().name("p2p-conn-" + c.remotePeer().toBase58().substring(0, 12)).start(c.session());
    c.session().ping(); // first RTT sample for the yamux window auto-tuning
    listeners.connected(c);
    Thread.ofVirtual().name("p2p-identify").start(() -> identify.identify(c));
  }

  void onInboundStream(Connection c, YamuxStream s) {
    Thread.ofVirtual().name("p2p-stream").start(() -> {
      Stream stream = null;
      try {
        s.setReadTimeout(config.limits.negotiationTimeout().toMillis());
        Multistream.Selected selected = Multistream.handle(s.in(), s.out(), handlers::containsKey, protocols(),
            p -> handlers.get(p) instanceof StreamHandler h && h.readsFirst());
        String protocol = selected.protocol();
        if (selected.deferredAnswer() != null) {
          s.prefixNextData(selected.deferredAnswer());
        }
        s.setReadTimeout(0);
        StreamHandler h = handlers.get(protocol);
        stream = new Stream(s, c, protocol);
        h.handle(stream);
        s.closeWrite();
      } catch (Exception e) {
        // malformed input is worth an operator's attention; resets and timeouts are ordinary
        String why = "inbound stream from " + c.remotePeer() + (stream == null ? "" : " (" + stream.protocol() + ")")
            + " reset: " + e.getMessage();
        if (e instanceof io.fedsearch.federation.p2p.wire.WireException) {
          malformedStreams.log(Level.INFO, why);
        } else {
          LOG.fine(why);
        }
        s.reset();
      }
    });
  }

  void onConnectionClosed(Connection c, String reason) {
    closeQuietly(c.socket());
    List<Connection> list = connections.get(c.remotePeer());
    if (list != null) {
      list.remove(c);
      if (list.isEmpty()) {
        connections.remove(c.remotePeer(), list);
      }
    }
    if (!c.isInitiator()) {
      gate.closed(c.socket().getInetAddress());
    }
    listeners.disconnected(c, reason);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public String toString() {
    return "Host[" + peerId + "]";
  }
}
