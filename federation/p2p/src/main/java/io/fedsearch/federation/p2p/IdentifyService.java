package io.fedsearch.federation.p2p;

import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.federation.p2p.crypto.PublicKeyProto;
import io.fedsearch.federation.p2p.kad.KadDht;
import io.fedsearch.federation.p2p.protocol.Identify;
import io.fedsearch.federation.p2p.protocol.IdentifyMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Identify for one host, both ways: it answers {@code /ipfs/id/1.0.0}, asks every new connection, takes in what
 * peers push about themselves ({@code /ipfs/id/push/1.0.0}) and pushes this host's own identify to every connected
 * peer that takes pushes whenever the host starts or stops serving a protocol.
 *
 * <p>Why push: a peer learns what this host serves from identify, which runs once per connection. A protocol
 * registered after a peer connected (a node's query service opening after its host, say) would otherwise stay
 * unknown to that peer until it next connects or finds the host again through the DHT, up to half a minute later.
 * Changes are pushed {@link #DEBOUNCE} after the first of a burst (the message then says what the host serves at
 * that moment), so registering several protocols at once costs each peer one push. A pushed message is bounded and checked like an identify answer, describes only the peer that
 * sent it (on the connection it proved its key on), and is never taken as a reconnection
 * ({@link ConnectionListener#updated}).
 */
final class IdentifyService {
  private static final Logger LOG = Logger.getLogger(IdentifyService.class.getName());
  static final Duration DEBOUNCE = Duration.ofMillis(100);

  private final Host host;
  private final PeerStore peerStore;
  private final ConnectionListeners listeners;
  private final NodePublicKey publicKey;
  private final String agent;
  private final Duration timeout;
  private final AtomicBoolean pushScheduled = new AtomicBoolean();

  IdentifyService(Host host, PeerStore peerStore, ConnectionListeners listeners, NodePublicKey publicKey, String agent,
      Duration timeout) {
    this.host = host;
    this.peerStore = peerStore;
    this.listeners = listeners;
    this.publicKey = publicKey;
    this.agent = agent;
    this.timeout = timeout;
  }

  /** What this host says of itself to the peer at the other end of {@code c}. */
  IdentifyMessage message(Connection c) {
    List<Multiaddr> addrs = host.listenAddresses().stream().map(Multiaddr::withoutPeerId).toList();
    return new IdentifyMessage(PublicKeyProto.encode(publicKey), addrs, host.protocols(), c.remoteAddress(),
        Identify.PROTOCOL_VERSION, agent);
  }

  void serve(Stream s) throws IOException {
    Identify.serve(s, message(s.connection()));
  }

  /** Asks a new connection's peer who it is and tells the listeners (on the caller's thread). */
  void identify(Connection c) {
    try {
      IdentifyMessage m = Identify.request(c, timeout);
      peerStore.identified(c.remotePeer(), m.listenAddrs(), m.protocols(), m.agentVersion());
      tell(c, false);
    } catch (IOException e) {
      LOG.fine("identify " + c.remotePeer() + " failed: " + e.getMessage());
    }
  }

  /** Serves an inbound push: the peer's protocols replace what it said before (unless it left them out). */
  void receivePush(Stream s) throws IOException {
    Connection c = s.connection();
    IdentifyMessage m = Identify.readPush(s, timeout);
    peerStore.pushed(c.remotePeer(), m.listenAddrs(), m.protocols(), m.agentVersion());
    tell(c, true);
  }

  /** Tells the listeners and the DHT what the peer store now holds of the peer (a peer serving the DHT joins it). */
  private void tell(Connection c, boolean pushed) {
    PeerInfo info = peerStore.get(c.remotePeer()).orElseThrow();
    if (pushed) {
      listeners.updated(c, info);
    } else {
      listeners.identified(c, info);
    }
    KadDht dht = host.kad();
    if (dht != null) {
      dht.identified(c, info);
    }
  }

  /**
   * The protocols this host serves changed: pushes its identify to every connected peer that takes pushes, once,
   * {@link #DEBOUNCE} after the first change of a burst. Before the host starts there is no one to tell.
   */
  void protocolsChanged() {
    ScheduledExecutorService timers = host.timers();
    if (timers == null || !host.isRunning() || !pushScheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      timers.schedule(() -> {
        pushScheduled.set(false);
        pushAll();
      }, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      pushScheduled.set(false); // the host is stopping
    }
  }

  /** On the timer thread: starts one push per peer on a thread of its own, so no peer holds up the timer. */
  private void pushAll() {
    for (Connection c : host.allConnections()) {
      boolean takesPushes = peerStore.get(c.remotePeer())
          .map(info -> info.protocols().contains(Identify.PUSH_PROTOCOL)).orElse(false);
      if (!takesPushes) {
        continue;
      }
      Thread.ofVirtual().name("p2p-identify-push").start(() -> {
        try {
          Identify.push(c, message(c), timeout);
        } catch (IOException | RuntimeException e) {
          LOG.fine("identify push to " + c.remotePeer() + " failed: " + e.getMessage());
        }
      });
    }
  }
}
