package io.fedsearch.federation.p2p.protocol;

import io.fedsearch.federation.p2p.Connection;
import io.fedsearch.federation.p2p.Stream;
import io.fedsearch.federation.p2p.crypto.PublicKeyProto;
import io.fedsearch.federation.p2p.wire.LengthPrefixed;
import io.fedsearch.federation.p2p.wire.WireException;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code /ipfs/id/1.0.0}: the responder writes one length-prefixed message and half-closes. {@code
 * /ipfs/id/push/1.0.0} (identify/push): the same message, written by the peer it describes on a stream it opens,
 * when what it serves changes; fields it leaves out are unchanged.
 */
public final class Identify {
  public static final String PROTOCOL = "/ipfs/id/1.0.0";
  public static final String PUSH_PROTOCOL = "/ipfs/id/push/1.0.0";
  public static final String PROTOCOL_VERSION = "ipfs/0.1.0";
  private static final int MAX_MESSAGES = 10;

  private Identify() {}

  /** Asks the remote; merges up to 10 messages and checks the key matches the connection's proven identity. */
  public static IdentifyMessage request(Connection connection, Duration timeout) throws IOException {
    try (Stream s = connection.newStream(PROTOCOL)) {
      s.setReadTimeout(timeout);
      return read(s, connection);
    }
  }

  public static void serve(Stream s, IdentifyMessage message) throws IOException {
    LengthPrefixed.write(s.out(), message.encode());
    s.closeWrite();
  }

  /** Tells the remote what this host is now: one message on a push stream, then half-close. */
  public static void push(Connection connection, IdentifyMessage message, Duration timeout) throws IOException {
    try (Stream s = connection.newStream(PUSH_PROTOCOL)) {
      s.setReadTimeout(timeout);
      LengthPrefixed.write(s.out(), message.encode());
      s.closeWrite();
    }
  }

  /**
   * Reads what a peer pushed about itself on {@code s} (up to 10 messages, merged), checked as {@link #request}'s
   * answer is: bounded, and a key in it must be the connection's.
   */
  public static IdentifyMessage readPush(Stream s, Duration timeout) throws IOException {
    s.setReadTimeout(timeout);
    return read(s, s.connection());
  }

  private static IdentifyMessage read(Stream s, Connection connection) throws IOException {
    IdentifyMessage merged = null;
    for (int i = 0; i < MAX_MESSAGES; i++) {
      byte[] raw = LengthPrefixed.read(s.in(), IdentifyMessage.MAX_BYTES);
      if (raw == null) {
        break;
      }
      IdentifyMessage m = IdentifyMessage.decode(raw);
      merged = merged == null ? m : merge(merged, m);
    }
    if (merged == null) {
      throw new WireException("identify: remote sent nothing");
    }
    if (merged.publicKey() != null) {
      NodePublicKey key = PublicKeyProto.decode(merged.publicKey());
      if (!key.equals(connection.remotePublicKey())) {
        throw new WireException("identify: public key differs from the connection's peer");
      }
    }
    return merged;
  }

  private static IdentifyMessage merge(IdentifyMessage a, IdentifyMessage b) {
    List<io.fedsearch.federation.p2p.Multiaddr> addrs = new ArrayList<>(new LinkedHashSet<>(concat(
        a.listenAddrs(), b.listenAddrs())));
    List<String> protos = new ArrayList<>(new LinkedHashSet<>(concat(a.protocols(), b.protocols())));
    return new IdentifyMessage(b.publicKey() != null ? b.publicKey() : a.publicKey(), addrs, protos,
        b.observedAddr() != null ? b.observedAddr() : a.observedAddr(),
        b.protocolVersion().isEmpty() ? a.protocolVersion() : b.protocolVersion(),
        b.agentVersion().isEmpty() ? a.agentVersion() : b.agentVersion());
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
