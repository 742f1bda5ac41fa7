package io.fedsearch.federation.payments;

import io.fedsearch.core.time.SimClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.channel.Rejection;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.federation.payments.payout.Netting;
import io.fedsearch.federation.payments.payout.PayoutService;
import io.fedsearch.federation.payments.payout.PayoutWire;
import io.fedsearch.federation.payments.purchase.PaymentEvent;
import io.fedsearch.federation.payments.purchase.PurchaseService;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.token.AttributionToken;
import io.fedsearch.federation.wire.WireFuzz;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/** Purchases with attribution tokens, discovery fees, batched payouts over the payout protocol, netting. */
@Timeout(90)
class PurchasesAndPayoutsTest {
  static final XrplJsAudit AUDIT = new XrplJsAudit();

  @AfterAll
  static void xrplJsVerifiesEverythingProduced() throws Exception {
    AUDIT.verify(30);
  }

  @TempDir Path dir;
  SimClock clock = new SimClock(Instant.parse("2026-03-01T00:00:00Z"));
  Federation fed;
  Payments a;
  Payments b;
  NodeKey keyA;
  NodeKey keyB;
  final List<PaymentEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    PaymentsConfig cfg = PaymentsConfig.defaults().withDiscoveryShareBps(1000)
        .withPayoutBatching(10_000, Duration.ofHours(1));
    fed = new Federation(dir, 2, cfg, clock);
    a = fed.nodes.get(0);
    b = fed.nodes.get(1);
    keyA = fed.keys.get(0);
    keyB = fed.keys.get(1);
    a.purchases().addListener(events::add);
  }

  @AfterEach
  void close() {
    fed.nodes.forEach(AUDIT::collect);
    fed.close();
  }

  static Cid cid(String s) {
    return Cid.ofDagCbor(DagCbor.encode(Map.of("title", s)));
  }

  UserChannel userChannelTo(Payments platform, int seq) {
    return UserChannel.open(XrplAccountKey.generate(KeyType.ED25519), platform.account().address().value(),
        100_000_000, 86_400, Optional.empty(), seq, 12);
  }

  String token(NodeKey server, Cid cid) {
    return AttributionToken.issue(server, cid, "some query", clock.instant().minusSeconds(30), Duration.ofHours(1))
        .encode();
  }

  Receipt buy(Payments platform, UserChannel ch, Cid cid, long price, NodeKey server, boolean first) {
    fed.list(platform, cid, price);
    return platform.purchases().purchase(new PurchaseService.Request(ch.pay(price), cid, price, token(server, cid),
        first ? Optional.of(ch.createBlob()) : Optional.empty()));
  }

  /** A user buys for {@code onA} drops on A (served by B) and another for {@code onB} on B (served by A). */
  void owe(long onA, long onB) {
    buy(a, userChannelTo(a, 1), cid("a1"), onA, keyB, true);
    buy(b, userChannelTo(b, 2), cid("b1"), onB, keyA, true);
  }

  static void rejected(ThrowingCallable call, Rejection reason, String hint) {
    assertThatThrownBy(call).isInstanceOfSatisfying(PaymentRejectedException.class, e -> {
      assertThat(e.reason()).isEqualTo(reason);
      assertThat(e.getMessage()).contains(hint);
    });
  }

  @Test
  void purchaseReturnsSignedReceiptAccruesFeeAndTellsListeners() {
    UserChannel ch = userChannelTo(a, 1);
    Cid work = cid("w1");
    Receipt r = buy(a, ch, work, 50_000, keyB, true);
    assertThat(r.verify()).isTrue();
    Receipt wire = Receipt.decode(r.encode());
    assertThat(wire.verify()).isTrue();
    assertThat(wire.cid()).isEqualTo(work);
    assertThat(wire.servingNode()).isEqualTo(keyB.publicKey());
    assertThat(wire.platform()).isEqualTo(keyA.publicKey());
    assertThat(wire.claimAmount()).isEqualTo(50_000);
    assertThat(a.fees().of(keyB.publicKey()).orElseThrow().due()).isEqualTo(5_000);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.priceDrops()).isEqualTo(50_000);
      assertThat(e.servingNode()).isEqualTo(keyB.publicKey().hex());
      assertThat(e.payer()).isEqualTo(ch.key().address().value());
      assertThat(e.discoveryFeeDrops()).isEqualTo(5_000);
    });
  }

  @Test
  void tokenForgedExpiredMismatchedAndReused() {
    UserChannel ch = userChannelTo(a, 1);
    a.payee().learnChannel(ch.createBlob(), null);
    Cid work = cid("w2");
    fed.list(a, work, 100);
    fed.list(a, cid("other"), 100);
    // forged: claims to be node B's token but is signed by someone else
    AttributionToken.Signed real = AttributionToken.issue(keyB, work, "q", clock.instant(), Duration.ofHours(1));
    String forged = new AttributionToken.Signed(real.token(), NodeKey.generate().sign(new byte[] {1})).encode();
    rejected(() -> a.purchases().purchase(new PurchaseService.Request(ch.claimFor(100), work, 100, forged,
        Optional.empty())), Rejection.TOKEN_FORGED, "does not verify");
    rejected(() -> a.purchases().purchase(new PurchaseService.Request(ch.claimFor(100), work, 100, "garbage!",
        Optional.empty())), Rejection.TOKEN_FORGED, "malformed");
    String expired = AttributionToken.issue(keyB, work, "q", clock.instant().minus(Duration.ofHours(2)),
        Duration.ofHours(1)).encode();
    rejected(() -> a.purchases().purchase(new PurchaseService.Request(ch.claimFor(100), work, 100, expired,
        Optional.empty())), Rejection.TOKEN_EXPIRED, "search again");
    rejected(() -> a.purchases().purchase(new PurchaseService.Request(ch.claimFor(100), cid("other"), 100,
        real.encode(), Optional.empty())), Rejection.TOKEN_CID_MISMATCH, "not ");
    a.purchases().purchase(new PurchaseService.Request(ch.claimFor(100), work, 100, real.encode(),
        Optional.empty()));
    rejected(() -> a.purchases().purchase(new PurchaseService.Request(ch.claimFor(200), work, 100, real.encode(),
        Optional.empty())), Rejection.TOKEN_REUSED, "already used");
    // one payer replaying a token is refused but does not hold node B's payouts (else any user could freeze them)
    assertThat(a.fees().of(keyB.publicKey()).orElseThrow().heldReason()).isEmpty();
    // the same token replayed by two more payers: B's tokens are being handed around; its payouts are held
    // (only payers who are paying count: each has bought before and presents a claim that would pay)
    for (int i = 0; i < 2; i++) {
      UserChannel other = userChannelTo(a, 1);
      a.payee().learnChannel(other.createBlob(), null);
      a.purchases().purchase(new PurchaseService.Request(other.claimFor(100), work, 100,
          AttributionToken.issue(keyB, work, "q", clock.instant().minusSeconds(30), Duration.ofHours(1)).encode(),
          Optional.empty()));
      rejected(() -> a.purchases().purchase(new PurchaseService.Request(other.claimFor(200), work, 100, real.encode(),
          Optional.empty())), Rejection.TOKEN_REUSED, "already used");
    }
    FeeBook.Owed owed = a.fees().of(keyB.publicKey()).orElseThrow();
    assertThat(owed.heldReason()).hasValueSatisfying(r -> assertThat(r).contains("replayed by 3 payers"));
    assertThat(a.payouts().pay(keyB.publicKey()).status()).isEqualTo("held");
    // a rejected purchase does not use up the token: a failing claim leaves the token usable
    AttributionToken.Signed t2 = AttributionToken.issue(keyB, work, "q", clock.instant(), Duration.ofHours(1));
    rejected(() -> a.purchases().purchase(new PurchaseService.Request(ch.claimFor(100), work, 100, t2.encode(),
        Optional.empty())), Rejection.REPLAYED, "already accepted");
    a.purchases().purchase(new PurchaseService.Request(ch.claimFor(200), work, 100, t2.encode(), Optional.empty()));
  }

  @Test
  void feesArePaidInBatchesOverAChannelAndJournaledByTheNode() {
    UserChannel ch = userChannelTo(a, 1);
    buy(a, ch, cid("x"), 40_000, keyB, true); // fee 4,000 < batch minimum 10,000
    assertThat(a.payouts().runDue()).isEmpty();
    buy(a, ch, cid("y"), 70_000, keyB, false); // fee total 11,000
    List<PayoutService.Payout> paid = a.payouts().runDue();
    assertThat(paid).singleElement().satisfies(p -> {
      assertThat(p.status()).isEqualTo("paid");
      assertThat(p.amount()).isEqualTo(11_000);
      assertThat(p.cumulative()).isEqualTo(11_000);
    });
    String channel = paid.get(0).channel();
    assertThat(b.payee().channel(channel).orElseThrow().best()).isEqualTo(11_000);
    assertThat(b.payee().journal(channel)).extracting(Claim::drops).containsExactly(11_000L);
    assertThat(a.fees().of(keyB.publicKey()).orElseThrow().due()).isZero();
    // a small fee waits until it is an hour old, then goes as the next cumulative claim over the same channel
    buy(a, ch, cid("z"), 20_000, keyB, false);
    assertThat(a.payouts().runDue()).isEmpty();
    clock.advance(Duration.ofMinutes(61));
    assertThat(a.payouts().runDue()).singleElement().satisfies(p -> {
      assertThat(p.channel()).isEqualTo(channel);
      assertThat(p.amount()).isEqualTo(2_000);
      assertThat(p.cumulative()).isEqualTo(13_000);
    });
    assertThat(b.payee().channel(channel).orElseThrow().best()).isEqualTo(13_000);
    assertThat(a.payouts().history(10)).hasSize(2);
  }

  @Test
  void nettingOffsetsMutualDebtsSoOnlyTheNetMoves() throws Exception {
    owe(80_000, 30_000); // A owes B 8,000; B owes A 3,000
    Netting.Result r = a.payouts().net(keyB.publicKey());
    assertThat(r.weOwed()).isEqualTo(8_000);
    assertThat(r.theyOwed()).isEqualTo(3_000);
    assertThat(r.offset()).isEqualTo(3_000);
    assertThat(r.saving()).isEqualTo(6_000);
    assertThat(a.fees().of(keyB.publicKey()).orElseThrow().due()).isEqualTo(5_000);
    assertThat(b.fees().of(keyA.publicKey()).orElseThrow().due()).isZero();
    assertThat(b.netting().history()).singleElement().satisfies(h -> assertThat(h.offset()).isEqualTo(3_000));
    clock.advance(Duration.ofHours(2));
    assertThat(a.payouts().runDue()).singleElement().satisfies(p -> assertThat(p.amount()).isEqualTo(5_000));
    assertThat(b.payouts().runDue()).isEmpty();
    // nothing left to offset: a second netting changes nothing
    assertThat(a.payouts().net(keyB.publicKey()).offset()).isZero();
  }

  @Test
  void aLostNettingAcknowledgementIsRecoveredWithoutOffsettingTwice() throws Exception {
    owe(80_000, 30_000); // A owes B 8,000; B owes A 3,000
    fed.loseResponseAfter.set(1); // the proposal goes through; B records the confirm but its answer is lost
    assertThatThrownBy(() -> a.payouts().net(keyB.publicKey())).hasMessageContaining("response lost");
    assertThat(b.netting().history()).singleElement().satisfies(h -> assertThat(h.offset()).isEqualTo(3_000));
    assertThat(a.netting().history()).isEmpty();
    assertThat(a.fees().of(keyB.publicKey()).orElseThrow().due()).isEqualTo(8_000);

    // The next round sends the same confirm again; B acknowledges it again without recording it twice.
    Netting.Result r = a.payouts().net(keyB.publicKey());
    assertThat(r.offset()).isEqualTo(3_000);
    assertThat(a.fees().of(keyB.publicKey()).orElseThrow().due()).isEqualTo(5_000);
    assertThat(b.fees().of(keyA.publicKey()).orElseThrow().due()).isZero();
    assertThat(b.netting().history()).hasSize(1);
    assertThat(a.netting().history()).singleElement().satisfies(h -> assertThat(h.offset()).isEqualTo(3_000));
    assertThat(a.payouts().net(keyB.publicKey()).offset()).isZero();
  }

  @Test
  void aMalformedNettingStatementIsNamedAndNothingIsOffset() throws Exception {
    owe(80_000, 30_000); // A owes B 8,000; B owes A 3,000
    // B signs its statement, but with a field of the wrong type: first the nonce missing, then "a" as a number.
    for (String field : List.of("nonce", "a")) {
      fed.rewrite = response -> {
        PayoutWire.Envelope st = PayoutWire.open(response, keyA.publicKey(), clock.instant());
        Map<String, Object> body = new java.util.LinkedHashMap<>(st.body());
        if (field.equals("nonce")) {
          body.remove("nonce");
        } else {
          body.put("a", 7L);
        }
        return PayoutWire.seal(keyB, body);
      };
      assertThatThrownBy(() -> a.payouts().net(keyB.publicKey())).isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("malformed answer from " + keyB.publicKey().hex())
          .hasMessageContaining("field " + field);
    }
    fed.rewrite = r -> r;
    assertThat(a.netting().history()).isEmpty();
    assertThat(b.netting().history()).isEmpty();
    assertThat(a.fees().of(keyB.publicKey()).orElseThrow().due()).isEqualTo(8_000);
    assertThat(a.payouts().net(keyB.publicKey()).offset()).isEqualTo(3_000); // an honest answer still nets
  }

  @Test
  void signedButMalformedPayoutMessagesAreAnsweredWithAReason() throws Exception {
    owe(200_000, 30_000); // A owes B 20,000; B owes A 3,000
    assertThat(a.payouts().net(keyB.publicKey()).offset()).isEqualTo(3_000);
    List<PayoutWire.Envelope> sent = new java.util.ArrayList<>(toB(fed.requests));
    fed.requests.clear();
    clock.advance(Duration.ofHours(2));
    assertThat(a.payouts().runDue()).singleElement().satisfies(p -> assertThat(p.status()).isEqualTo("paid"));
    sent.addAll(toB(fed.requests));
    assertThat(sent).extracting(PayoutWire.Envelope::type)
        .contains("address_request", "payout", "netting_propose", "netting_confirm");
    // A peer signs whatever it likes: every field of each real message swapped for a value of another type or
    // removed, then signed by A. B must answer each with a signed message, and a refusal must say what is wrong.
    java.util.Random rnd = new java.util.Random(7);
    Set<String> answers = new java.util.TreeSet<>();
    for (PayoutWire.Envelope env : sent) {
      for (int round = 0; round < 400; round++) {
        if (!(WireFuzz.swap(env.body(), rnd) instanceof Map<?, ?> mutated)) {
          continue;
        }
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        mutated.forEach((k, v) -> body.put((String) k, v));
        if (rnd.nextInt(4) > 0) { // mostly keep the envelope valid, so the message reaches its handler
          PayoutWire.body(String.valueOf(env.type()), keyA.publicKey(), keyB.publicKey(), clock.instant())
              .forEach((k, v) -> body.put(k, k.equals("type") && body.get(k) != null ? body.get(k) : v));
        }
        byte[] answer = b.receiver().handle(PayoutWire.seal(keyA, body));
        PayoutWire.Envelope reply;
        try {
          reply = PayoutWire.open(answer, keyA.publicKey(), clock.instant());
        } catch (IllegalArgumentException notForA) { // B could not tell who sent it: it signs the error to itself
          reply = PayoutWire.open(answer, keyB.publicKey(), clock.instant());
        }
        answers.add(reply.type());
        String why = reply.optText("message");
        if (reply.type().equals("error") || "rejected".equals(reply.optText("status"))) {
          assertThat(why).as("reason for %s", body).isNotBlank().doesNotContain("cannot be cast")
              .doesNotContain("\"null\"");
        }
      }
    }
    assertThat(answers).contains("error", "payout_ack");
  }

  private List<PayoutWire.Envelope> toB(List<byte[]> requests) {
    List<PayoutWire.Envelope> out = new java.util.ArrayList<>();
    for (byte[] request : requests) {
      try {
        out.add(PayoutWire.open(request, keyB.publicKey(), clock.instant()));
      } catch (IllegalArgumentException addressedToA) {
        // B's own requests to A
      }
    }
    return out;
  }

  @Test
  void implausibleReferralsHoldThePayoutAndSayWhy() {
    Cid work = cid("fast");
    fed.list(a, work, 100_000);
    for (int i = 0; i < 25; i++) { // distinct payers: one buyer buying fast many times is no evidence
      UserChannel ch = userChannelTo(a, 1);
      a.payee().learnChannel(ch.createBlob(), null);
      String t = AttributionToken.issue(keyB, work, "q" + i, clock.instant(), Duration.ofHours(1)).encode();
      a.purchases().purchase(new PurchaseService.Request(ch.pay(100_000), work, 100_000, t, Optional.empty()));
    }
    PayoutService.Payout p = a.payouts().pay(keyB.publicKey());
    assertThat(p.status()).isEqualTo("held");
    assertThat(p.reason()).contains("convert implausibly").contains("within PT2S");
    a.fees().release(keyB.publicKey());
    assertThat(a.payouts().pay(keyB.publicKey()).status()).isEqualTo("paid");
  }

  @Test
  void payerFarAboveItsBaselineHoldsThePayout() {
    UserChannel ch = userChannelTo(a, 1);
    a.payee().learnChannel(ch.createBlob(), null);
    Cid work = cid("spend");
    fed.list(a, work, 1_000_000);
    Cid big = cid("spend big");
    fed.list(a, big, 50_000_000);
    for (int hour = 0; hour < 4; hour++) {
      String t = AttributionToken.issue(keyB, work, "h" + hour, clock.instant().minusSeconds(60),
          Duration.ofHours(1)).encode();
      a.purchases().purchase(new PurchaseService.Request(ch.pay(1_000_000), work, 1_000_000, t,
          Optional.empty()));
      clock.advance(Duration.ofHours(1));
    }
    assertThat(a.fees().of(keyB.publicKey()).orElseThrow().heldReason()).isEmpty();
    String t = AttributionToken.issue(keyB, big, "big", clock.instant().minusSeconds(60), Duration.ofHours(1))
        .encode();
    a.purchases().purchase(new PurchaseService.Request(ch.pay(50_000_000), big, 50_000_000, t, Optional.empty()));
    assertThat(a.fees().of(keyB.publicKey()).orElseThrow().heldReason())
        .hasValueSatisfying(r -> assertThat(r).contains("payer " + ch.key().address().value()).contains("baseline"));
  }
}
