package io.fedsearch.federation.p2p;

import io.fedsearch.federation.p2p.crypto.PublicKeyProto;
import io.fedsearch.federation.p2p.wire.WireException;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cid.Multibase;
import io.fedsearch.core.keys.NodePublicKey;
import java.util.Arrays;
import java.util.Optional;

/**
 * A libp2p peer id: the multihash of the peer's PublicKey protobuf (identity multihash for keys up to 42 bytes, so
 * always for Ed25519, else sha2-256). Text form: base58btc without a multibase prefix ({@code 12D3KooW…}); the
 * CIDv1 form ({@code bafz…}, codec libp2p-key) is accepted on input.
 */
public final class PeerId implements Comparable<PeerId> {
  /** The longest peer id accepted (a sha2-256 multihash is 34 bytes, an Ed25519 identity multihash 38). */
  public static final int MAX_BYTES = 64;

  private static final int LIBP2P_KEY_CODEC = 0x72;
  private final byte[] bytes;
  /** Peer ids key every per-peer map on the query path: hashed once, not per lookup. */
  private final int hash;
  private volatile Optional<NodePublicKey> key; // lazily parsed from bytes; null until first asked

  private PeerId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  public static PeerId of(NodePublicKey key) {
    byte[] proto = PublicKeyProto.encode(key);
    byte[] mh = new byte[2 + proto.length];
    mh[0] = 0x00;
    mh[1] = (byte) proto.length;
    System.arraycopy(proto, 0, mh, 2, proto.length);
    return new PeerId(mh);
  }

  /** Parses the binary multihash form. */
  public static PeerId fromBytes(byte[] multihash) {
    if (multihash == null || multihash.length < 3 || multihash.length > MAX_BYTES) {
      throw new IllegalArgumentException("peer id must be 3.." + MAX_BYTES + " bytes");
    }
    int code = multihash[0] & 0xFF;
    int len = multihash[1] & 0xFF;
    if ((code != 0x00 && code != 0x12) || len != multihash.length - 2 || len >= 0x80) {
      throw new IllegalArgumentException("peer id is not an identity or sha2-256 multihash");
    }
    if (code == 0x12 && len != 32) {
      throw new IllegalArgumentException("sha2-256 peer id must carry 32 bytes");
    }
    return new PeerId(multihash.clone());
  }

  /** Parses {@code 12D3KooW…} / {@code Qm…} (base58btc) or a CIDv1 ({@code bafz…}). */
  public static PeerId parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 128) {
      throw new IllegalArgumentException("invalid peer id: empty or too long");
    }
    try {
      if (text.startsWith("1") || text.startsWith("Qm")) {
        return fromBytes(Multibase.decodeBase58btc(text));
      }
      Cid cid = Cid.parse(text);
      if (cid.version() != 1 || cid.codec() != LIBP2P_KEY_CODEC) {
        throw new IllegalArgumentException("CID is not a libp2p-key CIDv1");
      }
      return fromBytes(cid.multihash());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid peer id '" + text + "': " + e.getMessage(), e);
    }
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** The Ed25519 key embedded in an identity-multihash peer id, if any. */
  public Optional<NodePublicKey> publicKey() {
    Optional<NodePublicKey> k = key;
    if (k == null) { // parsed once: validating the point costs as much as half a signature check
      k = parseKey();
      key = k;
    }
    return k;
  }

  private Optional<NodePublicKey> parseKey() {
    if (bytes[0] != 0x00) {
      return Optional.empty();
    }
    try {
      return Optional.of(PublicKeyProto.decode(Arrays.copyOfRange(bytes, 2, bytes.length)));
    } catch (WireException e) {
      return Optional.empty();
    }
  }

  public String toBase58() {
    return Multibase.base58btc(bytes);
  }

  @Override
  public String toString() {
    return toBase58();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && (other == this || other.hash == hash && Arrays.equals(bytes, other.bytes));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(PeerId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }
}
