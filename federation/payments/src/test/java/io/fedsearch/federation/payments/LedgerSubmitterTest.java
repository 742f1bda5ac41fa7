package io.fedsearch.federation.payments;

import io.fedsearch.core.time.SimClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.payments.channel.ChannelTerms;
import io.fedsearch.federation.payments.ledger.Ledger;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.ledger.Submitter;
import io.fedsearch.federation.payments.ledger.XrplLedger;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * With a rippled URL configured (here a local RippledTestDouble): channel state comes from the ledger through
 * xrpl4j's client, settlement claims are submitted with LastLedgerSequence, re-signed with a higher fee after they
 * expire, re-sequenced after tefPAST_SEQ, and followed to validation. xrpl.js verifies every blob submitted.
 */
@Timeout(120)
class LedgerSubmitterTest {
  @TempDir Path dir;
  RippledTestDouble rippled;
  SimClock clock = new SimClock(Instant.parse("2026-03-01T00:00:00Z"));
  Payments payee;
  Ledger ledger;

  @BeforeEach
  void start() throws Exception {
    rippled = new RippledTestDouble();
    ledger = new XrplLedger(rippled.url());
    PaymentsConfig cfg = PaymentsConfig.defaults().withRippledUrl(rippled.url()).withKeyType(KeyType.SECP256K1);
    payee = Payments.open(dir, NodeKey.generate(), cfg, PayoutTransport.unavailable(), clock);
  }

  @AfterEach
  void stop() {
    payee.close();
    rippled.close();
  }

  UserChannel openOnLedger(int seq) {
    XrplAccountKey user = XrplAccountKey.generate(KeyType.ED25519);
    rippled.sequences.put(user.address().value(), (long) seq);
    UserChannel ch = UserChannel.open(user, payee.account().address().value(), 20_000_000, 86_400,
        Optional.of(clock.instant().plus(Duration.ofDays(10))), seq, 12);
    synchronized (rippled) {
      rippled.handleSubmit(ch.createBlob());
    }
    rippled.closeLedger();
    return ch;
  }

  @Test
  void channelStateComesFromTheLedger() {
    UserChannel ch = openOnLedger(5);
    Optional<ChannelTerms> t = ledger.channel(ch.id());
    assertThat(t).hasValueSatisfying(x -> {
      assertThat(x.amount()).isEqualTo(20_000_000);
      assertThat(x.destination()).isEqualTo(payee.account().address().value());
      assertThat(x.confirmed()).isTrue();
      assertThat(x.cancelAfter()).isPresent();
    });
    assertThat(ledger.channelsFrom(ch.key().address().value())).extracting(ChannelTerms::id).containsExactly(ch.id());
    assertThat(ledger.channel("0".repeat(64))).isEmpty();
    // the payee learns the channel from the ledger on the first claim, no create presented
    payee.payee().accept(ch.pay(1000));
    assertThat(payee.payee().channel(ch.id()).orElseThrow().status()).isEqualTo("open");
    assertThat(payee.payee().channel(ch.id()).orElseThrow().terms().confirmed()).isTrue();
  }

  @Test
  void submitsWithLastLedgerSequenceEscalatesFeesAndReachesFinality() throws Exception {
    UserChannel ch = openOnLedger(7);
    for (int i = 0; i < 5; i++) {
      payee.payee().accept(ch.pay(100_000));
    }
    rippled.requiredFee = 40; // the network wants more than the server's fee figure suggests
    rippled.reportedFee = 10;
    assertThat(payee.settlement().run(true)).hasSize(1);
    Submitter submitter = payee.submitter().orElseThrow();
    List<Long> fees = new ArrayList<>();
    String finalStatus = null;
    for (int round = 0; round < 40 && finalStatus == null; round++) {
      submitter.runOnce();
      Outbox.Entry e = payee.outbox().list().get(0);
      if (Outbox.SUBMITTED.equals(e.status()) && (fees.isEmpty() || fees.get(fees.size() - 1) != e.fee())) {
        fees.add(e.fee());
        assertThat(e.lastLedger()).isEqualTo(rippled.validatedIndex + payee.config().ledgerWindow());
      }
      if (Outbox.VALIDATED.equals(e.status()) || Outbox.FAILED.equals(e.status())) {
        finalStatus = e.status() + " " + e.result();
      }
      for (int k = 0; k < 7; k++) {
        rippled.closeLedger();
      }
    }
    assertThat(finalStatus).isEqualTo("validated tesSUCCESS");
    assertThat(fees).containsExactly(12L, 24L, 48L);
    assertThat(rippled.channels.get(ch.id()).path("Balance").asText()).isEqualTo("500000");
    // every blob that went to the server verifies with xrpl.js, and each carries a LastLedgerSequence
    List<Map<String, Object>> reqs = rippled.submittedBlobs.stream().map(XrplJs::tx).toList();
    List<JsonNode> res = XrplJs.run(reqs);
    assertThat(res).allSatisfy(r -> {
      assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
    });
    assertThat(res.subList(1, res.size())).allSatisfy(r -> assertThat(r.path("last_ledger").isNull()).isFalse());
  }

  @Test
  void pastSequenceIsResequencedAndAlreadyFinalRowsStay() {
    UserChannel ch = openOnLedger(9);
    payee.payee().accept(ch.pay(1_000));
    payee.settlement().run(true);
    // another wallet used our account meanwhile: the ledger is ahead of our local sequence
    rippled.sequences.put(payee.account().address().value(), 50L);
    Submitter submitter = payee.submitter().orElseThrow();
    Submitter.Round first = submitter.runOnce();
    assertThat(first.notes()).anyMatch(n -> n.contains("re-sequenced"));
    assertThat(payee.outbox().list().get(0).sequence()).isEqualTo(50);
    submitter.runOnce();
    rippled.closeLedger();
    Submitter.Round last = submitter.runOnce();
    assertThat(last.validated()).isEqualTo(1);
    assertThat(payee.outbox().open()).isEmpty();
    assertThat(submitter.runOnce().submitted()).isZero();
  }
}
