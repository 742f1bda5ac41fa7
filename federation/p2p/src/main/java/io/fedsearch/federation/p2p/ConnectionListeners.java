package io.fedsearch.federation.p2p;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The listeners of a {@link Host}'s connections, told in registration order; one that throws is logged and the
 * others are still told (a listener's bug must not cut the host's bookkeeping short).
 */
final class ConnectionListeners {
  private static final Logger LOG = Logger.getLogger(Host.class.getName());
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

  void add(ConnectionListener l) {
    listeners.add(l);
  }

  void remove(ConnectionListener l) {
    listeners.remove(l);
  }

  void connected(Connection c) {
    for (ConnectionListener l : listeners) {
      safely(() -> l.connected(c));
    }
  }

  void identified(Connection c, PeerInfo info) {
    for (ConnectionListener l : listeners) {
      safely(() -> l.identified(c, info));
    }
  }

  void updated(Connection c, PeerInfo info) {
    for (ConnectionListener l : listeners) {
      safely(() -> l.updated(c, info));
    }
  }

  void disconnected(Connection c, String reason) {
    for (ConnectionListener l : listeners) {
      safely(() -> l.disconnected(c, reason));
    }
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "connection listener failed", e);
    }
  }
}
