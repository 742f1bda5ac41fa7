package io.fedsearch.federation.p2p.protocol;

import com.google.protobuf.CodedInputStream;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.p2p.wire.Protobuf;
import io.fedsearch.federation.p2p.wire.WireException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The identify message: {@code publicKey = 1, listenAddrs = 2, protocols = 3, observedAddr = 4,
 * protocolVersion = 5, agentVersion = 6} ({@code signedPeerRecord = 8} is neither sent nor checked). Addresses we
 * cannot parse (other transports) are skipped.
 */
public record IdentifyMessage(byte[] publicKey, List<Multiaddr> listenAddrs, List<String> protocols,
    Multiaddr observedAddr, String protocolVersion, String agentVersion) {
  public static final int MAX_BYTES = 8192;
  private static final Logger LOG = Logger.getLogger(IdentifyMessage.class.getName());

  public byte[] encode() {
    return Protobuf.encode(out -> {
      // Fields left empty are left out: in a push, a missing field means "unchanged".
      if (!protocolVersion.isEmpty()) {
        out.writeString(5, protocolVersion);
      }
      if (!agentVersion.isEmpty()) {
        out.writeString(6, agentVersion);
      }
      if (publicKey != null) {
        out.writeByteArray(1, publicKey);
      }
      for (Multiaddr a : listenAddrs) {
        out.writeByteArray(2, a.withoutPeerId().bytes());
      }
      if (observedAddr != null) {
        out.writeByteArray(4, observedAddr.bytes());
      }
      for (String p : protocols) {
        out.writeString(3, p);
      }
    });
  }

  /** Decodes one message; repeated fields of several messages are merged by the caller. */
  public static IdentifyMessage decode(byte[] data) throws WireException {
    if (data.length > MAX_BYTES) {
      throw new WireException("identify message of " + data.length + " bytes exceeds " + MAX_BYTES);
    }
    byte[] key = null;
    List<Multiaddr> addrs = new ArrayList<>();
    List<String> protocols = new ArrayList<>();
    Multiaddr observed = null;
    String pv = "";
    String av = "";
    try {
      CodedInputStream in = Protobuf.reader(data);
      for (int tag; (tag = in.readTag()) != 0; ) {
        switch (tag) {
          case 10 -> key = Protobuf.bytes(in, 1024);
          case 18 -> parseAddr(Protobuf.bytes(in, Multiaddr.MAX_BYTES), addrs);
          case 26 -> protocols.add(new String(Protobuf.bytes(in, 1024), StandardCharsets.UTF_8));
          case 34 -> {
            List<Multiaddr> one = new ArrayList<>();
            parseAddr(Protobuf.bytes(in, Multiaddr.MAX_BYTES), one);
            observed = one.isEmpty() ? null : one.get(0);
          }
          case 42 -> pv = new String(Protobuf.bytes(in, 256), StandardCharsets.UTF_8);
          case 50 -> av = new String(Protobuf.bytes(in, 256), StandardCharsets.UTF_8);
          default -> in.skipField(tag);
        }
      }
    } catch (WireException e) {
      throw e;
    } catch (IOException e) {
      throw new WireException("malformed identify message: " + e.getMessage(), e);
    }
    return new IdentifyMessage(key, addrs, protocols, observed, pv, av);
  }

  private static void parseAddr(byte[] raw, List<Multiaddr> out) {
    try {
      out.add(Multiaddr.fromBytes(raw));
    } catch (IllegalArgumentException e) {
      LOG.fine("identify: skipped address: " + e.getMessage());
    }
  }
}
