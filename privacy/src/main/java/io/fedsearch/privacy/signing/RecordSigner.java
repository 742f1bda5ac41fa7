package io.fedsearch.privacy.signing;

import java.util.function.UnaryOperator;

/**
 * Signs records (signal releases, reputation attestations) with the node's Ed25519 identity. The key itself stays
 * with whoever implements this (the node's Tink keyset); this module sees only signatures and the public key.
 */
public interface RecordSigner {
  /** Ed25519 signature (64 bytes) over {@code message}. */
  byte[] sign(byte[] message);

  /** The raw 32-byte Ed25519 public key that verifies {@link #sign}. */
  byte[] publicKey();

  /** Adapts a signing function and its public key (e.g. {@code RecordSigner.of(nodeKey::sign, pub)}). */
  static RecordSigner of(UnaryOperator<byte[]> sign, byte[] publicKey) {
    byte[] pub = publicKey.clone();
    return new RecordSigner() {
      @Override
      public byte[] sign(byte[] message) {
        return sign.apply(message);
      }

      @Override
      public byte[] publicKey() {
        return pub.clone();
      }
    };
  }
}
