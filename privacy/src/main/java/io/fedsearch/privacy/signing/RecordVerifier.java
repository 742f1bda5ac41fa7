package io.fedsearch.privacy.signing;

import com.google.crypto.tink.subtle.Ed25519Verify;
import java.security.GeneralSecurityException;

/** Checks Ed25519 signatures made by a {@link RecordSigner}. */
public final class RecordVerifier {
  private RecordVerifier() {}

  /** True when {@code signature} is {@code publicKey}'s valid Ed25519 signature over {@code message}. */
  public static boolean verifies(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null || publicKey.length != 32 || signature == null || signature.length != 64) {
      return false;
    }
    try {
      new Ed25519Verify(publicKey).verify(signature, message);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
