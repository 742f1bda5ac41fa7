package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.core.time.SimClock;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.net.PurchaseProtocol;
import io.fedsearch.federation.payments.payer.PayerChannels;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.payout.PayoutWire;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.federation.payments.watch.ChannelMetrics;
import io.fedsearch.core.token.AttributionToken;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * Embedded mode (no ledger), over libp2p: a purchase must name a live listing at its price; channels known only
 * from a signed create are provisional within the configured caps; a replayed PaymentChannelFund adds once.
 */
@Timeout(120)
class EmbeddedAcceptanceTest {
  static final XrplJsAudit AUDIT = new XrplJsAudit();
  static final long PRICE = 1_000_000;
  static final PaymentsConfig CONFIG = PaymentsConfig.defaults().withDiscoveryShareBps(1000)
      .withProvisionalCaps(3 * PRICE, 5 * PRICE);

  @AfterAll
  static void xrplJsVerifiesEverythingProduced() throws Exception {
    AUDIT.verify(1);
  }

  @TempDir Path dir;
  SimClock clock = new SimClock(Instant.parse("2026-03-01T00:00:00Z"));
  P2pPayments fed;
  Payments platform;
  final Cid work = Cid.ofDagCbor(DagCbor.encode(Map.of("title", "a work on sale")));
  final XrplAccountKey buyer = XrplAccountKey.generate(KeyType.ED25519);

  @BeforeEach
  void start() throws Exception {
    open();
  }

  void open() throws Exception {
    fed = new P2pPayments(dir, 2, CONFIG, clock);
    platform = fed.nodes.get(0);
    fed.list(0, work, PRICE);
  }

  @AfterEach
  void stop() {
    fed.nodes.forEach(AUDIT::collect);
    fed.close();
  }

  String token(Cid cid) {
    return AttributionToken.issue(fed.keys.get(1), cid, "q", clock.instant().minusSeconds(30), Duration.ofHours(1))
        .encode();
  }

  UserChannel channel(long drops, long sequence) {
    return UserChannel.open(buyer, platform.account().address().value(), drops, 86_400, Optional.empty(), sequence,
        12);
  }

  static void refused(ThrowingCallable call, String code, String hint) {
    assertThatThrownBy(call).isInstanceOfSatisfying(PurchaseProtocol.Refused.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).contains(hint);
    });
  }

  @Test
  void theBuyerCannotChooseTheCidOrThePrice() throws Exception {
    UserChannel ch = channel(10 * PRICE, 1);
    Cid unlisted = Cid.ofDagCbor(DagCbor.encode(Map.of("title", "not sold here")));
    refused(() -> fed.buy(0, ch.claimFor(10), unlisted, 10, token(unlisted), Optional.of(ch.createBlob())),
        "not_listed", "lists nothing under " + unlisted);
    refused(() -> fed.buy(0, ch.claimFor(10), work, 10, token(work), Optional.of(ch.createBlob())),
        "wrong_price", "costs 1000000 drops, not 10: pay the listed price");
    Receipt r = fed.buy(0, ch.pay(PRICE), work, PRICE, token(work), Optional.of(ch.createBlob()));
    assertThat(r.cid()).isEqualTo(work);
    assertThat(r.price()).isEqualTo(PRICE);
    fed.withdraw(0, work);
    refused(() -> fed.buy(0, ch.claimFor(2 * PRICE), work, PRICE, token(work), Optional.empty()),
        "not_listed", "was withdrawn");
    assertThat(platform.payee().journal(ch.id())).extracting(Claim::drops).containsExactly(PRICE);
    assertThat(platform.fees().all()).singleElement().satisfies(o -> assertThat(o.accrued()).isEqualTo(PRICE / 10));
  }

  @Test
  void unconfirmedChannelsAreProvisionalWithinCapsPerChannelAndPerPayer() throws Exception {
    UserChannel first = channel(1_000 * PRICE, 1); // the create may name any amount: nothing confirms it
    for (int i = 0; i < 3; i++) {
      fed.buy(0, first.pay(PRICE), work, PRICE, token(work), Optional.of(first.createBlob()));
    }
    refused(() -> fed.buy(0, first.claimFor(4 * PRICE), work, PRICE, token(work), Optional.empty()),
        "unconfirmed_limit", "carries at most 3000000 drops");
    UserChannel second = channel(1_000 * PRICE, 2);
    fed.buy(0, second.pay(PRICE), work, PRICE, token(work), Optional.of(second.createBlob()));
    fed.buy(0, second.pay(PRICE), work, PRICE, token(work), Optional.empty());
    refused(() -> fed.buy(0, second.claimFor(3 * PRICE), work, PRICE, token(work), Optional.empty()),
        "unconfirmed_limit", "at most 5000000 per payer");
    assertThat(platform.monitor().all()).filteredOn(m -> m.role().equals("payee")).hasSize(2)
        .allSatisfy(m -> {
          assertThat(m.confirmed()).isFalse();
          assertThat(m.warnings()).contains("unconfirmed on ledger")
              .contains("provisional: claims taken up to 3000000 drops on this channel, 5000000 per payer");
        });
    // The exposure is read back from the journal after a restart: the payer stays at its cap.
    fed.nodes.forEach(AUDIT::collect);
    fed.close();
    open();
    UserChannel third = channel(1_000 * PRICE, 3);
    refused(() -> fed.buy(0, third.pay(PRICE), work, PRICE, token(work), Optional.of(third.createBlob())),
        "unconfirmed_limit", "at most 5000000 per payer");
    assertThat(platform.fees().all()).singleElement()
        .satisfies(o -> assertThat(o.accrued()).isEqualTo(5 * PRICE / 10));
  }

  @Test
  void idleUnconfirmedChannelsAreBoundedAndTheOldestForgotten() throws Exception {
    fed.nodes.forEach(AUDIT::collect);
    fed.close();
    fed = new P2pPayments(dir, 2, CONFIG.withMaxIdleProvisionalChannels(3), clock);
    platform = fed.nodes.get(0);
    fed.list(0, work, PRICE);
    UserChannel used = channel(10 * PRICE, 1);
    fed.buy(0, used.pay(PRICE), work, PRICE, token(work), Optional.of(used.createBlob()));
    UserChannel[] idle = new UserChannel[5];
    for (int i = 0; i < idle.length; i++) { // creates presented with a claim that does not pay: channels, no value
      idle[i] = channel(10 * PRICE, 10 + i);
      UserChannel ch = idle[i];
      refused(() -> fed.buy(0, ch.claimFor(1), work, PRICE, token(work), Optional.of(ch.createBlob())),
          "underpaid", "the price is");
    }
    assertThat(platform.payee().channels()).hasSize(4); // the used one and the three newest idle ones
    assertThat(platform.payee().channel(idle[0].id())).isEmpty();
    refused(() -> fed.buy(0, idle[0].pay(PRICE), work, PRICE, token(work), Optional.empty()),
        "unknown_channel", "present its signed PaymentChannelCreate");
    fed.buy(0, idle[0].claimFor(PRICE), work, PRICE, token(work), Optional.of(idle[0].createBlob()));
    fed.buy(0, used.pay(PRICE), work, PRICE, token(work), Optional.empty());
    // after a restart the table holds no more than memory did
    fed.nodes.forEach(AUDIT::collect);
    fed.close();
    fed = new P2pPayments(dir, 2, CONFIG.withMaxIdleProvisionalChannels(3), clock);
    platform = fed.nodes.get(0);
    assertThat(platform.payee().channels()).hasSizeLessThanOrEqualTo(5)
        .extracting(v -> v.terms().id()).contains(used.id(), idle[0].id());
  }

  @Test
  void aReplayedFundAddsOnce() throws Exception {
    Payments payer = fed.nodes.get(1);
    NodeKey payerKey = fed.keys.get(1);
    NodeKey payeeKey = fed.keys.get(0);
    PayerChannels.Opened opened = payer.payer().open(platform.account().address().value(), PRICE, 86_400,
        Optional.empty(), payeeKey.publicKey().hex());
    String channel = opened.terms().id();
    PayerChannels.Action fund = payer.payer().fundNow(channel, PRICE / 2, "test top-up");
    for (int i = 0; i < 4; i++) {
      Claim claim = payer.payer().authorise(channel, 1_000);
      Map<String, Object> msg = PayoutWire.body("payout", payerKey.publicKey(), payeeKey.publicKey(), clock.instant());
      msg.put("channel", channel);
      msg.put("amount", claim.drops());
      msg.put("signature", claim.signature());
      msg.put("create", opened.createBlob());
      msg.put("fund", fund.blob());
      PayoutWire.Envelope ack = PayoutWire.open(fed.exchange(1, 0, PayoutWire.seal(payerKey, msg)),
          payerKey.publicKey(), clock.instant());
      assertThat(ack.text("status")).isEqualTo("accepted");
    }
    assertThat(platform.payee().channel(channel).orElseThrow().terms().amount()).isEqualTo(PRICE + PRICE / 2);
    fed.nodes.forEach(AUDIT::collect);
    fed.close();
    open();
    assertThat(platform.payee().channel(channel).orElseThrow().terms().amount()).isEqualTo(PRICE + PRICE / 2);
  }
}
