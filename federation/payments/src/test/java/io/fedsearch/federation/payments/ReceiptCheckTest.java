package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.core.time.SimClock;
import io.fedsearch.federation.payments.net.PurchaseProtocol;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.token.AttributionToken;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * The buyer's side of the purchase protocol (libp2p) checks that a receipt is for what it bought: a platform that
 * answers a new purchase with a genuine receipt of an earlier, cheaper one is caught.
 */
@Timeout(120)
class ReceiptCheckTest {
  static final XrplJsAudit AUDIT = new XrplJsAudit();

  @org.junit.jupiter.api.AfterAll
  static void xrplJsVerifiesEverythingProduced() throws Exception {
    AUDIT.verify(2);
  }

  @TempDir Path dir;
  SimClock clock = new SimClock(Instant.parse("2026-03-01T00:00:00Z"));
  P2pPayments fed;
  Host liar;

  @AfterEach
  void stop() {
    if (liar != null) {
      liar.stop();
    }
    fed.nodes.forEach(AUDIT::collect);
    fed.close();
  }

  @Test
  void aReceiptForAnotherPurchaseIsRefusedByTheBuyer() throws Exception {
    fed = new P2pPayments(dir, 1, PaymentsConfig.defaults(), clock);
    Payments platform = fed.nodes.get(0);
    Cid cheap = Cid.ofDagCbor(DagCbor.encode(Map.of("title", "cheap")));
    Cid dear = Cid.ofDagCbor(DagCbor.encode(Map.of("title", "dear")));
    fed.list(0, cheap, 1_000);
    fed.list(0, dear, 5_000_000);
    UserChannel ch = UserChannel.open(XrplAccountKey.generate(KeyType.ED25519),
        platform.account().address().value(), 50_000_000, 86_400, Optional.empty(), 1, 12);
    Receipt old = fed.buy(0, ch.pay(1_000), cheap, 1_000, token(cheap), Optional.of(ch.createBlob()));

    // The same platform identity on another host, answering every purchase with that old genuine receipt.
    liar = Host.builder(fed.keys.get(0)).listen("/ip4/127.0.0.1/tcp/0").dataDir(dir.resolve("liar")).build();
    new RequestResponse(liar).handle(PurchaseProtocol.PROTOCOL, PurchaseProtocol.MAX_BYTES, (from, req) -> {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("v", 1L);
      answer.put("receipt", old.encode());
      return DagCbor.encode(answer);
    });
    liar.start();
    Host buyer = Host.builder(io.fedsearch.core.keys.NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0")
        .dataDir(dir.resolve("buyer2")).build();
    buyer.start();
    try {
      buyer.dial(liar.listenAddresses().get(0));
      assertThat(old.verify()).isTrue();
      assertThatThrownBy(() -> new PurchaseProtocol(buyer).buy(liar.peerId(), ch.pay(5_000_000), dear, 5_000_000,
          token(dear), Optional.empty())).isInstanceOf(IOException.class)
          .hasMessageContaining("is not for this purchase");
    } finally {
      buyer.stop();
    }
  }

  String token(Cid cid) {
    return AttributionToken.issue(fed.keys.get(0), cid, "q", clock.instant().minusSeconds(30), Duration.ofHours(1))
        .encode();
  }
}
