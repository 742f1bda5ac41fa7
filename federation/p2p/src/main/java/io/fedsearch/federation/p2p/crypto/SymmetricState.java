package io.fedsearch.federation.p2p.crypto;

import io.fedsearch.federation.p2p.wire.WireException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Noise SymmetricState for {@code Noise_XX_25519_ChaChaPoly_SHA256} (HKDF and hashes from the JDK). */
final class SymmetricState {
  static final byte[] PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256".getBytes(StandardCharsets.US_ASCII);

  private byte[] ck;
  private byte[] h;
  private CipherState cipher;

  SymmetricState() {
    h = PROTOCOL_NAME.clone(); // exactly 32 bytes (HASHLEN), so used as is rather than hashed
    ck = h.clone();
  }

  void mixHash(byte[] data) {
    h = sha256(h, data);
  }

  void mixKey(byte[] ikm) {
    byte[][] out = hkdf(ck, ikm);
    ck = out[0];
    cipher = new CipherState(out[1]);
  }

  byte[] encryptAndHash(byte[] plaintext) throws WireException {
    byte[] ct = cipher == null ? plaintext.clone() : cipher.encrypt(plaintext, 0, h);
    mixHash(ct);
    return ct;
  }

  byte[] decryptAndHash(byte[] ciphertext) throws WireException {
    byte[] pt = cipher == null ? ciphertext.clone() : cipher.decrypt(ciphertext, 0, h);
    mixHash(ciphertext);
    return pt;
  }

  /** {initiator→responder, responder→initiator}. */
  CipherState[] split() {
    byte[][] out = hkdf(ck, new byte[0]);
    return new CipherState[] {new CipherState(out[0]), new CipherState(out[1])};
  }

  static byte[] sha256(byte[] a, byte[] b) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(a);
      md.update(b);
      return md.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Noise HKDF with two outputs: t = HMAC(ck, ikm); o1 = HMAC(t, 0x01); o2 = HMAC(t, o1 || 0x02). */
  static byte[][] hkdf(byte[] chainingKey, byte[] ikm) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(chainingKey, "HmacSHA256"));
      byte[] temp = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(temp, "HmacSHA256"));
      byte[] o1 = mac.doFinal(new byte[] {1});
      mac.update(o1);
      byte[] o2 = mac.doFinal(new byte[] {2});
      return new byte[][] {o1, o2};
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
