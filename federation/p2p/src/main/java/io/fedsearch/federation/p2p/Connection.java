package io.fedsearch.federation.p2p;

import io.fedsearch.federation.p2p.mss.Multistream;
import io.fedsearch.federation.p2p.mux.YamuxSession;
import io.fedsearch.federation.p2p.mux.YamuxStream;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

/** A secured, multiplexed connection to one remote peer (TCP + Noise + yamux). */
public final class Connection {
  private final Host host;
  private final Socket socket;
  private final YamuxSession session;
  private final PeerId remotePeer;
  private final NodePublicKey remoteKey;
  private final Multiaddr remoteAddress;
  private final boolean initiator;
  private final boolean earlyMuxer;
  private final Instant opened = Instant.now();

  Connection(Host host, Socket socket, YamuxSession session, PeerId remotePeer, NodePublicKey remoteKey,
      Multiaddr remoteAddress, boolean initiator, boolean earlyMuxer) {
    this.host = host;
    this.socket = socket;
    this.session = session;
    this.remotePeer = remotePeer;
    this.remoteKey = remoteKey;
    this.remoteAddress = remoteAddress;
    this.initiator = initiator;
    this.earlyMuxer = earlyMuxer;
  }

  public PeerId remotePeer() {
    return remotePeer;
  }

  /** The remote's Ed25519 identity key, proven by its Noise handshake signature. */
  public NodePublicKey remotePublicKey() {
    return remoteKey;
  }

  /** The remote's TCP address (without /p2p). */
  public Multiaddr remoteAddress() {
    return remoteAddress;
  }

  /** True when this host dialed (Noise initiator, yamux client). */
  public boolean isInitiator() {
    return initiator;
  }

  /** True when the muxer was agreed inside the Noise handshake rather than by multistream-select. */
  public boolean usedEarlyMuxer() {
    return earlyMuxer;
  }

  public Instant openedAt() {
    return opened;
  }

  public boolean isOpen() {
    return session.isOpen();
  }

  /** Yamux keepalive round-trip time, zero before the first answer. */
  public Duration rtt() {
    return Duration.ofNanos(session.rttNanos());
  }

  /** Opens a stream and negotiates {@code protocol} within the host's negotiation timeout. */
  public Stream newStream(String protocol) throws IOException {
    YamuxStream s = session.open();
    s.setReadTimeout(host.limits().negotiationTimeout().toMillis());
    try {
      Multistream.select(s.in(), s.out(), protocol);
    } catch (IOException | RuntimeException e) {
      s.reset();
      throw e;
    }
    s.setReadTimeout(0);
    return new Stream(s, this, protocol);
  }

  /**
   * Opens a stream for {@code protocol} and sends {@code message} (then half-closes) in the same frame as the
   * proposal, without waiting for the remote to accept it: multistream-select's optimistic mode, as js-libp2p and
   * rust-libp2p use when proposing a single protocol. The acceptance is read before this returns, so the caller
   * reads only the answer. A remote that refuses answers "na" and then takes the message for a malformed proposal
   * and resets: the open fails with {@link Multistream.UnsupportedProtocolException} or the reset. For protocols where the dialer
   * speaks first, and only towards peers known to read data sent after a proposal (js-libp2p 3.x resets such a
   * stream: see {@link Host#acceptsOptimisticSelect}); saves a round trip per stream.
   */
  public Stream newStreamSending(String protocol, byte[] message) throws IOException {
    return newStreamSending(protocol, message, host.limits().negotiationTimeout());
  }

  /**
   * {@link #newStreamSending(String, byte[])}, waiting up to {@code answerTimeout} for the answer: a responder
   * that reads first sends its answer with its response ({@link StreamHandler#readsFirst}), so the wait for it
   * may be as long as the request takes.
   */
  public Stream newStreamSending(String protocol, byte[] message, Duration answerTimeout) throws IOException {
    YamuxStream s = session.open();
    s.setReadTimeout(Math.max(host.limits().negotiationTimeout().toMillis(), answerTimeout.toMillis()));
    try {
      s.writeAndClose(Multistream.proposalWith(protocol, message), true); // only used towards fedsearch peers
      Multistream.awaitAccepted(s.in(), protocol);
    } catch (IOException | RuntimeException e) {
      s.reset();
      throw e;
    }
    s.setReadTimeout(0);
    return new Stream(s, this, protocol);
  }

  /**
   * As {@link #newStreamSending(String, byte[], Duration)}, without waiting for the answer: the proposal, the
   * message and the half-close go out at once, and what the remote sends back starts with its multistream answer,
   * which the caller reads ({@link Multistream#awaitAccepted}) before its own protocol's reply. For a caller that
   * reads the reply when it has arrived ({@link Stream#whenRemoteDone}) instead of parking a thread to wait for it.
   */
  public Stream newStreamSendingUnanswered(String protocol, byte[] message) throws IOException {
    YamuxStream s = session.open();
    try {
      s.writeAndClose(Multistream.proposalWith(protocol, message), true); // only used towards fedsearch peers
    } catch (IOException | RuntimeException e) {
      s.reset();
      throw e;
    }
    return new Stream(s, this, protocol);
  }

  Host host() {
    return host;
  }

  YamuxSession session() {
    return session;
  }

  Socket socket() {
    return socket;
  }

  /** Closes the connection (GoAway, then the socket). */
  public void close() {
    session.close("closed locally", false);
  }

  @Override
  public String toString() {
    return "Connection[" + (initiator ? "to " : "from ") + remotePeer + " at " + remoteAddress + "]";
  }
}
