package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.core.time.SimClock;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.channel.Rejection;
import io.fedsearch.federation.payments.channel.SignedTransactions;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.payer.PayerChannels;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelFund;

/**
 * The paying side with a ledger, against the {@link LedgerDouble} over HTTP (outbox + submitter + XrplLedger, driven
 * by the node's own {@link Payments#tick()}): a channel's claims stay within the amount the validated ledger shows, so
 * a top-up that fails on the ledger (tecUNFUNDED) never lets the payer sign what the payee could not settle, and is
 * planned again; top-ups are sized to the account's balance less the reserve the server states. xrpl.js verifies every
 * claim signed and every blob sent or stored.
 */
@Timeout(180)
class PayerLedgerTest {
  @TempDir Path dir;
  SimClock clock = new SimClock(Instant.parse("2026-03-01T00:00:00Z"));
  LedgerDouble ledger;
  Payments platform;
  String node;
  final List<Claim> signed = new ArrayList<>();

  void start(long platformDrops, long topUpCeiling) throws Exception {
    ledger = new LedgerDouble(clock);
    XrplAccountKey account = XrplAccountKey.loadOrCreate(dir, KeyType.SECP256K1);
    ledger.fund(account.address().value(), platformDrops);
    node = XrplAccountKey.generate(KeyType.ED25519).address().value();
    ledger.fund(node, 20_000_000); // a channel's destination must exist
    PaymentsConfig cfg = PaymentsConfig.defaults().withRippledUrl(ledger.url()).withKeyType(KeyType.SECP256K1)
        .withTopUpCeiling(topUpCeiling);
    platform = Payments.open(dir, NodeKey.generate(), cfg, PayoutTransport.unavailable(), clock);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      List<Map<String, Object>> reqs = new ArrayList<>();
      ledger.submittedBlobs().forEach(b -> reqs.add(XrplJs.tx(b)));
      platform.outbox().list().forEach(e -> reqs.add(XrplJs.tx(e.blob()))); // stored too, sent or not
      String key = platform.account().publicKey().base16Value();
      signed.forEach(c -> reqs.add(XrplJs.claim(c.channel(), c.drops(), c.signature(), key)));
      assertThat(reqs).isNotEmpty();
      List<JsonNode> res = XrplJs.run(reqs);
      for (int i = 0; i < res.size(); i++) {
        assertThat(res.get(i).path("ok").asBoolean()).as(reqs.get(i) + " -> " + res.get(i)).isTrue();
      }
    } finally {
      platform.close();
      ledger.close();
    }
  }

  /** The node's periodic work and a ledger close, until {@code done} (or fails after {@code max} rounds). */
  void runUntil(BooleanSupplier done, int max) {
    for (int i = 0; i < max && !done.getAsBoolean(); i++) {
      platform.tick();
      ledger.closeLedger();
    }
    assertThat(done.getAsBoolean()).as("reached within " + max + " ticks").isTrue();
  }

  PayerChannels.View view(String id) {
    return platform.payer().channels().stream().filter(v -> v.terms().id().equals(id)).findFirst().orElseThrow();
  }

  long onLedger(String id) {
    return ledger.channel(id).map(c -> c.amount).orElse(0L);
  }

  Claim authorise(String id, long drops) {
    Claim c = platform.payer().authorise(id, drops);
    signed.add(c);
    assertThat(c.drops()).as("signed within the validated amount").isLessThanOrEqualTo(onLedger(id));
    return c;
  }

  void refusedBeyondTheLedger(String id, String hint) {
    assertThatThrownBy(() -> authorise(id, 1)).isInstanceOfSatisfying(PaymentRejectedException.class, e -> {
      assertThat(e.reason()).isEqualTo(Rejection.OVER_BALANCE);
      assertThat(e.getMessage()).contains(hint);
    });
  }

  List<Outbox.Entry> funds() {
    return platform.outbox().list().stream().filter(e -> e.kind().equals("fund")).toList();
  }

  @Test
  void claimsWaitUntilTheCreateValidates() throws Exception {
    start(100_000_000, 1_000_000_000);
    String id = platform.payer().open(node, 1_000_000, 86_400, Optional.empty(), "node").terms().id();
    refusedBeyondTheLedger(id, "not on the validated ledger yet"); // the create is only queued
    runUntil(() -> ledger.channel(id).isPresent(), 10);
    platform.tick();
    assertThat(view(id).status()).isEqualTo("open");
    assertThat(view(id).terms().confirmed()).isTrue();
    authorise(id, 1_000_000);
    refusedBeyondTheLedger(id, "fund it first");
  }

  @Test
  void aCreateThatFailsOnTheLedgerClosesTheChannel() throws Exception {
    start(100_000_000, 1_000_000_000);
    ledger.failNext("PaymentChannelCreate", "tecUNFUNDED");
    String id = platform.payer().open(node, 1_000_000, 86_400, Optional.empty(), "node").terms().id();
    runUntil(() -> platform.outbox().list().get(0).status().equals(Outbox.FAILED), 10);
    platform.tick();
    assertThat(view(id).status()).as("a payout opens another channel").isEqualTo("closed");
    refusedBeyondTheLedger(id, "its create failed or it closed; open another");
  }

  @Test
  void aTopUpThatFailsOnTheLedgerLetsNoClaimPastTheValidatedAmount() throws Exception {
    start(100_000_000, 1_500_000); // the node's own top-ups (maintain, every tick) stop at 1.5 XRP
    String id = platform.payer().open(node, 1_000_000, 86_400, Optional.empty(), "node").terms().id();
    runUntil(() -> ledger.channel(id).isPresent(), 10);
    authorise(id, 1_000_000);

    platform.payer().fundNow(id, 500_000, "a payout needs more");
    ledger.failNext("PaymentChannelFund", "tecUNFUNDED");
    refusedBeyondTheLedger(id, "a top-up of 500000 drops is on its way to the ledger");
    // asked again while it is in flight (a payout retried): no second top-up is queued
    PayerChannels.Action again = platform.payer().fundNow(id, 500_000, "a payout needs more");
    assertThat(again.blob()).isEqualTo(funds().get(0).blob());
    assertThat(funds()).hasSize(1);

    runUntil(() -> Outbox.FAILED.equals(funds().get(0).status()), 10);
    assertThat(funds().get(0).result()).isEqualTo("tecUNFUNDED");
    assertThat(onLedger(id)).isEqualTo(1_000_000);
    assertThat(view(id).terms().amount()).as("the payer's amount is the ledger's").isEqualTo(1_000_000);
    refusedBeyondTheLedger(id, "fund it first");
    assertThat(view(id).authorised()).isEqualTo(1_000_000);

    // planned again, not assumed: the next top-up goes out and, once validated, claims may use it
    platform.payer().fundNow(id, 500_000, "a payout needs more");
    assertThat(funds()).hasSize(2);
    runUntil(() -> onLedger(id) == 1_500_000, 10);
    platform.tick(); // the submitter follows the top-up to validation
    authorise(id, 500_000);
    refusedBeyondTheLedger(id, "fund it first");
    assertThat(funds()).extracting(Outbox.Entry::status).containsExactly(Outbox.FAILED, Outbox.VALIDATED);
  }

  @Test
  void aTopUpIsNeverSizedBeyondTheBalanceLessTheServersReserve() throws Exception {
    start(20_000_000, 1_000_000_000);
    ledger.baseReserve = 4_000_000; // not today's mainnet figures: the payer must ask the server
    ledger.ownerReserve = 3_000_000;
    String id = platform.payer().open(node, 2_000_000, 86_400, Optional.empty(), "node").terms().id();
    runUntil(() -> ledger.channel(id).isPresent(), 10);
    // spending 1.9 XRP in ten minutes: the six-hour horizon wants far more than the account holds
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofMinutes(1));
      authorise(id, 190_000);
    }
    long balance = ledger.balance(platform.account().address().value());
    long reserve = 4_000_000 + 3_000_000; // one owned object: the channel
    List<PayerChannels.Action> actions = platform.payer().maintain();
    assertThat(actions).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo("fund");
      assertThat(a.drops()).as(a.why()).isPositive().isLessThanOrEqualTo(balance - reserve);
      assertThat(a.why()).contains("what the account can pay");
      PaymentChannelFund tx = SignedTransactions.decode(a.blob(), PaymentChannelFund.class);
      assertThat(tx.amount().value().longValue()).isEqualTo(a.drops());
    });
    long added = actions.get(0).drops();
    runUntil(() -> Outbox.VALIDATED.equals(funds().get(0).status()) || Outbox.FAILED.equals(funds().get(0).status()),
        10);
    assertThat(funds().get(0).result()).isEqualTo("tesSUCCESS");
    assertThat(onLedger(id)).isEqualTo(2_000_000 + added);
    // nothing left above the reserve: no top-up goes out, and one asked for now is refused saying why
    assertThat(platform.payer().maintain()).isEmpty();
    assertThatThrownBy(() -> platform.payer().fundNow(id, 1_000_000, "a payout needs more"))
        .isInstanceOfSatisfying(PaymentRejectedException.class, e -> {
          assertThat(e.reason()).isEqualTo(Rejection.OVER_BALANCE);
          assertThat(e.getMessage()).contains("cannot put more into channel").contains("reserve 7000000");
        });
    assertThat(funds()).hasSize(1);
  }
}
