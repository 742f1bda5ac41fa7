package io.fedsearch.privacy;

import com.google.crypto.tink.subtle.Ed25519Sign;
import io.fedsearch.privacy.signing.RecordSigner;
import java.security.GeneralSecurityException;

/** Ed25519 signers for tests (the node supplies its own NodeKey-backed signer in production). */
public final class TestSigners {
  private TestSigners() {}

  public static RecordSigner fresh() {
    try {
      Ed25519Sign.KeyPair kp = Ed25519Sign.KeyPair.newKeyPair();
      Ed25519Sign s = new Ed25519Sign(kp.getPrivateKey());
      return RecordSigner.of(m -> {
        try {
          return s.sign(m);
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException(e);
        }
      }, kp.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
