package io.fedsearch.federation.payments.purchase;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.indexer.cid.Cid;
import io.fedsearch.indexer.cid.DagCbor;
import io.fedsearch.indexer.identity.NodeKey;
import io.fedsearch.indexer.identity.NodePublicKey;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A receipt's optional holder (the buyer's receipt key, for purchases through a hub) is signed with the rest: it
 * survives the wire, another holder or none breaks the signature, and a receipt without one keeps the old fields.
 */
class ReceiptHolderTest {
  final NodeKey platform = NodeKey.generate();
  final Cid cid = Cid.ofDagCbor(DagCbor.encode(Map.of("title", "a work")));
  final String channel = "AB".repeat(32);

  Receipt receipt(NodePublicKey holder) {
    return Receipt.sign(platform, 7, cid, 1_000, channel, 5_000, "cd".repeat(32), NodeKey.generate().publicKey(),
        Instant.ofEpochMilli(1_700_000_000_000L), holder);
  }

  @Test
  void theHolderIsSignedAndTravels() {
    NodePublicKey holder = NodeKey.generate().publicKey();
    Receipt r = Receipt.decode(receipt(holder).encode());
    assertThat(r.verify()).isTrue();
    assertThat(r.holder()).isEqualTo(holder);
    Receipt swapped = new Receipt(r.saleId(), r.cid(), r.price(), r.channel(), r.claimAmount(), r.tokenId(),
        r.servingNode(), r.platform(), r.at(), NodeKey.generate().publicKey(), r.signature());
    assertThat(swapped.verify()).isFalse();
    Receipt dropped = new Receipt(r.saleId(), r.cid(), r.price(), r.channel(), r.claimAmount(), r.tokenId(),
        r.servingNode(), r.platform(), r.at(), r.signature());
    assertThat(dropped.verify()).as("a holder cannot be stripped either").isFalse();
  }

  @Test
  void aReceiptWithoutHolderHasTheTenFieldsItAlwaysHad() {
    Receipt r = Receipt.decode(receipt(null).encode());
    assertThat(r.verify()).isTrue();
    assertThat(r.holder()).isNull();
    Map<?, ?> outer = (Map<?, ?>) DagCbor.decode(java.util.Base64.getUrlDecoder().decode(r.encode()));
    Map<?, ?> fields = (Map<?, ?>) outer.get("r");
    assertThat(fields).hasSize(10);
    assertThat(fields.containsKey("holder")).isFalse();
  }
}
