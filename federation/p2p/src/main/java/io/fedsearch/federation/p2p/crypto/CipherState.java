package io.fedsearch.federation.p2p.crypto;

import com.google.crypto.tink.aead.internal.InsecureNonceChaCha20Poly1305;
import com.google.crypto.tink.aead.internal.InsecureNonceChaCha20Poly1305Jce;
import io.fedsearch.federation.p2p.wire.WireException;
import java.security.GeneralSecurityException;

/**
 * Noise CipherState for ChaChaPoly: a 32-byte key and a 64-bit counter used as the nonce
 * ({@code 00 00 00 00 || uint64_le(n)}). The JDK's ChaCha20-Poly1305 does the cipher when present (it is on
 * every JDK we run on), Tink's portable explicit-nonce implementation otherwise. Not thread-safe: each direction has its own instance, used under one lock.
 */
public final class CipherState {
  public static final int TAG = 16;
  private static final byte[] EMPTY = new byte[0];

  private interface Aead {
    byte[] encrypt(byte[] nonce, byte[] plaintext, int offset, byte[] ad) throws GeneralSecurityException;

    byte[] decrypt(byte[] nonce, byte[] ciphertext, int offset, byte[] ad) throws GeneralSecurityException;
  }

  private final Aead aead;
  private final byte[] nonce = new byte[12];
  private long n;

  CipherState(byte[] key) {
    try {
      if (InsecureNonceChaCha20Poly1305Jce.isSupported()) {
        aead = new JdkAead(key);
      } else {
        InsecureNonceChaCha20Poly1305 portable = new InsecureNonceChaCha20Poly1305(key);
        aead = new Aead() {
          @Override
          public byte[] encrypt(byte[] nonce, byte[] pt, int offset, byte[] ad) throws GeneralSecurityException {
            byte[] ct = portable.encrypt(nonce, pt, ad);
            byte[] out = new byte[offset + ct.length];
            System.arraycopy(ct, 0, out, offset, ct.length);
            return out;
          }

          @Override
          public byte[] decrypt(byte[] nonce, byte[] ct, int offset, byte[] ad) throws GeneralSecurityException {
            return portable.decrypt(nonce, java.util.Arrays.copyOfRange(ct, offset, ct.length), ad);
          }
        };
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 unavailable", e);
    }
  }

  /**
   * The JDK's ChaCha20-Poly1305 with one {@link javax.crypto.Cipher} kept per direction: Tink's JCE wrapper looks a
   * cipher up for every message (it must be thread-safe), which showed in profiles of small query frames. This
   * instance is confined to its direction's lock; each message re-initialises it with the next nonce.
   */
  private static final class JdkAead implements Aead {
    private final javax.crypto.Cipher cipher;
    private final javax.crypto.spec.SecretKeySpec key;

    JdkAead(byte[] key) throws GeneralSecurityException {
      this.cipher = javax.crypto.Cipher.getInstance("ChaCha20-Poly1305");
      this.key = new javax.crypto.spec.SecretKeySpec(key, "ChaCha20");
    }

    @Override
    public byte[] encrypt(byte[] nonce, byte[] pt, int offset, byte[] ad) throws GeneralSecurityException {
      cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, key, new javax.crypto.spec.IvParameterSpec(nonce));
      cipher.updateAAD(ad);
      byte[] out = new byte[offset + pt.length + TAG];
      int n = cipher.doFinal(pt, 0, pt.length, out, offset);
      if (n != pt.length + TAG) {
        throw new GeneralSecurityException("unexpected ciphertext length " + n);
      }
      return out;
    }

    @Override
    public byte[] decrypt(byte[] nonce, byte[] ct, int offset, byte[] ad) throws GeneralSecurityException {
      cipher.init(javax.crypto.Cipher.DECRYPT_MODE, key, new javax.crypto.spec.IvParameterSpec(nonce));
      cipher.updateAAD(ad);
      return cipher.doFinal(ct, offset, ct.length - offset);
    }
  }

  private byte[] nextNonce() throws WireException {
    if (n == -1L) { // 2^64-1 is reserved by Noise; the connection must be closed before
      throw new WireException("noise nonce exhausted");
    }
    long v = n++;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (v >>> (8 * i));
    }
    return nonce;
  }

  /** Encrypts {@code plaintext} into a new array whose first {@code offset} bytes are left for a frame header. */
  public byte[] encrypt(byte[] plaintext, int offset, byte[] ad) throws WireException {
    try {
      return aead.encrypt(nextNonce(), plaintext, offset, ad == null ? EMPTY : ad);
    } catch (GeneralSecurityException e) {
      throw new WireException("noise encryption failed", e);
    }
  }

  /** Decrypts {@code ciphertext[offset..]}; a bad tag is hostile or corrupt input. */
  public byte[] decrypt(byte[] ciphertext, int offset, byte[] ad) throws WireException {
    try {
      return aead.decrypt(nextNonce(), ciphertext, offset, ad == null ? EMPTY : ad);
    } catch (GeneralSecurityException e) {
      throw new WireException("noise decryption failed (bad tag)", e);
    }
  }
}
