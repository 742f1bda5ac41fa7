package io.fedsearch.federation.p2p.crypto;

import com.google.protobuf.CodedInputStream;
import io.fedsearch.federation.p2p.wire.Protobuf;
import io.fedsearch.federation.p2p.wire.WireException;
import io.fedsearch.core.keys.NodePublicKey;
import java.io.IOException;

/**
 * The libp2p {@code PublicKey} protobuf ({@code KeyType Type = 1; bytes Data = 2}). Only Ed25519 (type 1) is
 * accepted: fedsearch nodes sign entries with Ed25519 and must verify them against the transport identity.
 */
public final class PublicKeyProto {
  public static final int ED25519 = 1;

  private PublicKeyProto() {}

  /** {@code 08 01 12 20 <32 bytes>}, the deterministic encoding js-libp2p produces. */
  public static byte[] encode(NodePublicKey key) {
    byte[] raw = key.bytes();
    return Protobuf.encode(out -> {
      out.writeEnum(1, ED25519);
      out.writeByteArray(2, raw);
    });
  }

  public static NodePublicKey decode(byte[] proto) throws WireException {
    if (proto.length > 1024) {
      throw new WireException("public key protobuf of " + proto.length + " bytes is too long");
    }
    try {
      CodedInputStream in = Protobuf.reader(proto);
      int type = -1;
      byte[] data = null;
      for (int tag; (tag = in.readTag()) != 0; ) {
        switch (tag) {
          case 8 -> type = in.readEnum();
          case 18 -> data = Protobuf.bytes(in, 1024);
          default -> in.skipField(tag);
        }
      }
      if (type != ED25519) {
        throw new WireException("unsupported libp2p key type " + type + " (only Ed25519 peers are accepted)");
      }
      if (data == null || data.length != NodePublicKey.LENGTH) {
        throw new WireException("Ed25519 public key must be 32 bytes");
      }
      try {
        return NodePublicKey.of(data);
      } catch (IllegalArgumentException e) {
        throw new WireException(e.getMessage());
      }
    } catch (WireException e) {
      throw e;
    } catch (IOException e) {
      throw new WireException("malformed public key protobuf: " + e.getMessage(), e);
    }
  }
}
