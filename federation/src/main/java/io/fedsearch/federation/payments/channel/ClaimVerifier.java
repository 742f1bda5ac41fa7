package io.fedsearch.federation.payments.channel;

import java.util.HexFormat;
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
 */
public final class ClaimVerifier {
  private static final ThreadLocal<Verifier> VERIFIER = ThreadLocal.withInitial(Verifier::new);

  private ClaimVerifier() {}

  /** True when {@code claim} is signed by {@code channelKey} (the channel's PublicKey, hex with type prefix). */
  public static boolean verifies(Claim claim, PublicKey channelKey) {
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
