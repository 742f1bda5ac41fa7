package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.primitives.UnsignedInteger;
import io.fedsearch.core.time.SimClock;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.net.PurchaseProtocol;
import io.fedsearch.federation.payments.payee.PayeeChannels;
import io.fedsearch.federation.payments.payer.PayerChannels;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.federation.payments.payout.PayoutService;
import io.fedsearch.federation.payments.payout.PayoutWire;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
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
import org.xrpl.xrpl4j.model.transactions.Address;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelCreate;
import org.xrpl.xrpl4j.model.transactions.XrpCurrencyAmount;

/**
 * With a ledger configured (a RippledTestDouble), purchases and payouts over libp2p: value counts only once the
 * validated ledger has the channel, every term is the ledger's, and the same term checks hold however a channel
 * was learned. Node 0 is the selling platform P, node 1 a serving node S that earns discovery fees.
 */
@Timeout(120)
class LedgerAcceptanceTest {
  static final XrplJsAudit AUDIT = new XrplJsAudit();
  static final long PRICE = 1_000_000;

  @AfterAll
  static void xrplJsVerifiesEverythingProduced() throws Exception {
    AUDIT.verify(1);
  }

  @TempDir Path dir;
  SimClock clock = new SimClock(Instant.parse("2026-03-01T00:00:00Z"));
  RippledTestDouble rippled;
  P2pPayments fed;
  Payments platform;
  NodeKey serving;
  final Cid work = Cid.ofDagCbor(DagCbor.encode(Map.of("title", "a work on sale")));

  @BeforeEach
  void start() throws Exception {
    rippled = new RippledTestDouble();
    open(PaymentsConfig.defaults().withRippledUrl(rippled.url()).withDiscoveryShareBps(1000)
        .withPayoutBatching(10_000, Duration.ofMinutes(1)));
  }

  void open(PaymentsConfig config) throws Exception {
    fed = new P2pPayments(dir, 2, config, clock);
    platform = fed.nodes.get(0);
    serving = fed.keys.get(1);
    fed.list(0, work, PRICE);
  }

  @AfterEach
  void stop() {
    if (fed != null) {
      fed.nodes.forEach(AUDIT::collect);
      fed.close();
    }
    AUDIT.collectBlobs(rippled.submittedBlobs);
    rippled.close();
  }

  String token() {
    return AttributionToken.issue(serving, work, "q", clock.instant().minusSeconds(30), Duration.ofHours(1)).encode();
  }

  String platformAddress() {
    return platform.account().address().value();
  }

  static void refused(ThrowingCallable call, String code, String hint) {
    assertThatThrownBy(call).isInstanceOfSatisfying(PurchaseProtocol.Refused.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).contains(hint);
    });
  }

  /** Runs the platform's periodic work and lets the ledger validate what it submitted, a few times over. */
  void ticks(int n) {
    for (int i = 0; i < n; i++) {
      clock.advance(Duration.ofMinutes(2));
      for (Payments p : fed.nodes) {
        p.tick();
      }
      rippled.closeLedger();
    }
  }

  long paidTo(NodeKey node) {
    return platform.payouts().history(1000).stream().filter(p -> p.node().equals(node.publicKey().hex()))
        .mapToLong(PayoutService.Payout::amount).sum();
  }

  @Test
  void aColludingBuyerAndNodeGetNothingOutOfANeverFundedChannel() throws Exception {
    XrplAccountKey colluder = XrplAccountKey.generate(KeyType.ED25519);
    UserChannel neverFunded = UserChannel.open(colluder, platformAddress(), 1_000_000_000, 86_400,
        Optional.empty(), 1, 12);
    AUDIT.collectBlobs(java.util.List.of(neverFunded.createBlob()));
    java.util.List<String> refusals = new java.util.ArrayList<>();
    for (int i = 0; i < 25; i++) {
      try {
        fed.buy(0, neverFunded.claimFor((i + 1) * PRICE), work, PRICE, token(), Optional.of(neverFunded.createBlob()));
      } catch (PurchaseProtocol.Refused e) {
        refusals.add(e.getMessage());
      }
      ticks(1);
    }
    ticks(5);
    // what the colluding node got out of the platform: payouts, claims journaled, value moved on the ledger
    assertThat(paidTo(serving)).isZero();
    assertThat(fed.nodes.get(1).payee().channels()).allSatisfy(v -> assertThat(v.best()).isZero());
    assertThat(rippled.channels.values()).allSatisfy(ch -> assertThat(ch.path("Balance").asText()).isEqualTo("0"));
    assertThat(platform.fees().of(serving.publicKey()).map(FeeBook.Owed::accrued).orElse(0L)).isZero();
    assertThat(refusals).hasSize(25).allSatisfy(m -> assertThat(m).startsWith("unknown_channel")
        .contains("not on the validated ledger"));
    assertThat(platform.payee().channel(neverFunded.id())).isEmpty();

    // The same buyer with a channel the ledger has: the sale goes through, and S is paid exactly its share of it.
    UserChannel funded = UserChannel.open(colluder, platformAddress(), 10_000_000, 86_400, Optional.empty(), 2, 12);
    assertThat(rippled.validate(funded.createBlob())).isEqualTo("tesSUCCESS");
    Receipt r = fed.buy(0, funded.pay(PRICE), work, PRICE, token(), Optional.of(funded.createBlob()));
    assertThat(r.price()).isEqualTo(PRICE);
    ticks(8); // payout channel: refused until its create validates, then the claim is taken
    assertThat(paidTo(serving)).isEqualTo(PRICE / 10);
    assertThat(fed.nodes.get(1).payee().channels()).singleElement().satisfies(v -> {
      assertThat(v.terms().confirmed()).isTrue();
      assertThat(v.best()).isEqualTo(PRICE / 10);
    });
  }

  @Test
  void everyTermComesFromTheLedgerNotFromAPresentedCreate() throws Exception {
    XrplAccountKey buyer = XrplAccountKey.generate(KeyType.ED25519);
    UserChannel onLedger = UserChannel.open(buyer, platformAddress(), 2_000_000, 86_400, Optional.empty(), 7, 12);
    assertThat(rippled.validate(onLedger.createBlob())).isEqualTo("tesSUCCESS");
    // A second create with the same Sequence (so the same channel id) naming a larger amount, and one whose claim
    // key is another key the buyer holds: neither replaces what the ledger says.
    UserChannel bigger = UserChannel.open(buyer, platformAddress(), 1_000_000_000, 86_400, Optional.empty(), 7, 12);
    assertThat(bigger.id()).isEqualTo(onLedger.id());
    AUDIT.collectBlobs(java.util.List.of(bigger.createBlob()));
    refused(() -> fed.buy(0, bigger.claimFor(5 * PRICE), work, PRICE, token(), Optional.of(bigger.createBlob())),
        "over_balance", "exceeds the channel's 2000000 drops");
    assertThat(platform.payee().channel(onLedger.id()).orElseThrow().terms().amount()).isEqualTo(2_000_000);
    fed.buy(0, onLedger.pay(PRICE), work, PRICE, token(), Optional.empty());
    assertThat(platform.payee().channel(onLedger.id()).orElseThrow().terms().confirmed()).isTrue();
    // The ledger's amount grows with a validated fund; a refresh reads it (and only then may claims go higher).
    rippled.channels.get(onLedger.id()).put("Amount", "4000000");
    refused(() -> fed.buy(0, onLedger.claimFor(3 * PRICE), work, PRICE, token(), Optional.empty()),
        "over_balance", "exceeds the channel's 2000000 drops");
    platform.tick();
    assertThat(platform.payee().channel(onLedger.id()).orElseThrow().terms().amount()).isEqualTo(4_000_000);
    fed.buy(0, onLedger.claimFor(3 * PRICE), work, PRICE, token(), Optional.empty());
  }

  @Test
  void aPresentedCreateWithAnotherKeyDoesNotLetItsClaimsIn() throws Exception {
    XrplAccountKey buyer = XrplAccountKey.generate(KeyType.ED25519);
    UserChannel onLedger = UserChannel.open(buyer, platformAddress(), 2_000_000, 86_400, Optional.empty(), 3, 12);
    assertThat(rippled.validate(onLedger.createBlob())).isEqualTo("tesSUCCESS");
    // Signed by the same account, same Sequence, but naming a claim key the ledger never saw: an unsettleable claim.
    XrplAccountKey other = XrplAccountKey.generate(KeyType.ED25519);
    String forgedKeyCreate = buyer.sign(PaymentChannelCreate.builder().account(buyer.address())
        .fee(XrpCurrencyAmount.ofDrops(12)).sequence(UnsignedInteger.valueOf(3)).signingPublicKey(buyer.publicKey())
        .amount(XrpCurrencyAmount.ofDrops(2_000_000)).destination(Address.of(platformAddress()))
        .settleDelay(UnsignedInteger.valueOf(86_400)).publicKey(other.publicKey().base16Value()).build()).blob();
    AUDIT.collectBlobs(java.util.List.of(forgedKeyCreate));
    Claim byOtherKey = new Claim(onLedger.id(), PRICE, other.signClaim(onLedger.id(), PRICE));
    refused(() -> fed.buy(0, byOtherKey, work, PRICE, token(), Optional.of(forgedKeyCreate)), "forged",
        "does not verify with the channel's key");
    fed.buy(0, onLedger.pay(PRICE), work, PRICE, token(), Optional.of(forgedKeyCreate));
  }

  @Test
  void aLedgerChannelIsHeldToTheSameTermsAsAPresentedOne() throws Exception {
    XrplAccountKey buyer = XrplAccountKey.generate(KeyType.ED25519);
    // SettleDelay of one minute: the payer could close and take the funds back before we settle.
    UserChannel quick = UserChannel.open(buyer, platformAddress(), 5_000_000, 60, Optional.empty(), 11, 12);
    assertThat(rippled.validate(quick.createBlob())).isEqualTo("tesSUCCESS");
    refused(() -> fed.buy(0, quick.pay(PRICE), work, PRICE, token(), Optional.empty()), "malformed",
        "open with a longer delay");
    // CancelAfter within the margin needed to settle.
    UserChannel dying = UserChannel.open(buyer, platformAddress(), 5_000_000, 86_400,
        Optional.of(clock.instant().plus(Duration.ofMinutes(20))), 12, 12);
    assertThat(rippled.validate(dying.createBlob())).isEqualTo("tesSUCCESS");
    refused(() -> fed.buy(0, dying.pay(PRICE), work, PRICE, token(), Optional.empty()),
        "about_to_expire", "open a channel that lives longer");
    assertThat(platform.payee().channels()).isEmpty();
  }

  @Test
  void termsAreCheckedAgainOnEveryRefresh() throws Exception {
    XrplAccountKey buyer = XrplAccountKey.generate(KeyType.ED25519);
    UserChannel ch = UserChannel.open(buyer, platformAddress(), 5_000_000, 7_200, Optional.empty(), 5, 12);
    assertThat(rippled.validate(ch.createBlob())).isEqualTo("tesSUCCESS");
    fed.buy(0, ch.pay(PRICE), work, PRICE, token(), Optional.empty());
    // The operator raises the minimum SettleDelay to 3 h and restarts: the channel no longer meets the terms.
    fed.nodes.forEach(AUDIT::collect);
    fed.close();
    open(PaymentsConfig.fromJson(new ObjectMapper().readTree("{\"rippled_url\": \"" + rippled.url()
        + "\", \"discovery_share_bps\": 1000, \"min_settle_delay_s\": 10800}")));
    platform.tick();
    PayeeChannels.View v = platform.payee().channel(ch.id()).orElseThrow();
    assertThat(v.status()).isEqualTo(PayeeChannels.REFUSED);
    assertThat(v.best()).isEqualTo(PRICE); // what was accepted stays, to settle
    refused(() -> fed.buy(0, ch.pay(PRICE), work, PRICE, token(), Optional.empty()), "malformed",
        "open with a longer delay");
  }

  @Test
  void aFundCountsOnlyOnceTheLedgerHasIt() throws Exception {
    Payments payer = fed.nodes.get(1);
    PayerChannels.Opened opened = payer.payer().open(platformAddress(), PRICE, 86_400, Optional.empty(),
        fed.keys.get(0).publicKey().hex());
    assertThat(rippled.validate(opened.createBlob())).isEqualTo("tesSUCCESS");
    payer.tick(); // the payer follows the validated ledger too: it tops up a channel only once it sees it there
    String channel = opened.terms().id();
    PayerChannels.Action fund = payer.payer().fundNow(channel, PRICE, "test top-up");
    for (int i = 0; i < 3; i++) { // presented again and again before it validates: the amount is the ledger's
      assertThat(payout(payer.payer().authorise(channel, 1_000), opened.createBlob(), fund.blob())).isEqualTo("accepted");
      assertThat(platform.payee().channel(channel).orElseThrow().terms().amount()).isEqualTo(PRICE);
    }
    assertThat(rippled.validate(fund.blob())).isEqualTo("tesSUCCESS");
    assertThat(payout(payer.payer().authorise(channel, 1_000), null, fund.blob())).isEqualTo("accepted");
    assertThat(platform.payee().channel(channel).orElseThrow().terms().amount()).isEqualTo(2 * PRICE);
  }

  @Test
  void aTopUpTheLedgerValidatedIsSeenWhenAClaimNeedsItNotATickLater() throws Exception {
    Payments payer = fed.nodes.get(1);
    PayerChannels.Opened opened = payer.payer().open(platformAddress(), PRICE, 86_400, Optional.empty(),
        fed.keys.get(0).publicKey().hex());
    assertThat(rippled.validate(opened.createBlob())).isEqualTo("tesSUCCESS");
    payer.tick();
    String channel = opened.terms().id();
    assertThat(payout(payer.payer().authorise(channel, 1_000), opened.createBlob(), null)).isEqualTo("accepted");
    platform.tick(); // the payee knows the channel at PRICE
    PayerChannels.Action fund = payer.payer().fundNow(channel, PRICE, "test top-up");
    assertThat(rippled.validate(fund.blob())).isEqualTo("tesSUCCESS");
    payer.tick(); // the payer sees its top-up validated; the payee has not ticked since
    // A claim beyond the amount the payee knew, without the fund blob: the payee re-reads the ledger, not refuses.
    assertThat(payout(payer.payer().authorise(channel, PRICE + 1_000), null, null)).isEqualTo("accepted");
    assertThat(platform.payee().channel(channel).orElseThrow().terms().amount()).isEqualTo(2 * PRICE);
  }

  /** Node 1 sends node 0 a payout claim over the payout protocol, with the blobs given; returns the ack status. */
  private String payout(Claim claim, String create, String fund) throws Exception {
    NodeKey from = fed.keys.get(1);
    NodeKey to = fed.keys.get(0);
    Map<String, Object> msg = PayoutWire.body("payout", from.publicKey(), to.publicKey(), clock.instant());
    msg.put("channel", claim.channel());
    msg.put("amount", claim.drops());
    msg.put("signature", claim.signature());
    if (create != null) {
      msg.put("create", create);
    }
    if (fund != null) {
      msg.put("fund", fund);
    }
    PayoutWire.Envelope ack = PayoutWire.open(fed.exchange(1, 0, PayoutWire.seal(from, msg)), from.publicKey(),
        clock.instant());
    return ack.text("status") + (ack.optText("message") == null ? "" : ": " + ack.optText("message"));
  }
}
