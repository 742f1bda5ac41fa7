package io.fedsearch.federation.payments.userwallet;

import io.fedsearch.core.sign.SigningDomain;
import com.google.crypto.tink.subtle.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The user's per-platform receipt keys: one Ed25519 key per platform, derived deterministically from the wallet seed
 * so that a restored or imported wallet has the same keys, and so that two platforms see unrelated keys (receipts
 * alone cannot link one user across platforms). Derivation, exactly:
 *
 * <pre>
 *   private key seed (32 bytes) = HKDF-SHA256(IKM  = the 16 bytes of XRPL seed entropy,
 *                                             salt = ASCII "fedsearch-receipt-key-v1",
 *                                             info = UTF-8 of the platform's node peer id (12D3KooW…),
 *                                             L    = 32)
 *   receipt key = the RFC 8032 Ed25519 key pair of that seed
 * </pre>
 *
 * The user proves a purchase to a platform by signing the platform's challenge with that platform's receipt key
 * ({@link #signChallenge}); the platform's receipt names the public key as its holder.
 */
public final class ReceiptKeys {
  static final byte[] SALT = "fedsearch-receipt-key-v1".getBytes(StandardCharsets.US_ASCII);
  /** Tag of challenge signatures, so a receipt key signs nothing that could mean something else. */
  static final byte[] CHALLENGE_DOMAIN = SigningDomain.RECEIPT_PROOF.tag();

  private final WalletKey root;

  public ReceiptKeys(WalletKey root) {
    this.root = root;
  }

  /** The public receipt key for {@code platform} (32 bytes, lower-case hex). */
  public String publicKeyHex(String platform) {
    return HexFormat.of().formatHex(privateKey(platform).generatePublicKey().getEncoded());
  }

  /** Signs the challenge for {@link SigningDomain#RECEIPT_PROOF} with the receipt key of {@code platform}. */
  public byte[] signChallenge(String platform, byte[] challenge) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, privateKey(platform));
    s.update(CHALLENGE_DOMAIN, 0, CHALLENGE_DOMAIN.length);
    s.update(challenge, 0, challenge.length);
    return s.generateSignature();
  }

  /** True when {@code signature} is {@code publicKeyHex}'s over the domain-separated challenge (platform side). */
  public static boolean verifiesChallenge(String publicKeyHex, byte[] challenge, byte[] signature) {
    Ed25519Signer v = new Ed25519Signer();
    v.init(false, new Ed25519PublicKeyParameters(HexFormat.of().parseHex(publicKeyHex), 0));
    v.update(CHALLENGE_DOMAIN, 0, CHALLENGE_DOMAIN.length);
    v.update(challenge, 0, challenge.length);
    return v.verifySignature(signature);
  }

  private Ed25519PrivateKeyParameters privateKey(String platform) {
    if (platform == null || platform.isBlank() || platform.length() > 128) {
      throw new IllegalArgumentException("platform peer id must be 1..128 characters");
    }
    byte[] ikm = root.entropy();
    try {
      byte[] seed = Hkdf.computeHkdf("HMACSHA256", ikm, SALT, platform.getBytes(StandardCharsets.UTF_8), 32);
      Ed25519PrivateKeyParameters k = new Ed25519PrivateKeyParameters(seed, 0);
      Arrays.fill(seed, (byte) 0);
      return k;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HKDF-SHA256 unavailable", e);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }
}
