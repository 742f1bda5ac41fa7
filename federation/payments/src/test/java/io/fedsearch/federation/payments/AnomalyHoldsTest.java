package io.fedsearch.federation.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.core.time.SimClock;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.net.PurchaseProtocol;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.payout.FeeBook;
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

/**
 * Anomaly holds over the purchase protocol (libp2p): only verified claims of funded, distinct payers count as
 * evidence against a serving node; token validity is capped and tokens from the future are refused; a hold lapses
 * unless an operator confirms it. Node 0 sells, node 1 (S) is the serving node whose fees are at stake.
 */
@Timeout(120)
class AnomalyHoldsTest {
  static final XrplJsAudit AUDIT = new XrplJsAudit();
  static final long PRICE = 100_000;

  @AfterAll
  static void xrplJsVerifiesEverythingProduced() throws Exception {
    AUDIT.verify(1);
  }

  @TempDir Path dir;
  SimClock clock = new SimClock(Instant.parse("2026-03-01T00:00:00Z"));
  P2pPayments fed;
  Payments platform;
  NodeKey serving;
  int sequence = 1;
  final Cid work = Cid.ofDagCbor(DagCbor.encode(Map.of("title", "a work on sale")));

  @BeforeEach
  void start() throws Exception {
    fed = new P2pPayments(dir, 2, PaymentsConfig.defaults().withDiscoveryShareBps(1000)
        .withTokenValidityAndHoldExpiry(Duration.ofHours(6), Duration.ofHours(1)), clock);
    platform = fed.nodes.get(0);
    serving = fed.keys.get(1);
    fed.list(0, work, PRICE);
  }

  @AfterEach
  void stop() {
    fed.nodes.forEach(AUDIT::collect);
    fed.close();
  }

  String token(Instant issued, Duration validity) {
    return AttributionToken.issue(serving, work, "q", issued, validity).encode();
  }

  String token() {
    return token(clock.instant().minusSeconds(30), Duration.ofHours(1));
  }

  UserChannel newBuyer() {
    return UserChannel.open(XrplAccountKey.generate(KeyType.ED25519), platform.account().address().value(),
        100 * PRICE, 86_400, Optional.empty(), sequence++, 12);
  }

  /** A buyer who has paid for one purchase: its channel carries accepted value. */
  UserChannel fundedBuyer() throws Exception {
    UserChannel ch = newBuyer();
    fed.buy(0, ch.pay(PRICE), work, PRICE, token(), Optional.of(ch.createBlob()));
    return ch;
  }

  static void refused(ThrowingCallable call, String code, String hint) {
    assertThatThrownBy(call).isInstanceOfSatisfying(PurchaseProtocol.Refused.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).contains(hint);
    });
  }

  Optional<String> held() {
    return platform.fees().of(serving.publicKey()).flatMap(FeeBook.Owed::heldReason);
  }

  @Test
  void replaysByPayersWhoPayNothingDoNotHoldTheNode() throws Exception {
    UserChannel honest = newBuyer();
    String t = token();
    fed.buy(0, honest.pay(PRICE), work, PRICE, t, Optional.of(honest.createBlob()));
    for (int i = 0; i < 4; i++) { // fresh accounts with signed creates and claims that verify, never paid before
      UserChannel stranger = newBuyer();
      refused(() -> fed.buy(0, stranger.claimFor(PRICE), work, PRICE, t, Optional.of(stranger.createBlob())),
          "token_reused", "already used");
    }
    for (int i = 0; i < 4; i++) { // claims whose signature does not verify on a funded channel
      UserChannel funded = fundedBuyer();
      Claim garbage = new Claim(funded.id(), 2 * PRICE, XrplAccountKey.generate(KeyType.ED25519)
          .signClaim(funded.id(), 2 * PRICE));
      refused(() -> fed.buy(0, garbage, work, PRICE, t, Optional.empty()), "token_reused", "already used");
    }
    assertThat(held()).isEmpty();
    assertThat(platform.payouts().pay(serving.publicKey()).status()).isEqualTo("paid");
  }

  @Test
  void oneBuyerBuyingFastManyTimesDoesNotHoldTheNode() throws Exception {
    UserChannel quick = newBuyer();
    fed.buy(0, quick.pay(PRICE), work, PRICE, token(clock.instant(), Duration.ofHours(1)),
        Optional.of(quick.createBlob()));
    for (int i = 0; i < 30; i++) {
      fed.buy(0, quick.pay(PRICE), work, PRICE, token(clock.instant(), Duration.ofHours(1)), Optional.empty());
    }
    assertThat(held()).isEmpty();
    // Many different paying buyers all buying within a second of the search: that is evidence.
    for (int i = 0; i < 25; i++) {
      UserChannel ch = newBuyer();
      fed.buy(0, ch.pay(PRICE), work, PRICE, token(clock.instant(), Duration.ofHours(1)),
          Optional.of(ch.createBlob()));
    }
    assertThat(held()).hasValueSatisfying(r -> assertThat(r).contains("convert implausibly").contains("payers"));
  }

  @Test
  void tokensValidTooLongOrIssuedInTheFutureAreRefused() throws Exception {
    UserChannel ch = newBuyer();
    refused(() -> fed.buy(0, ch.claimFor(PRICE), work, PRICE, token(clock.instant().plus(Duration.ofMinutes(10)),
        Duration.ofHours(1)), Optional.of(ch.createBlob())), "token_invalid", "ahead of this platform's time");
    refused(() -> fed.buy(0, ch.claimFor(PRICE), work, PRICE, token(clock.instant().minusSeconds(30),
        Duration.ofDays(30)), Optional.of(ch.createBlob())), "token_invalid", "valid for at most PT6H");
    assertThat(platform.payee().journal(ch.id())).isEmpty();
    fed.buy(0, ch.pay(PRICE), work, PRICE, token(), Optional.of(ch.createBlob()));
  }

  @Test
  void aHoldLapsesUnlessAnOperatorConfirmsIt() throws Exception {
    UserChannel[] payers = {fundedBuyer(), fundedBuyer(), fundedBuyer()};
    replayOneToken(payers);
    assertThat(held()).hasValueSatisfying(r -> assertThat(r).contains("replayed by 3 payers"));
    assertThat(platform.fees().of(serving.publicKey()).orElseThrow().holdLapsesAt())
        .contains(clock.instant().plus(Duration.ofHours(1)));
    assertThat(platform.payouts().pay(serving.publicKey()).status()).isEqualTo("held");
    clock.advance(Duration.ofMinutes(61));
    assertThat(held()).isEmpty();
    assertThat(platform.payouts().pay(serving.publicKey()).status()).isEqualTo("paid");

    // A new finding holds again; this time the operator confirms it and it stays.
    replayOneToken(payers);
    assertThat(held()).isPresent();
    assertThat(platform.fees().confirmHold(serving.publicKey())).isTrue();
    clock.advance(Duration.ofHours(5));
    assertThat(held()).isPresent();
    assertThat(platform.fees().of(serving.publicKey()).orElseThrow().holdLapsesAt()).isEmpty();
    fundedBuyer();
    assertThat(platform.payouts().pay(serving.publicKey()).status()).isEqualTo("held");
  }

  /** One payer uses a fresh token; the others each present it again with a claim that would pay. */
  private void replayOneToken(UserChannel[] payers) throws Exception {
    String t = token();
    fed.buy(0, payers[0].pay(PRICE), work, PRICE, t, Optional.empty());
    for (int i = 1; i < payers.length; i++) {
      UserChannel p = payers[i];
      refused(() -> fed.buy(0, p.claimFor(p.authorised() + PRICE), work, PRICE, t, Optional.empty()),
          "token_reused", "already used");
    }
    refused(() -> fed.buy(0, payers[0].claimFor(payers[0].authorised() + PRICE), work, PRICE, t, Optional.empty()),
        "token_reused", "already used");
  }
}
