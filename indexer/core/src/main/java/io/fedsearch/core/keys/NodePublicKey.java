package io.fedsearch.core.keys;

import io.fedsearch.core.sign.SigningDomain;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A raw 32-byte Ed25519 public key: a node's (platform's) verifiable identity — the one key type of the project
 * (libp2p's {@code PeerId} is derived from it; reputation, payments and signals name platforms by it). Immutable;
 * ordered by its bytes (unsigned), so sorted keys are the same on every node.
 */
public final class NodePublicKey implements Comparable<NodePublicKey> {
  public static final int LENGTH = 32;
  public static final int SIGNATURE_LENGTH = 64;

  private static final Cache<String, NodePublicKey> PARSED = Caffeine.newBuilder().maximumSize(4096).build();

  private final byte[] raw;
  private final Ed25519PublicKeyParameters verifier;
  private String hex; // computed once asked for: keys name peers and key memories on every query

  private NodePublicKey(byte[] raw) {
    this.raw = raw;
    try {
      this.verifier = new Ed25519PublicKeyParameters(raw, 0);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a valid Ed25519 public key (no point on the curve): " + hex(raw));
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  public static NodePublicKey of(byte[] raw) {
    if (raw == null || raw.length != LENGTH) {
      throw new IllegalArgumentException(
          "Ed25519 public key must be " + LENGTH + " bytes, got " + (raw == null ? "none" : raw.length));
    }
    return new NodePublicKey(raw.clone());
  }

  /**
   * Parses 64 hex digits. Keys read back by hex (journals, reputation rows) repeat a few platforms many times, so
   * parsed keys are kept (bounded): the point is decoded once per key, not once per row.
   */
  public static NodePublicKey fromHex(String hex) {
    if (hex == null) {
      throw new IllegalArgumentException("invalid public key hex: none");
    }
    NodePublicKey known = PARSED.getIfPresent(hex);
    if (known != null) {
      return known;
    }
    NodePublicKey k;
    try {
      k = of(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid public key hex: " + e.getMessage(), e);
    }
    PARSED.put(hex, k);
    return k;
  }

  @Override
  public int compareTo(NodePublicKey o) {
    return Arrays.compareUnsigned(raw, o.raw);
  }

  /** True when {@code signature} is a valid Ed25519 signature of {@code data} by this key. */
  public boolean verifies(byte[] data, byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    // BouncyCastle's RFC 8032 verifier (strict: rejects non-canonical S and small-order keys), as NodeKey signs.
    return verifier.verify(Ed25519.Algorithm.Ed25519, null, data, 0, data.length, signature, 0);
  }

  /** True when {@code signature} is this key's signature of the statement {@code body} for {@code domain}. */
  public boolean verifies(SigningDomain domain, byte[] body, byte[] signature) {
    return verifies(domain.message(body), signature);
  }

  public byte[] bytes() {
    return raw.clone();
  }

  public String hex() {
    String h = hex;
    if (h == null) { // a benign race: every thread computes the same string
      h = HexFormat.of().formatHex(raw);
      hex = h;
    }
    return h;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodePublicKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "ed25519:" + hex();
  }
}
