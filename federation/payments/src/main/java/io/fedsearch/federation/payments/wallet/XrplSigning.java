package io.fedsearch.federation.payments.wallet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.federation.payments.channel.SignedTransactions;
import java.util.Locale;
import org.xrpl.xrpl4j.codec.addresses.KeyType;
import org.xrpl.xrpl4j.codec.addresses.UnsignedByteArray;
import org.xrpl.xrpl4j.codec.binary.XrplBinaryCodec;
import org.xrpl.xrpl4j.crypto.keys.PrivateKey;
import org.xrpl.xrpl4j.crypto.signing.Signature;
import org.xrpl.xrpl4j.crypto.signing.SignatureUtils;
import org.xrpl.xrpl4j.crypto.signing.bc.BcSignatureService;
import org.xrpl.xrpl4j.model.client.channels.UnsignedClaim;
import org.xrpl.xrpl4j.model.jackson.ObjectMapperFactory;
import org.xrpl.xrpl4j.model.transactions.AccountSet;
import org.xrpl.xrpl4j.model.transactions.DidSet;
import org.xrpl.xrpl4j.model.transactions.Hash256;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelClaim;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelCreate;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelFund;
import org.xrpl.xrpl4j.model.transactions.Transaction;
import org.xrpl.xrpl4j.model.transactions.XrpCurrencyAmount;

/**
 * How an XRPL key signs, for both holders of one — the node's account ({@link XrplAccountKey}) and a user's wallet
 * ({@code userwallet.WalletKey}): xrpl4j's signer over xrpl4j's signable bytes, the blob built directly rather than
 * through {@code SingleSignedTransaction} (whose construction makes a Jackson ObjectMapper per call: tens of
 * milliseconds). The keys stay in their holders; this class only uses the one it is handed for one signature.
 */
public final class XrplSigning {
  /** The sign methods of BcSignatureService are synchronized: one signer per thread. */
  private static final ThreadLocal<Signer> SIGNER = ThreadLocal.withInitial(Signer::new);
  private static final ObjectMapper MAPPER = ObjectMapperFactory.create();

  private XrplSigning() {}

  /** Signs the ledger's claim message for {@code drops} in total over {@code channelIdHex}; upper-case hex. */
  public static String signClaim(PrivateKey key, String channelIdHex, long drops) {
    UnsignedClaim claim = UnsignedClaim.builder().channel(Hash256.of(channelIdHex))
        .amount(XrpCurrencyAmount.ofDrops(drops)).build();
    return SIGNER.get().sign(key, claim).base16Value();
  }

  /** Signs {@code unsigned} (which names the key's public half as SigningPubKey); the blob and hash are the ledger's. */
  @SuppressWarnings("unchecked")
  public static <T extends Transaction> SignedTx<T> sign(PrivateKey key, T unsigned) {
    UnsignedByteArray signable = SignatureUtils.getInstance().toSignableBytes(unsigned);
    T signed = (T) withSignature(unsigned, SIGNER.get().signBytes(key, signable));
    try {
      String blob = XrplBinaryCodec.getInstance().encode(MAPPER.writeValueAsString(signed)).toUpperCase(Locale.ROOT);
      return new SignedTx<>(signed, blob, SignedTransactions.hash(blob));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode signed transaction: " + e.getMessage(), e);
    }
  }

  private static Transaction withSignature(Transaction tx, Signature sig) {
    if (tx instanceof PaymentChannelCreate t) {
      return PaymentChannelCreate.builder().from(t).transactionSignature(sig).build();
    }
    if (tx instanceof PaymentChannelFund t) {
      return PaymentChannelFund.builder().from(t).transactionSignature(sig).build();
    }
    if (tx instanceof PaymentChannelClaim t) {
      return PaymentChannelClaim.builder().from(t).transactionSignature(sig).build();
    }
    if (tx instanceof AccountSet t) { // the outbox's no-op that fills a gap
      return AccountSet.builder().from(t).transactionSignature(sig).build();
    }
    if (tx instanceof DidSet t) { // a wallet's payment identity
      return DidSet.builder().from(t).transactionSignature(sig).build();
    }
    throw new IllegalArgumentException("cannot sign a " + tx.getClass().getSimpleName());
  }

  /** BcSignatureService with its raw-bytes signers reachable (they are protected). */
  private static final class Signer extends BcSignatureService {
    Signature signBytes(PrivateKey key, UnsignedByteArray bytes) {
      return key.keyType() == KeyType.ED25519 ? edDsaSign(key, bytes) : ecDsaSign(key, bytes);
    }
  }
}
