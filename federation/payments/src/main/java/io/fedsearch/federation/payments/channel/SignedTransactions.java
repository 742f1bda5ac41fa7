package io.fedsearch.federation.payments.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HexFormat;
import java.util.Locale;
import org.xrpl.xrpl4j.codec.binary.XrplBinaryCodec;
import org.xrpl.xrpl4j.crypto.HashingUtils;
import org.xrpl.xrpl4j.model.jackson.ObjectMapperFactory;
import org.xrpl.xrpl4j.model.transactions.Transaction;

/** Decoding and checking signed transaction blobs that peers present (creates, funds) or that we stored. */
public final class SignedTransactions {
  /** A signed transaction blob is at most a few hundred bytes for the types we handle; 4 KiB bounds parsing. */
  public static final int MAX_BLOB_HEX = 8192;
  private static final ObjectMapper MAPPER = ObjectMapperFactory.create();
  private static final byte[] TXN_PREFIX = {0x54, 0x58, 0x4E, 0x00};

  private SignedTransactions() {}

  /** Parses a hex blob into an xrpl4j transaction of {@code type}; throws naming what is wrong. */
  public static <T extends Transaction> T decode(String blobHex, Class<T> type) {
    if (blobHex == null || blobHex.isEmpty() || blobHex.length() > MAX_BLOB_HEX || blobHex.length() % 2 != 0) {
      throw new PaymentRejectedException(Rejection.MALFORMED,
          "signed transaction must be hex of at most " + MAX_BLOB_HEX + " characters");
    }
    try {
      String json = XrplBinaryCodec.getInstance().decode(blobHex);
      Transaction tx = MAPPER.readValue(json, Transaction.class);
      if (!type.isInstance(tx)) {
        throw new PaymentRejectedException(Rejection.MALFORMED,
            "expected a " + type.getSimpleName() + ", got " + tx.getClass().getSimpleName());
      }
      return type.cast(tx);
    } catch (JsonProcessingException | RuntimeException e) {
      if (e instanceof PaymentRejectedException p) {
        throw p;
      }
      throw new PaymentRejectedException(Rejection.MALFORMED, "cannot decode signed transaction: " + e.getMessage());
    }
  }

  /** The ledger hash of a signed blob: SHA512Half("TXN\0" ‖ blob), upper-case hex. */
  public static String hash(String blobHex) {
    byte[] blob = HexFormat.of().parseHex(blobHex);
    byte[] all = new byte[TXN_PREFIX.length + blob.length];
    System.arraycopy(TXN_PREFIX, 0, all, 0, TXN_PREFIX.length);
    System.arraycopy(blob, 0, all, TXN_PREFIX.length, blob.length);
    return HashingUtils.sha512Half(all).hexValue().toUpperCase(Locale.ROOT);
  }

  /**
   * Checks that {@code tx} is signed by the key of its own Account (no regular keys or multi-signing: the channel
   * flows we accept need neither).
   */
  public static void requireSignedByAccount(Transaction tx) {
    if (!tx.signingPublicKey().deriveAddress().equals(tx.account())) {
      throw new PaymentRejectedException(Rejection.FORGED,
          "SigningPubKey does not belong to Account " + tx.account().value() + " (regular keys are not supported)");
    }
    if (!ClaimVerifier.verifiesTransaction(tx)) {
      throw new PaymentRejectedException(Rejection.FORGED, "transaction signature does not verify for its account");
    }
  }
}
