package io.fedsearch.indexer.identity;

import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.subtle.Ed25519Verify;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

/** A raw 32-byte Ed25519 public key: a node's (platform's) verifiable identity. Immutable. */
public final class NodePublicKey {
  public static final int LENGTH = 32;
  public static final int SIGNATURE_LENGTH = 64;

  private final byte[] raw;
  private final PublicKeyVerify verifier;

  private NodePublicKey(byte[] raw) {
    this.raw = raw;
    this.verifier = new Ed25519Verify(raw);
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
    try {
      verifier.verify(signature, data);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  public byte[] bytes() {
    return raw.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(raw);
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
