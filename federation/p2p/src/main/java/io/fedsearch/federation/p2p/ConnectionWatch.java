package io.fedsearch.federation.p2p;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * What the host's timer does to open connections: keepalive pings and the write watchdog. Neither ever writes to a
 * peer on the timer thread — a ping is only queued, a close (which sends GoAway) runs on its own thread, and a
 * stalled connection is cut by closing its socket — so no peer can stop the timer, and with it the handshake
 * deadlines that run there too.
 */
final class ConnectionWatch {
  private static final Logger LOG = Logger.getLogger(ConnectionWatch.class.getName());

  private final Supplier<List<Connection>> connections;
  private final Duration writeTimeout;

  ConnectionWatch(Supplier<List<Connection>> connections, Duration writeTimeout) {
    this.connections = connections;
    this.writeTimeout = writeTimeout;
  }

  /** Pings every connection; one whose previous ping is still unanswered is closed. */
  void keepalive() {
    for (Connection c : connections.get()) {
      if (!c.session().ping()) {
        Thread.ofVirtual().name("p2p-keepalive-close")
            .start(() -> c.session().close("keepalive ping unanswered", false));
      }
    }
  }

  /**
   * A connection whose current write has sat in the socket longer than the write timeout belongs to a peer that
   * stopped reading. Closing the socket fails that write (and every writer waiting behind it) at once; the reader
   * then ends the session.
   */
  void cutStalledWriters() {
    long limit = writeTimeout.toNanos();
    for (Connection c : connections.get()) {
      if (c.session().writeStalledNanos() > limit) {
        LOG.info("closing connection to " + c.remotePeer() + ": writes stalled for more than "
            + writeTimeout.toMillis() + " ms (the peer is not reading)");
        try {
          c.socket().close();
        } catch (IOException ignored) {
          // closed already
        }
      }
    }
  }
}
