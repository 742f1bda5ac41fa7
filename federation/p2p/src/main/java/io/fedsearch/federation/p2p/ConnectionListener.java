package io.fedsearch.federation.p2p;

/** Connection events of a {@link Host}. Called on internal threads: return quickly. */
public interface ConnectionListener {
  default void connected(Connection connection) {}

  default void disconnected(Connection connection, String reason) {}

  /** Identify finished: the peer store now has the remote's protocols and listen addresses. */
  default void identified(Connection connection, PeerInfo info) {}

  /**
   * The peer pushed new identify information on a connection already identified (identify/push: it started or
   * stopped serving a protocol). Not a reconnection: whatever the peer earned on this connection still holds.
   */
  default void updated(Connection connection, PeerInfo info) {}
}
