package io.fedsearch.federation.payments;

import io.fedsearch.core.time.SimClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.channel.Rejection;
import io.fedsearch.federation.payments.payee.PayeeChannels;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.payout.PayoutTransport;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.core.keys.NodeKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/** Every way the payee refuses a claim or channel, each with a reason the payer can act on. */
@Timeout(60)
class PayeeRejectionsTest {
  static final XrplJsAudit AUDIT = new XrplJsAudit();

  @AfterAll
  static void xrplJsVerifiesEverythingProduced() throws Exception {
    AUDIT.verify(9);
  }

  @TempDir Path dir;
  SimClock clock = new SimClock(Instant.parse("2026-03-01T00:00:00Z"));
  Payments platform;
  PayeeChannels payee;
  XrplAccountKey user = XrplAccountKey.generate(KeyType.ED25519);
  UserChannel channel;

  @BeforeEach
  void open() {
    platform = Payments.open(dir, NodeKey.generate(), PaymentsConfig.defaults(), PayoutTransport.unavailable(),
        clock);
    payee = platform.payee();
    channel = UserChannel.open(user, me(), 10_000_000, 86_400,
        Optional.of(clock.instant().plus(Duration.ofDays(30))), 1, 12);
    payee.learnChannel(channel.createBlob(), null);
  }

  @AfterEach
  void close() {
    AUDIT.collect(platform);
    platform.close();
  }

  String me() {
    return platform.account().address().value();
  }

  static void rejected(ThrowingCallable call, Rejection reason, String hint) {
    assertThatThrownBy(call).isInstanceOfSatisfying(PaymentRejectedException.class, e -> {
      assertThat(e.reason()).isEqualTo(reason);
      assertThat(e.getMessage()).startsWith(reason.wireName() + ":").contains(hint);
    });
  }

  @Test
  void acceptsIncreasingClaimsAndJournalsThem() {
    assertThat(payee.accept(channel.pay(100)).increment()).isEqualTo(100);
    assertThat(payee.accept(channel.pay(250)).increment()).isEqualTo(250);
    assertThat(payee.journal(channel.id())).extracting(Claim::drops).containsExactly(100L, 350L);
    assertThat(payee.channel(channel.id()).orElseThrow().status()).isEqualTo("unconfirmed");
  }

  @Test
  void replayedClaim() {
    Claim c = channel.pay(500);
    payee.accept(c);
    rejected(() -> payee.accept(c), Rejection.REPLAYED, "sign a higher cumulative amount");
  }

  @Test
  void decreasingClaim() {
    Claim low = channel.pay(100);
    Claim high = channel.pay(100);
    payee.accept(high);
    rejected(() -> payee.accept(low), Rejection.DECREASING, "below the last accepted 200");
  }

  @Test
  void forgedClaim() {
    XrplAccountKey mallory = XrplAccountKey.generate(KeyType.ED25519);
    Claim forged = new Claim(channel.id(), 1000, mallory.signClaim(channel.id(), 1000));
    rejected(() -> payee.accept(forged), Rejection.FORGED, "does not verify with the channel's key");
    Claim secp = new Claim(channel.id(), 1000,
        XrplAccountKey.generate(KeyType.SECP256K1).signClaim(channel.id(), 1000));
    rejected(() -> payee.accept(secp), Rejection.FORGED, "does not verify");
    assertThat(payee.journal(channel.id())).isEmpty();
  }

  @Test
  void overBalanceClaim() {
    rejected(() -> payee.accept(channel.claimFor(10_000_001)), Rejection.OVER_BALANCE, "fund the channel");
    assertThat(payee.accept(channel.claimFor(10_000_000)).drops()).isEqualTo(10_000_000);
  }

  @Test
  void unknownChannel() {
    UserChannel other = UserChannel.open(user, me(), 1_000_000, 86_400, Optional.empty(), 2, 12);
    rejected(() -> payee.accept(other.pay(10)), Rejection.UNKNOWN_CHANNEL, "present its signed PaymentChannelCreate");
  }

  @Test
  void channelToSomeoneElse() {
    String elsewhere = XrplAccountKey.generate(KeyType.ED25519).address().value();
    UserChannel other = UserChannel.open(user, elsewhere, 1_000_000, 86_400, Optional.empty(), 3, 12);
    rejected(() -> payee.learnChannel(other.createBlob(), null), Rejection.NOT_DESTINATION, "open it to " + me());
  }

  @Test
  void forgedCreate() {
    // change one hex digit of the Destination field (the last 20 bytes): the signature no longer matches
    UserChannel fresh = UserChannel.open(user, me(), 1_000_000, 86_400, Optional.empty(), 4, 12);
    String t2 = fresh.createBlob();
    int j = t2.length() - 20;
    String tampered2 = t2.substring(0, j) + (t2.charAt(j) == '0' ? '1' : '0') + t2.substring(j + 1);
    rejected(() -> payee.learnChannel(tampered2, null), Rejection.FORGED, "signature does not verify");
  }

  @Test
  void aboutToExpireChannel() {
    UserChannel shortLived = UserChannel.open(user, me(), 1_000_000, 86_400,
        Optional.of(clock.instant().plus(Duration.ofMinutes(30))), 5, 12);
    rejected(() -> payee.learnChannel(shortLived.createBlob(), null), Rejection.ABOUT_TO_EXPIRE,
        "open a channel that lives longer");
    UserChannel later = UserChannel.open(user, me(), 1_000_000, 86_400,
        Optional.of(clock.instant().plus(Duration.ofHours(3))), 6, 12);
    payee.learnChannel(later.createBlob(), null);
    payee.accept(later.pay(10));
    clock.advance(Duration.ofHours(2).plusMinutes(1)); // now within the 1 h margin
    rejected(() -> payee.accept(later.pay(10)), Rejection.ABOUT_TO_EXPIRE, "open a new channel");
  }

  @Test
  void settleDelayTooShort() {
    UserChannel quick = UserChannel.open(user, me(), 1_000_000, 60, Optional.empty(), 7, 12);
    rejected(() -> payee.learnChannel(quick.createBlob(), null), Rejection.MALFORMED, "longer delay");
  }

  @Test
  void underpaidPurchaseClaimIsRefusedByIncrement() {
    payee.accept(channel.pay(100));
    Claim small = channel.pay(5);
    rejected(() -> {
      try {
        payee.acceptAsync(small, 10, null).join();
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause();
      }
    }, Rejection.UNDERPAID,
        "sign a cumulative amount of 110");
  }

  @Test
  void acceptedClaimsSurviveReopen() {
    payee.accept(channel.pay(100));
    payee.accept(channel.pay(23));
    platform.close();
    platform = Payments.open(dir, NodeKey.generate(), PaymentsConfig.defaults(), PayoutTransport.unavailable(),
        clock);
    payee = platform.payee();
    assertThat(payee.channel(channel.id()).orElseThrow().best()).isEqualTo(123);
    rejected(() -> payee.accept(channel.claimFor(123)), Rejection.REPLAYED, "already accepted");
  }
}
