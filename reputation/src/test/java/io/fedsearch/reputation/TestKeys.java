package io.fedsearch.reputation;

import com.google.crypto.tink.subtle.Ed25519Sign;
import io.fedsearch.privacy.signing.RecordSigner;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.security.GeneralSecurityException;

/** Ed25519 signers and platform keys for tests. */
public final class TestKeys {
  private TestKeys() {}

  public static RecordSigner signer() {
    try {
      Ed25519Sign.KeyPair kp = Ed25519Sign.KeyPair.newKeyPair();
      Ed25519Sign sign = new Ed25519Sign(kp.getPrivateKey());
      return RecordSigner.of(m -> {
        try {
          return sign.sign(m);
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException(e);
        }
      }, kp.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A deterministic platform key: the public key of the Ed25519 seed whose bytes are all {@code b}. */
  public static NodePublicKey platform(int b) {
    byte[] seed = new byte[32];
    java.util.Arrays.fill(seed, (byte) b);
    return NodeKey.fromSeed(seed).publicKey();
  }
}
