package io.fedsearch.core.keys;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 signing with one private key, on the fastest implementation that proves itself on this machine: AWS-LC
 * (through the Amazon Corretto Crypto Provider, whose native library ships for Linux x86-64) where it loads, else
 * BouncyCastle. Ed25519 signatures are deterministic, so both give the same bytes; AWS-LC is used only after it has
 * signed a probe message exactly as BouncyCastle does with this key. Signing is most of what an import costs
 * (9 µs a signature with AWS-LC against 33 µs with BouncyCastle here), which is why this class exists.
 *
 * <p>AWS-LC buffers the whole message of a one-shot Ed25519 signature and refuses more than 1 MiB ({@code Invalid
 * capacity}); a message longer than {@link #NATIVE_MAX_MESSAGE} is therefore signed by BouncyCastle, which has no
 * limit, so no caller sees a size cliff. The provider is used through its instance only: it is never registered
 * with {@code java.security.Security}, so no other primitive of the JVM (SecureRandom above all) changes under it.
 */
final class Ed25519Signing {
  /** Signs with one key; safe to call from any number of threads. */
  interface Signer {
    byte[] sign(byte[] data);

    /** Which implementation signs ("aws-lc" or "bouncycastle"). */
    String implementation();
  }

  /** DER prefix of a PKCS#8 Ed25519 private key (RFC 8410) before its 32-byte seed. */
  private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
  /** Longest message signed natively; longer ones go to BouncyCastle (AWS-LC refuses more than 1 MiB). */
  static final int NATIVE_MAX_MESSAGE = 64 * 1024;
  private static final byte[] PROBE = "fedsearch ed25519 probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private Ed25519Signing() {}

  static Signer forSeed(byte[] seed) {
    Ed25519PrivateKeyParameters bc = new Ed25519PrivateKeyParameters(seed, 0);
    Signer bouncy = new Signer() {
      @Override
      public byte[] sign(byte[] data) {
        byte[] sig = new byte[NodePublicKey.SIGNATURE_LENGTH];
        bc.sign(Ed25519.Algorithm.Ed25519, null, data, 0, data.length, sig, 0);
        return sig;
      }

      @Override
      public String implementation() {
        return "bouncycastle";
      }
    };
    Signer native_ = awsLc(seed);
    if (native_ != null && Arrays.equals(native_.sign(PROBE), bouncy.sign(PROBE))) {
      return new Signer() {
        @Override
        public byte[] sign(byte[] data) {
          return data.length <= NATIVE_MAX_MESSAGE ? native_.sign(data) : bouncy.sign(data);
        }

        @Override
        public String implementation() {
          return native_.implementation();
        }
      };
    }
    return bouncy;
  }

  /** An AWS-LC signer, or null when the provider or its native library is unavailable here. */
  private static Signer awsLc(byte[] seed) {
    try {
      AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
      if (provider.getLoadingError() != null) {
        return null;
      }
      byte[] pkcs8 = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + seed.length);
      System.arraycopy(seed, 0, pkcs8, PKCS8_PREFIX.length, seed.length);
      PrivateKey key;
      try {
        key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } finally {
        Arrays.fill(pkcs8, (byte) 0);
      }
      // JCA Signature objects are stateful: one per thread, each initialised once with the key.
      ThreadLocal<Signature> signatures = ThreadLocal.withInitial(() -> {
        try {
          Signature s = Signature.getInstance("Ed25519", provider);
          s.initSign(key);
          return s;
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("AWS-LC Ed25519 signer unavailable", e);
        }
      });
      signatures.get(); // fail here, not on first use, if the provider cannot take the key
      return new Signer() {
        @Override
        public byte[] sign(byte[] data) {
          Signature s = signatures.get();
          try {
            s.update(data);
            return s.sign();
          } catch (GeneralSecurityException | RuntimeException e) {
            // A failed update may leave part of the message buffered: never reuse this thread's Signature.
            signatures.remove();
            throw new IllegalStateException("Ed25519 signing failed", e);
          }
        }

        @Override
        public String implementation() {
          return "aws-lc";
        }
      };
    } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
      return null; // no provider class, no native library for this platform, or a key it refuses: BouncyCastle
    }
  }
}
