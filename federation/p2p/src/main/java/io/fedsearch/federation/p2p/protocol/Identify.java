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

/** {@code /ipfs/id/1.0.0}: the responder writes one length-prefixed message and half-closes. */
public final class Identify {
  public static final String PROTOCOL = "/ipfs/id/1.0.0";
  public static final String PROTOCOL_VERSION = "ipfs/0.1.0";
  private static final int MAX_MESSAGES = 10;

  private Identify() {}

  /** Asks the remote; merges up to 10 messages and checks the key matches the connection's proven identity. */
  public static IdentifyMessage request(Connection connection, Duration timeout) throws IOException {
    try (Stream s = connection.newStream(PROTOCOL)) {
      s.setReadTimeout(timeout);
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
  }

  public static void serve(Stream s, IdentifyMessage message) throws IOException {
    LengthPrefixed.write(s.out(), message.encode());
    s.closeWrite();
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
