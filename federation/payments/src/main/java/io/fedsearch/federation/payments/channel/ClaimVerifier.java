package io.fedsearch.federation.payments.channel;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.xrpl.xrpl4j.codec.addresses.KeyType;
import org.xrpl.xrpl4j.codec.addresses.UnsignedByteArray;
import org.xrpl.xrpl4j.crypto.keys.PublicKey;
import org.xrpl.xrpl4j.crypto.signing.Signature;
import org.xrpl.xrpl4j.crypto.signing.SignatureUtils;
import org.xrpl.xrpl4j.crypto.signing.bc.BcSignatureService;
import org.xrpl.xrpl4j.model.client.channels.UnsignedClaim;
import org.xrpl.xrpl4j.model.transactions.Hash256;
import org.xrpl.xrpl4j.model.transactions.Transaction;
import org.xrpl.xrpl4j.model.transactions.XrpCurrencyAmount;

/**
 * Offline verification of claim and transaction signatures. xrpl4j 4.0.3 has no public offline claim verifier, so
 * this builds the signed bytes with {@link SignatureUtils#toSignableBytes} and calls BcSignatureService's protected
 * {@code edDsaVerify}/{@code ecDsaVerify} from a subclass. Those methods are {@code synchronized}, hence one
 * instance per thread. xrpl4j's ECDSA verify throws {@link IllegalArgumentException} on a high-S or non-canonical
 * signature rather than returning false; that counts as invalid, as it does on the ledger.
 *
 * <p>Claims, the hot path of the payee, skip xrpl4j's binary codec: the claim message ({@code CLM\0 ‖ channel ‖
 * UInt64 drops}, equal byte for byte to SignatureUtils' output, as a test checks) is built directly. Ed25519 claims
 * then go straight to the same BouncyCastle verifier with the key decoded once per channel ({@link #bind}), instead
 * of re-decoding the curve point on every claim as {@code BcSignatureService} does; secp256k1 claims go through
 * {@code BcSignatureService}'s checks (canonical, low-S).
 */
public final class ClaimVerifier {
  private static final ThreadLocal<Verifier> VERIFIER = ThreadLocal.withInitial(Verifier::new);

  private ClaimVerifier() {}

  /** True when {@code claim} is signed by {@code channelKey} (the channel's PublicKey, hex with type prefix). */
  public static boolean verifies(Claim claim, PublicKey channelKey) {
    return bind(channelKey).verifies(claim);
  }

  /** A claim verifier bound to one channel key, decoded once: what the payee keeps per channel. */
  @FunctionalInterface
  public interface Bound {
    boolean verifies(Claim claim);
  }

  /**
   * Binds {@code channelKey}: an ed25519 key is decoded to a curve point now (a malformed key yields a verifier
   * that accepts nothing), so each claim costs one BouncyCastle verify over the 44-byte claim message and no key
   * decoding or key-map lookup. secp256k1 keys verify through xrpl4j's BcSignatureService over the same message.
   */
  public static Bound bind(PublicKey channelKey) {
    if (channelKey.keyType() != KeyType.ED25519) {
      return claim -> verify(channelKey, UnsignedByteArray.of(claimMessage(claim.channel(), claim.drops())),
          claim.signature());
    }
    byte[] raw = channelKey.value().toByteArray(); // 0xED prefix + 32 bytes
    if (raw.length != 33) {
      return claim -> false;
    }
    Ed25519PublicKeyParameters params;
    try {
      params = new Ed25519PublicKeyParameters(raw, 1);
    } catch (IllegalArgumentException e) {
      return claim -> false;
    }
    return claim -> verifiesEd25519(claim, params);
  }

  private static final byte[] CLM = {'C', 'L', 'M', 0};

  /** The ledger's claim message: {@code CLM\0 ‖ 32-byte channel id ‖ UInt64 big-endian drops}. */
  public static byte[] claimMessage(String channelHex, long drops) {
    return ByteBuffer.allocate(44).put(CLM).put(HexFormat.of().parseHex(channelHex)).putLong(drops).array();
  }

  private static boolean verifiesEd25519(Claim claim, Ed25519PublicKeyParameters key) {
    byte[] sig;
    try {
      sig = HexFormat.of().parseHex(claim.signature());
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (sig.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    byte[] msg = claimMessage(claim.channel(), claim.drops());
    return key.verify(Ed25519.Algorithm.Ed25519, null, msg, 0, msg.length, sig, 0);
  }

  /** As {@link #verifies} but always through xrpl4j's BcSignatureService (reference path, used by tests). */
  public static boolean verifiesViaXrpl4j(Claim claim, PublicKey channelKey) {
    UnsignedClaim unsigned = UnsignedClaim.builder()
        .channel(Hash256.of(claim.channel()))
        .amount(XrpCurrencyAmount.ofDrops(claim.drops()))
        .build();
    return verify(channelKey, SignatureUtils.getInstance().toSignableBytes(unsigned), claim.signature());
  }

  /** True when a single-signed transaction's TxnSignature is valid for its SigningPubKey. */
  public static boolean verifiesTransaction(Transaction tx) {
    if (tx.transactionSignature().isEmpty()) {
      return false;
    }
    UnsignedByteArray signable = SignatureUtils.getInstance().toSignableBytes(tx);
    return verify(tx.signingPublicKey(), signable, tx.transactionSignature().get().base16Value());
  }

  private static boolean verify(PublicKey key, UnsignedByteArray message, String signatureHex) {
    try {
      Signature sig = Signature.of(UnsignedByteArray.of(HexFormat.of().parseHex(signatureHex)));
      return VERIFIER.get().check(key, message, sig);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return false;
    }
  }

  private static final class Verifier extends BcSignatureService {
    boolean check(PublicKey key, UnsignedByteArray message, Signature sig) {
      return key.keyType() == KeyType.ED25519 ? edDsaVerify(key, message, sig) : ecDsaVerify(key, message, sig);
    }
  }
}
