package io.fedsearch.web.node;

import io.fedsearch.federation.p2p.Connection;
import io.fedsearch.federation.p2p.ConnectionListener;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.p2p.PeerId;
import io.fedsearch.federation.p2p.PeerInfo;
import io.fedsearch.federation.query.PeerStanding;
import io.fedsearch.federation.query.QueryWire;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the operator, one {@code key=value} line per event, whether the node joined the federation: each bootstrap
 * address connected or not (within {@link #BOOTSTRAP_WAIT}), each peer that identified or left, with its platform
 * when this node knows it, a connected peer that started or stopped serving queries ({@code event=peer_updated}),
 * and peers missing answers ({@code event=peer_miss}: failures, timeouts, busy refusals, forged entries). Without it, {@code node start} never said whether bootstrapping worked.
 */
final class PeerEvents implements ConnectionListener {
  static final Duration BOOTSTRAP_WAIT = Duration.ofSeconds(10);
  private static final Logger LOG = Logger.getLogger("io.fedsearch.peers");

  static final Duration MISS_INTERVAL = Duration.ofSeconds(30);

  private final PeerStanding standing;
  /** When each peer's last miss was logged; bounded (a flood of ids only costs a few extra lines). */
  private final com.github.benmanes.caffeine.cache.Cache<PeerId, Long> lastMiss =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(4096).build();

  /** Whether each peer served queries when that was last logged; a push that changes it is worth a line. */
  private final com.github.benmanes.caffeine.cache.Cache<PeerId, Boolean> servesQueries =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(4096).build();
  /** When each peer's last change was logged: a peer flipping its protocols writes one line per interval. */
  private final com.github.benmanes.caffeine.cache.Cache<PeerId, Long> lastUpdate =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(4096).build();

  private PeerEvents(PeerStanding standing) {
    this.standing = standing;
  }

  /** Logs joins and departures on {@code host}, and the outcome of each bootstrap address in the background. */
  static void watch(Host host, PeerStanding standing, List<Multiaddr> bootstrap) {
    PeerEvents events = new PeerEvents(standing);
    host.addConnectionListener(events);
    standing.onMiss(events::missed);
    if (!bootstrap.isEmpty()) {
      Thread.ofVirtual().name("bootstrap-report").start(() -> reportBootstrap(host, bootstrap));
    }
  }

  private static void reportBootstrap(Host host, List<Multiaddr> bootstrap) {
    long until = System.nanoTime() + BOOTSTRAP_WAIT.toNanos();
    for (Multiaddr a : bootstrap) {
      PeerId peer = a.peerId().orElse(null);
      try {
        while (peer != null && host.connection(peer).isEmpty() && System.nanoTime() < until) {
          Thread.sleep(100);
        }
      } catch (InterruptedException e) {
        return; // the node is stopping
      }
      if (peer != null && host.connection(peer).isPresent()) {
        LOG.info(() -> "event=bootstrap result=connected addr=" + a);
      } else {
        LOG.warning(() -> "event=bootstrap result=failed addr=" + a + " reason=\"not connected after "
            + BOOTSTRAP_WAIT.toSeconds() + " s; check the address and that the peer is running\"");
      }
    }
  }

  /**
   * A peer missed an answer. Logged when the miss starts a back-off or is forged entries (each worth a line), and
   * otherwise at most once per peer per {@link #MISS_INTERVAL}: a peer that times out on every query must not write
   * a line per query.
   */
  void missed(PeerStanding.Record r, String kind) {
    if (!LOG.isLoggable(Level.INFO)) {
      return;
    }
    boolean backoffStarts = r.backedOffUntil() != null
        && (r.consecutiveFailures() == PeerStanding.FAILURES_BEFORE_BACKOFF || kind.equals("forged"));
    long now = System.nanoTime();
    if (!backoffStarts) {
      Long last = lastMiss.getIfPresent(r.peer());
      if (last != null && now - last < MISS_INTERVAL.toNanos()) {
        return;
      }
    }
    lastMiss.put(r.peer(), now);
    LOG.log(backoffStarts ? Level.WARNING : Level.INFO, "event=peer_miss kind=" + kind + " peer=" + r.peer()
        + " platform=" + (r.platform() == null ? "unknown" : r.platform()) + " consecutive=" + r.consecutiveFailures()
        + " failures=" + r.failures() + " timeouts=" + r.timeouts() + " busy=" + r.busy() + " forged=" + r.forged()
        + " score=" + String.format(java.util.Locale.ROOT, "%.2f", r.score())
        + (r.backedOffUntil() == null ? "" : " backed_off_until=" + r.backedOffUntil())
        + " error=" + PaymentEvents.quote(r.lastError()));
  }

  @Override
  public void identified(Connection connection, PeerInfo info) {
    boolean index = info.protocols().contains(QueryWire.PROTOCOL);
    servesQueries.put(info.peerId(), index);
    String platform = standing.get(info.peerId()).platform();
    LOG.info(() -> "event=peer_joined peer=" + info.peerId() + " addr=" + connection.remoteAddress()
        + " index=" + index + " platform=" + (platform == null ? "unknown-until-first-answer" : platform)
        + " agent=" + PaymentEvents.quote(info.agentVersion())); // the peer chose it: no raw line breaks
  }

  /**
   * A connected peer pushed new protocols (identify/push). Logged when it starts or stops serving queries, at most
   * once per peer per {@link #MISS_INTERVAL}; a change held back is logged with the next push after it.
   */
  @Override
  public void updated(Connection connection, PeerInfo info) {
    boolean index = info.protocols().contains(QueryWire.PROTOCOL);
    PeerId peer = info.peerId();
    if (Boolean.valueOf(index).equals(servesQueries.getIfPresent(peer)) || !LOG.isLoggable(Level.INFO)) {
      return;
    }
    long now = System.nanoTime();
    Long last = lastUpdate.getIfPresent(peer);
    if (last != null && now - last < MISS_INTERVAL.toNanos()) {
      return;
    }
    lastUpdate.put(peer, now);
    servesQueries.put(peer, index);
    LOG.info(() -> "event=peer_updated peer=" + peer + " index=" + index + " protocols=" + info.protocols().size()
        + " agent=" + PaymentEvents.quote(info.agentVersion())); // the peer chose it: no raw line breaks
  }

  @Override
  public void disconnected(Connection connection, String reason) {
    if (LOG.isLoggable(Level.INFO)) {
      String platform = standing.get(connection.remotePeer()).platform();
      LOG.info("event=peer_left peer=" + connection.remotePeer() + " platform="
          + (platform == null ? "unknown" : platform) + " reason="
          + PaymentEvents.quote(reason));
    }
  }
}
