package io.fedsearch.indexer.identity;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import java.util.Arrays;
import java.util.HexFormat;

/** A raw 32-byte Ed25519 public key: a node's (platform's) verifiable identity. Immutable. */
public final class NodePublicKey {
  public static final int LENGTH = 32;
  public static final int SIGNATURE_LENGTH = 64;

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

  public static NodePublicKey fromHex(String hex) {
    try {
      return of(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid public key hex: " + e.getMessage(), e);
    }
  }

  /** True when {@code signature} is a valid Ed25519 signature of {@code data} by this key. */
  public boolean verifies(byte[] data, byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    // BouncyCastle's RFC 8032 verifier (strict: rejects non-canonical S and small-order keys), as NodeKey signs.
    return verifier.verify(Ed25519.Algorithm.Ed25519, null, data, 0, data.length, signature, 0);
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
