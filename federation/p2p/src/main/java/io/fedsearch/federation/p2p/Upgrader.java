package io.fedsearch.federation.p2p;

import io.fedsearch.federation.p2p.crypto.NoiseHandshake;
import io.fedsearch.federation.p2p.crypto.NoiseIdentity;
import io.fedsearch.federation.p2p.crypto.SecureChannel;
import io.fedsearch.federation.p2p.mss.Multistream;
import io.fedsearch.federation.p2p.mux.YamuxSession;
import io.fedsearch.federation.p2p.wire.WireException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns a TCP socket into a {@link Connection}: multistream-select {@code /noise}, the Noise XX handshake, then
 * yamux, agreed inside the handshake (early muxer negotiation) when both sides offer it, else by
 * multistream-select over the encrypted channel. The whole upgrade runs under the handshake timeout.
 */
final class Upgrader {
  static final String NOISE = "/noise";
  /** A read during the handshake may wait at most {@code handshakeTimeout / SILENCE_SHARE}. */
  static final int SILENCE_SHARE = 4;

  private final Host host;
  private final NoiseIdentity identity;
  private final boolean offerEarlyMuxer;

  Upgrader(Host host, NoiseIdentity identity, boolean offerEarlyMuxer) {
    this.host = host;
    this.identity = identity;
    this.offerEarlyMuxer = offerEarlyMuxer;
  }

  Connection upgrade(Socket socket, boolean initiator, PeerId expected) throws IOException {
    // the read timeout bounds each read; this bounds the whole upgrade against a peer that drips bytes
    ScheduledFuture<?> deadline = host.timers().schedule(() -> {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }, host.limits().handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    try {
      return secure(socket, initiator, expected);
    } finally {
      deadline.cancel(false);
    }
  }

  private Connection secure(Socket socket, boolean initiator, PeerId expected) throws IOException {
    socket.setTcpNoDelay(true); // small request/response exchanges stall ~40 ms on Nagle + delayed ACK otherwise
    socket.setKeepAlive(true);
    // each read must progress within a quarter of the deadline: a peer that goes silent in the handshake holds one
    // of the few pending slots, so it is cut early rather than at the whole-handshake deadline
    socket.setSoTimeout((int) Math.max(1, host.limits().handshakeTimeout().toMillis() / SILENCE_SHARE));
    InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 17);
    OutputStream out = host.linkDelay().wrap(socket); // the socket's own stream unless a bench emulates a WAN
    if (initiator) {
      Multistream.select(in, out, NOISE);
    } else {
      Multistream.handle(in, out, NOISE::equals, List.of(NOISE));
    }
    NoiseHandshake.Result keys = initiator
        ? NoiseHandshake.initiate(in, out, identity, offerEarlyMuxer, expected)
        : NoiseHandshake.respond(in, out, identity, offerEarlyMuxer);
    if (keys.remotePeer().equals(host.peerId())) {
      throw new WireException("connected to ourselves");
    }
    SecureChannel channel = new SecureChannel(in, out, keys, host.limits().writeTimeout());
    boolean early = false;
    if (offerEarlyMuxer && !keys.remoteMuxers().isEmpty()) {
      if (!keys.remoteMuxers().contains(NoiseIdentity.YAMUX)) {
        throw new WireException("no common stream muxer in " + keys.remoteMuxers());
      }
      early = true;
    }
    if (!early) {
      OutputStream secureOut = channel.output();
      if (initiator) {
        Multistream.select(channel.input(), secureOut, NoiseIdentity.YAMUX);
      } else {
        Multistream.handle(channel.input(), secureOut, NoiseIdentity.YAMUX::equals, List.of(NoiseIdentity.YAMUX));
      }
    }
    socket.setSoTimeout(0); // from here liveness is the yamux keepalive's job
    AtomicReference<Connection> ref = new AtomicReference<>();
    YamuxSession session = new YamuxSession(channel, initiator, host.limits().maxStreamsPerConnection(),
        host.limits().maxStreamWindow(), s -> host.onInboundStream(ref.get(), s),
        reason -> host.onConnectionClosed(ref.get(), reason));
    Connection c = new Connection(host, socket, session, keys.remotePeer(), keys.remoteKey(),
        Multiaddr.of((InetSocketAddress) socket.getRemoteSocketAddress()), initiator, early);
    ref.set(c);
    return c;
  }
}
