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
 * address connected or not (within {@link #BOOTSTRAP_WAIT}), and each peer that identified or left, with its platform
 * when this node knows it. Without it, {@code node start} never said whether bootstrapping worked.
 */
final class PeerEvents implements ConnectionListener {
  static final Duration BOOTSTRAP_WAIT = Duration.ofSeconds(10);
  private static final Logger LOG = Logger.getLogger("io.fedsearch.peers");

  private final PeerStanding standing;

  private PeerEvents(PeerStanding standing) {
    this.standing = standing;
  }

  /** Logs joins and departures on {@code host}, and the outcome of each bootstrap address in the background. */
  static void watch(Host host, PeerStanding standing, List<Multiaddr> bootstrap) {
    host.addConnectionListener(new PeerEvents(standing));
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

  @Override
  public void identified(Connection connection, PeerInfo info) {
    boolean index = info.protocols().contains(QueryWire.PROTOCOL);
    String platform = standing.get(info.peerId()).platform();
    LOG.info(() -> "event=peer_joined peer=" + info.peerId() + " addr=" + connection.remoteAddress()
        + " index=" + index + " platform=" + (platform == null ? "unknown-until-first-answer" : platform)
        + " agent=\"" + info.agentVersion() + "\"");
  }

  @Override
  public void disconnected(Connection connection, String reason) {
    if (LOG.isLoggable(Level.INFO)) {
      String platform = standing.get(connection.remotePeer()).platform();
      LOG.info("event=peer_left peer=" + connection.remotePeer() + " platform=" + platform + " reason=\"" + reason
          + "\"");
    }
  }
}
