package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.primitives.UnsignedInteger;
import io.fedsearch.core.time.SimClock;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.ledger.Submitter;
import io.fedsearch.federation.payments.payer.UserChannel;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;
import org.xrpl.xrpl4j.model.transactions.Hash256;
import org.xrpl.xrpl4j.model.transactions.PaymentChannelFund;
import org.xrpl.xrpl4j.model.transactions.XrpCurrencyAmount;

/**
 * Settlement and submission against the {@link LedgerDouble} over HTTP (outbox + submitter + XrplLedger), through
 * the node's own periodic work ({@link Payments#tick()}): a channel's settled amount follows the validated ledger, a
 * claim that fails or expires is queued again, a Sequence that can no longer be used is filled so later rows do not
 * stall on terPRE_SEQ, "not found" is final only when the server searched the whole range up to LastLedgerSequence,
 * tefALREADY is not a failure, and two submitters never race. xrpl.js verifies every blob that went to the server.
 */
@Timeout(180)
class SubmissionReliabilityTest {
  @TempDir Path dir;
  SimClock clock = new SimClock(Instant.parse("2026-03-01T00:00:00Z"));
  LedgerDouble ledger;
  Payments payee;

  @BeforeEach
  void start() throws Exception {
    ledger = new LedgerDouble(clock);
    XrplAccountKey account = XrplAccountKey.loadOrCreate(dir, KeyType.SECP256K1);
    ledger.fund(account.address().value(), 100_000_000);
    PaymentsConfig cfg = PaymentsConfig.defaults().withRippledUrl(ledger.url()).withKeyType(KeyType.SECP256K1)
        .withSettlement(1, Duration.ofHours(6), Duration.ofHours(24)); // any unsettled value is due
    payee = Payments.open(dir, NodeKey.generate(), cfg, PayoutTransport.unavailable(), clock);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      verifyBlobsWithXrplJs();
    } finally {
      payee.close();
      ledger.close();
    }
  }

  UserChannel openOnLedger(long drops) {
    XrplAccountKey user = XrplAccountKey.generate(KeyType.ED25519);
    ledger.fund(user.address().value(), drops + 10_000_000);
    UserChannel ch = UserChannel.open(user, payee.account().address().value(), drops, 86_400,
        Optional.of(clock.instant().plus(Duration.ofDays(10))), ledger.sequence(user.address().value()), 12);
    assertThat(ledger.submit(ch.createBlob())).isEqualTo("tesSUCCESS");
    ledger.closeLedger();
    return ch;
  }

  long onLedger(UserChannel ch) {
    return ledger.channel(ch.id()).orElseThrow().balance;
  }

  long claimsValidated(UserChannel ch) {
    return ledger.validated().stream().filter(v -> v.type().equals("PaymentChannelClaim")
        && v.tx().path("Channel").asText().equalsIgnoreCase(ch.id())).count();
  }

  /** The node's periodic work and a ledger close, until {@code done} or {@code max} rounds. */
  void runUntil(java.util.function.BooleanSupplier done, int max) {
    for (int i = 0; i < max && !done.getAsBoolean(); i++) {
      payee.tick();
      ledger.closeLedger();
    }
  }

  @Test
  void aClaimThatFailsOnTheLedgerIsQueuedAgainAndSettledFollowsTheValidatedBalance() {
    UserChannel ch = openOnLedger(20_000_000);
    for (int i = 0; i < 3; i++) {
      payee.payee().accept(ch.pay(100_000));
    }
    ledger.failNext("PaymentChannelClaim", "tecUNFUNDED_PAYMENT");
    payee.tick(); // queued and submitted, nothing validated yet
    assertThat(payee.payee().channel(ch.id()).orElseThrow().settled())
        .as("queued is not settled").isZero();
    runUntil(() -> onLedger(ch) == 300_000, 30);
    assertThat(onLedger(ch)).isEqualTo(300_000);
    payee.tick();
    assertThat(payee.payee().channel(ch.id()).orElseThrow().settled()).isEqualTo(300_000);
    assertThat(payee.outbox().list()).extracting(Outbox.Entry::status, Outbox.Entry::result)
        .contains(org.assertj.core.groups.Tuple.tuple(Outbox.FAILED, "tecUNFUNDED_PAYMENT"),
            org.assertj.core.groups.Tuple.tuple(Outbox.VALIDATED, "tesSUCCESS"));
    assertThat(payee.outbox().open()).isEmpty();
  }

  @Test
  void settlementTakesTheHighestClaimThatFitsWhatTheLedgerConfirms() {
    UserChannel ch = openOnLedger(1_000_000);
    // the payer shows a top-up it never sends to the ledger
    XrplAccountKey user = ch.key();
    String fund = user.sign(PaymentChannelFund.builder().account(user.address()).fee(XrpCurrencyAmount.ofDrops(12))
        .sequence(UnsignedInteger.valueOf(ledger.sequence(user.address().value())))
        .signingPublicKey(user.publicKey()).channel(Hash256.of(ch.id()))
        .amount(XrpCurrencyAmount.ofDrops(1_000_000)).build()).blob();
    payee.payee().accept(ch.claimFor(400_000));
    try {
      payee.payee().learnFund(fund);
    } catch (RuntimeException e) {
      // a payee that takes amounts only from the ledger refuses it: the claims above 1 XRP are then refused too
    }
    long fits = 0;
    for (long amount : new long[] {900_000, 1_000_000, 1_300_000, 1_800_000}) {
      try {
        payee.payee().accept(ch.claimFor(amount));
        if (amount <= 1_000_000) {
          fits = amount;
        }
      } catch (PaymentRejectedException e) {
        assertThat(amount).as("only claims above what the ledger confirms may be refused").isGreaterThan(1_000_000);
      }
    }
    long expected = fits;
    runUntil(() -> onLedger(ch) == expected && payee.outbox().open().isEmpty(), 20);
    assertThat(onLedger(ch)).as("the highest claim within the channel's 1 XRP settled").isEqualTo(1_000_000);
  }

  @Test
  void claimsThatExpireAreQueuedAgainAndTheirSequencesDoNotStallLaterRows() {
    UserChannel a = openOnLedger(20_000_000);
    UserChannel b = openOnLedger(20_000_000);
    payee.payee().accept(a.pay(200_000));
    payee.payee().accept(b.pay(300_000));
    ledger.stall(true); // the network applies nothing: every submission passes its LastLedgerSequence
    runUntil(() -> payee.outbox().list().stream().filter(e -> Outbox.FAILED.equals(e.status())).count() >= 2, 400);
    assertThat(payee.outbox().list()).filteredOn(e -> Outbox.FAILED.equals(e.status())).hasSizeGreaterThanOrEqualTo(2);
    ledger.stall(false);
    payee.payee().accept(a.pay(50_000)); // more value arrives after the failures
    runUntil(() -> onLedger(a) == 250_000 && onLedger(b) == 300_000 && payee.outbox().open().isEmpty(), 60);
    assertThat(onLedger(a)).isEqualTo(250_000);
    assertThat(onLedger(b)).isEqualTo(300_000);
    assertThat(payee.outbox().open()).as("nothing waits on terPRE_SEQ").isEmpty();
    assertThat(ledger.sequence(payee.account().address().value()))
        .isEqualTo(payee.outbox().list().stream().mapToLong(Outbox.Entry::sequence).max().orElseThrow() + 1);
  }

  @Test
  void aSequenceThatCanNoLongerBeUsedIsFilledSoLaterRowsValidate() {
    UserChannel a = openOnLedger(20_000_000);
    UserChannel b = openOnLedger(20_000_000);
    payee.payee().accept(a.pay(100_000));
    payee.payee().accept(b.pay(200_000));
    payee.settlement().run(true); // two rows, consecutive Sequences
    ledger.rejectNext("PaymentChannelClaim", "temMALFORMED"); // the first is refused: its Sequence stays unused
    runUntil(() -> onLedger(a) == 100_000 && onLedger(b) == 200_000 && payee.outbox().open().isEmpty(), 40);
    assertThat(onLedger(b)).as("the row after the gap validated").isEqualTo(200_000);
    assertThat(onLedger(a)).as("the refused claim was queued again").isEqualTo(100_000);
    assertThat(payee.outbox().open()).isEmpty();
    assertThat(ledger.validated()).extracting(LedgerDouble.Validated::type).contains("AccountSet");
  }

  @Test
  void notFoundIsFinalOnlyWhenTheServerSearchedUpToLastLedgerSequence() {
    UserChannel ch = openOnLedger(20_000_000);
    payee.payee().accept(ch.pay(400_000));
    payee.tick(); // submitted
    ledger.closeLedger(); // validated here
    assertThat(onLedger(ch)).isEqualTo(400_000);
    ledger.forgetHistoryBefore(ledger.validatedIndex() + 1); // the server lost that ledger (online deletion)
    int sent = ledger.submittedBlobs().size();
    for (int i = 0; i < 3 * payee.config().ledgerWindow(); i++) {
      payee.tick();
      ledger.closeLedger();
    }
    assertThat(ledger.submittedBlobs()).as("nothing re-sent while the outcome is unknown").hasSize(sent);
    assertThat(payee.outbox().list().get(0).status()).isEqualTo(Outbox.SUBMITTED);
    ledger.forgetHistoryBefore(0);
    payee.tick();
    assertThat(payee.outbox().list().get(0).status()).isEqualTo(Outbox.VALIDATED);
    assertThat(claimsValidated(ch)).as("the claim applied once").isEqualTo(1);
  }

  @Test
  void aFundThatValidatedIsNeverAppliedTwiceWhileTheServerCannotSayItDid() {
    XrplAccountKey node = XrplAccountKey.generate(KeyType.ED25519);
    ledger.fund(node.address().value(), 20_000_000);
    String id = payee.payer().open(node.address().value(), 5_000_000, 86_400, Optional.empty(), null).terms().id();
    Submitter submitter = payee.submitter().orElseThrow();
    submitter.runOnce();
    ledger.closeLedger();
    payee.db().write(c -> payee.outbox().enqueue(c, "fund", id, seq -> PaymentChannelFund.builder()
        .account(payee.account().address()).fee(payee.outbox().fee()).sequence(UnsignedInteger.valueOf(seq))
        .signingPublicKey(payee.account().publicKey()).channel(Hash256.of(id))
        .amount(XrpCurrencyAmount.ofDrops(1_000_000)).build()));
    submitter.runOnce(); // the create is followed to validation, the fund goes out
    ledger.closeLedger();
    assertThat(ledger.channel(id).orElseThrow().amount).isEqualTo(6_000_000);
    ledger.forgetHistoryBefore(ledger.validatedIndex() + 1); // the server lost the ledger the fund is in
    for (int i = 0; i < 3 * payee.config().ledgerWindow(); i++) {
      submitter.runOnce();
      ledger.closeLedger();
    }
    assertThat(ledger.channel(id).orElseThrow().amount).as("the fund applied once").isEqualTo(6_000_000);
    ledger.forgetHistoryBefore(0);
    submitter.runOnce();
    assertThat(payee.outbox().list()).extracting(Outbox.Entry::kind, Outbox.Entry::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple("create", Outbox.VALIDATED),
        org.assertj.core.groups.Tuple.tuple("fund", Outbox.VALIDATED));
  }

  @Test
  void aBlobWhoseSequenceIsStillUnusedIsSentAgainEvenWhenTheServerLacksTheLedgers() {
    UserChannel ch = openOnLedger(20_000_000);
    payee.payee().accept(ch.pay(300_000));
    ledger.stall(true); // nothing applies: the claim's Sequence stays unused
    payee.tick();
    ledger.forgetHistoryBefore(Long.MAX_VALUE); // and the server cannot search any ledger
    for (int i = 0; i <= payee.config().ledgerWindow(); i++) {
      ledger.closeLedger();
    }
    ledger.stall(false);
    int sent = ledger.submittedBlobs().size();
    payee.tick(); // past LastLedgerSequence with the Sequence unused: it never validated; re-signed, fee raised
    payee.tick();
    assertThat(ledger.submittedBlobs()).hasSize(sent + 1);
    ledger.closeLedger();
    assertThat(onLedger(ch)).isEqualTo(300_000);
    assertThat(claimsValidated(ch)).isEqualTo(1);
  }

  @Test
  void theSameBlobSentAgainIsFollowedAgain() {
    UserChannel ch = openOnLedger(20_000_000);
    payee.payee().accept(ch.pay(100_000));
    int before = ledger.submittedBlobs().size(); // the channel's create
    ledger.rejectNext("PaymentChannelClaim", "tefMAX_LEDGER");
    payee.tick(); // refused; sent again next round with the same fee and range: the same bytes
    payee.tick(); // queued this time
    payee.tick(); // in flight: nothing new may go out
    List<String> sent = ledger.submittedBlobs().subList(before, ledger.submittedBlobs().size());
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1)).isEqualTo(sent.get(0));
    ledger.closeLedger();
    payee.tick();
    assertThat(onLedger(ch)).isEqualTo(100_000);
    assertThat(payee.outbox().list()).extracting(Outbox.Entry::status).containsExactly(Outbox.VALIDATED);
  }

  @Test
  void tefAlreadyIsNotAFailure() {
    UserChannel ch = openOnLedger(20_000_000);
    payee.payee().accept(ch.pay(500_000));
    ledger.answerAlreadyNext(1);
    payee.tick(); // queued and submitted; the server answers tefALREADY although it has queued the transaction
    assertThat(payee.outbox().list()).extracting(Outbox.Entry::result).containsExactly("tefALREADY");
    runUntil(() -> payee.outbox().open().isEmpty(), 10);
    assertThat(payee.outbox().list()).extracting(Outbox.Entry::status).containsExactly(Outbox.VALIDATED);
    assertThat(onLedger(ch)).isEqualTo(500_000);
  }

  @Test
  void twoSubmittersDoNotRace() throws Exception {
    List<UserChannel> chans = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      UserChannel ch = openOnLedger(20_000_000);
      payee.payee().accept(ch.pay(100_000 * (i + 1)));
      chans.add(ch);
    }
    payee.settlement().run(true);
    ledger.delayMillis = 20; // slow answers: two rounds started together overlap for sure
    Submitter submitter = payee.submitter().orElseThrow();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 4; round++) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Submitter.Round>> f = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          f.add(pool.submit(() -> {
            go.await();
            return submitter.runOnce(); // the timer tick and POST /api/outbox/submit
          }));
        }
        go.countDown();
        for (Future<Submitter.Round> x : f) {
          x.get();
        }
        ledger.closeLedger();
      }
    } finally {
      pool.shutdownNow();
    }
    ledger.delayMillis = 0;
    runUntil(() -> payee.outbox().open().isEmpty(), 20);
    assertThat(payee.outbox().list()).allSatisfy(e -> assertThat(e.status()).as(e.toString())
        .isEqualTo(Outbox.VALIDATED));
    for (int i = 0; i < 3; i++) {
      assertThat(onLedger(chans.get(i))).isEqualTo(100_000L * (i + 1));
      assertThat(claimsValidated(chans.get(i))).isEqualTo(1);
    }
  }

  void verifyBlobsWithXrplJs() throws Exception {
    List<String> blobs = ledger.submittedBlobs();
    if (blobs.isEmpty()) {
      return;
    }
    List<Map<String, Object>> reqs = blobs.stream().map(XrplJs::tx).toList();
    List<JsonNode> res = XrplJs.run(reqs);
    assertThat(res).allSatisfy(r -> assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue());
  }
}
