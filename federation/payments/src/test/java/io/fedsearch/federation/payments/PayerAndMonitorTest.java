package io.fedsearch.federation.payments;

import io.fedsearch.core.time.SimClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.channel.Rejection;
import io.fedsearch.federation.payments.payer.PayerChannels;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.watch.ChannelMetrics;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/** Payer rules (never beyond the channel, top-up from the spend rate, idle close) and channel watching. */
@Timeout(60)
class PayerAndMonitorTest {
  static final XrplJsAudit AUDIT = new XrplJsAudit();

  @AfterAll
  static void xrplJsVerifiesEverythingProduced() throws Exception {
    AUDIT.verify(20);
  }

  @TempDir Path dir;
  SimClock clock = new SimClock(Instant.parse("2026-03-01T00:00:00Z"));
  Federation fed;
  Payments a;
  Payments b;

  @BeforeEach
  void open() {
    fed = new Federation(dir, 2, PaymentsConfig.defaults(), clock);
    a = fed.nodes.get(0);
    b = fed.nodes.get(1);
  }

  @AfterEach
  void close() {
    fed.nodes.forEach(AUDIT::collect);
    fed.close();
  }

  @Test
  void claimsNeverExceedTheChannelAndSurviveRestart() {
    PayerChannels.Opened ch = a.payer().open(b.account().address().value(), 1_000, 3600, Optional.empty(), "b");
    assertThat(a.payer().authorise(ch.terms().id(), 600).drops()).isEqualTo(600);
    assertThatThrownBy(() -> a.payer().authorise(ch.terms().id(), 401))
        .isInstanceOfSatisfying(PaymentRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Rejection.OVER_BALANCE));
    assertThat(a.payer().authorise(ch.terms().id(), 400).drops()).isEqualTo(1_000);
    PayerChannels reloaded = new PayerChannels(a.db(), a.outbox(), a.config(), clock);
    assertThat(reloaded.channels()).singleElement().satisfies(v -> assertThat(v.authorised()).isEqualTo(1_000));
  }

  @Test
  void topsUpFromTheRecentSpendRateAndClosesIdleChannels() {
    PayerChannels.Opened ch = a.payer().open(b.account().address().value(), 100_000_000, 3600, Optional.empty(),
        "b");
    String id = ch.terms().id();
    b.payee().learnChannel(ch.createBlob(), "a");
    // 1,000 drops a second for 10 minutes: 6 h at that rate needs 21.6 M; the channel has 99.4 M left -> no top-up
    for (int i = 0; i < 10; i++) {
      a.payer().authorise(id, 60_000);
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(a.payer().spendRate(id)).isBetween(900.0, 1_200.0);
    assertThat(a.payer().maintain()).isEmpty();
    // ten times faster: 6 h needs ~216 M > what is left -> fund to twice the need
    for (int i = 0; i < 10; i++) {
      a.payer().authorise(id, 600_000);
      clock.advance(Duration.ofMinutes(1));
    }
    List<PayerChannels.Action> actions = a.payer().maintain();
    assertThat(actions).singleElement().satisfies(act -> {
      assertThat(act.kind()).isEqualTo("fund");
      assertThat(act.why()).contains("drops/s");
    });
    long before = b.payee().channel(id).orElseThrow().terms().amount();
    b.payee().learnFund(actions.get(0).blob());
    assertThat(b.payee().channel(id).orElseThrow().terms().amount()).isEqualTo(before + actions.get(0).drops());
    clock.advance(Duration.ofDays(8));
    assertThat(a.payer().maintain()).singleElement().satisfies(act -> assertThat(act.kind()).isEqualTo("close"));
    assertThat(a.outbox().list()).extracting(e -> e.kind()).containsExactly("create", "fund", "close");
  }

  /**
   * Without a ledger, a platform paid over a hub's channel knows only the create: the upkeep must not top that
   * channel up (the hub would then sign claims beyond what the platform accepts, and every purchase past the
   * create's amount came back credited over_balance — seen in the demo). A payout channel, whose payee learns funds
   * from the payout messages, still is.
   */
  @Test
  void withoutALedgerAHubsPurchaseChannelIsNeverToppedUp() {
    PayerChannels.Opened hub = a.payer().open(b.account().address().value(), 100_000_000, 3600, Optional.empty(),
        PayerChannels.PURCHASE_CHANNEL_PREFIX + "platform");
    PayerChannels.Opened payout = a.payer().open(b.account().address().value(), 100_000_000, 3600, Optional.empty(),
        "b");
    for (int i = 0; i < 10; i++) { // the spend that tops a channel up (see the test above)
      a.payer().authorise(hub.terms().id(), 600_000);
      a.payer().authorise(payout.terms().id(), 600_000);
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(a.payer().maintain()).singleElement().satisfies(act -> {
      assertThat(act.kind()).isEqualTo("fund");
      assertThat(act.channel()).isEqualTo(payout.terms().id());
    });
  }

  @Test
  void aBurstAfterAQuietHourIsAveragedOverTheWindowAndAnIdleChannelHasNoRate() {
    PayerChannels.Opened ch = a.payer().open(b.account().address().value(), 100_000_000, 3600, Optional.empty(),
        "b");
    String id = ch.terms().id();
    clock.advance(Duration.ofHours(2));
    // 12 XRP in two minutes after two quiet hours: 12 M over the 1 h window is 3,333 drops/s, 6 h of which (72 M)
    // the 88 M left covers. Read as 100,000 drops/s for 6 h, it would lock ~4,200 XRP more in the channel.
    for (int i = 0; i < 60; i++) {
      a.payer().authorise(id, 200_000);
      clock.advance(Duration.ofSeconds(2));
    }
    assertThat(a.payer().spendRate(id)).isBetween(3_300.0, 3_400.0);
    assertThat(a.payer().maintain()).isEmpty();
    // an hour later nothing was spent within the window: no rate, so nothing to top up
    clock.advance(Duration.ofMinutes(61));
    assertThat(a.payer().spendRate(id)).isZero();
    assertThat(a.payer().maintain()).isEmpty();
    // after a restart the rate counts from the reload on; it does not extrapolate what came before
    PayerChannels reloaded = new PayerChannels(a.db(), a.outbox(), a.config(), clock);
    assertThat(reloaded.spendRate(id)).isZero();
    reloaded.authorise(id, 3_600_000);
    assertThat(reloaded.spendRate(id)).isEqualTo(1_000.0);
  }

  @Test
  void aTopUpFromTheSpendRateStopsAtTheCeiling() {
    PayerChannels payer = new PayerChannels(a.db(), a.outbox(), a.config().withTopUpCeiling(150_000_000), clock);
    String id = payer.open(b.account().address().value(), 100_000_000, 3600, Optional.empty(), "b").terms().id();
    // 10,000 drops/s for 10 minutes: 6 h needs 216 M, twice that would add ~338 M; the ceiling allows 50 M
    for (int i = 0; i < 10; i++) {
      payer.authorise(id, 600_000);
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(payer.maintain()).singleElement().satisfies(act -> {
      assertThat(act.kind()).isEqualTo("fund");
      assertThat(act.drops()).isEqualTo(50_000_000);
      assertThat(act.why()).contains("capped at the top-up ceiling of 150000000 drops");
    });
    assertThat(payer.maintain()).isEmpty(); // at the ceiling: what a payout needs now is funded when it is paid
    assertThat(payer.channels()).singleElement().satisfies(v -> assertThat(v.terms().amount()).isEqualTo(150_000_000));
  }

  @Test
  void warnsBeforeAChannelRunsDryOrExpiresAndReportsUnsettledValue() {
    UserChannel user = UserChannel.open(XrplAccountKey.generate(KeyType.ED25519), a.account().address().value(),
        1_000_000, 86_400, Optional.of(clock.instant().plus(Duration.ofHours(20))), 1, 12);
    a.payee().learnChannel(user.createBlob(), null);
    for (int i = 0; i < 10; i++) {
      a.payee().accept(user.pay(10_000));
      clock.advance(Duration.ofSeconds(10));
    }
    ChannelMetrics m = a.monitor().all().stream().filter(x -> x.id().equals(user.id())).findFirst().orElseThrow();
    assertThat(m.role()).isEqualTo("payee");
    assertThat(m.used()).isEqualTo(100_000);
    assertThat(m.remaining()).isEqualTo(900_000);
    assertThat(m.unsettled()).isEqualTo(100_000);
    assertThat(m.spendRate()).isBetween(900.0, 1_200.0);
    assertThat(m.timeToExhaustion()).hasValueSatisfying(d -> assertThat(d.toMinutes()).isBetween(10L, 20L));
    assertThat(m.warnings()).anyMatch(w -> w.startsWith("runs dry in about"))
        .anyMatch(w -> w.startsWith("expires at") && w.contains("settle the 100000 unsettled drops"))
        .contains("unconfirmed on ledger");
    assertThat(a.monitor().warnings()).hasSize(1);
    a.settlement().run(true);
    assertThat(a.monitor().all().get(0).unsettled()).isZero();
  }

  @Test
  void settlementIsDueByThresholdExpiryOrPeriod() {
    PaymentsConfig cfg = a.config();
    UserChannel user = UserChannel.open(XrplAccountKey.generate(KeyType.ED25519), a.account().address().value(),
        100_000_000, 86_400, Optional.of(clock.instant().plus(Duration.ofDays(3))), 1, 12);
    a.payee().learnChannel(user.createBlob(), null);
    a.payee().accept(user.pay(1_000));
    assertThat(a.settlement().run()).isEmpty();
    a.payee().accept(user.pay(cfg.settleThreshold()));
    assertThat(a.settlement().run()).singleElement().satisfies(s -> assertThat(s.why()).contains("threshold"));
    a.payee().accept(user.pay(5));
    assertThat(a.settlement().run()).isEmpty();
    clock.advance(cfg.settlePeriod());
    assertThat(a.settlement().run()).singleElement().satisfies(s -> assertThat(s.why()).contains("period"));
    a.payee().accept(user.pay(5));
    clock.advance(Duration.ofHours(44)); // 3 days - 44 h - 24 h = 4 h left < 6 h
    assertThat(a.settlement().run()).singleElement().satisfies(s -> assertThat(s.why()).contains("expires"));
    // every settlement replaced the unsubmitted claim: one claim row, at the best amount
    assertThat(a.outbox().list()).singleElement().satisfies(e -> assertThat(e.kind()).isEqualTo("claim"));
    assertThat(a.payee().channel(user.id()).orElseThrow().settled()).isEqualTo(1_000 + cfg.settleThreshold() + 10);
  }
}
