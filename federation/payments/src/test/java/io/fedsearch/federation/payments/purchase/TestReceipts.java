package io.fedsearch.federation.payments.purchase;

import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.keys.NodePublicKey;
import java.time.Instant;

/** Receipts signed as a platform signs them, for doubles of hostile peers in other packages' tests. */
public final class TestReceipts {
  private TestReceipts() {}

  public static Receipt sign(NodeKey platform, long saleId, Cid cid, long price, String channel, long claim,
      NodePublicKey holder) {
    return Receipt.sign(platform, saleId, cid, price, channel, claim, "cd".repeat(32), NodeKey.generate().publicKey(),
        Instant.now(), holder);
  }
}
