package io.fedsearch.bench.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ledger count of {@code bench payouts --topology} against counts made directly from the same plan. */
class MonthLedgerTest {
  @Test
  void directOpensAChannelPerUserAndPlatformBoughtFromAndHubOnePerUser() {
    MonthPlan direct = new MonthPlan(10, 0, 300, 40, 1.0, 7);
    Set<Long> pairs = new HashSet<>();
    long[] fees = {0};
    direct.forEach(0, 300, (u, p, price, s) -> {
      pairs.add((long) u * 100 + p);
      fees[0] += s != p ? 1 : 0;
    });
    MonthLedger d = MonthLedger.of(direct, false);
    assertThat(d.purchases).isEqualTo(300 * 40);
    assertThat(d.userChannels).isEqualTo(pairs.size());
    assertThat(d.feePayments).isEqualTo(fees[0]);
    assertThat(d.hubChannels).isZero();
    assertThat(d.ledgerTxs()).isEqualTo(2 * pairs.size() + 2 * d.payoutChannels);

    MonthLedger h = MonthLedger.of(new MonthPlan(10, 3, 300, 40, 1.0, 7), true);
    assertThat(h.userChannels).isEqualTo(300);
    assertThat(h.hubChannels).isEqualTo(30); // 100 users per hub buy from every platform
    assertThat(h.ledgerTxs()).isEqualTo(2 * 300 + 2 * 30 + h.hubTopUps + 2 * h.payoutChannels);
    assertThat(h.ledgerTxs()).isLessThan(d.ledgerTxs());
    assertThat(h.multilateralCancelled).isGreaterThanOrEqualTo(h.bilateralCancelled);
    assertThat(h.grossDebt - h.multilateralCancelled).isGreaterThanOrEqualTo(h.netDebt);
  }

  @Test
  void aHubChannelOpenedWithADayIsToppedUpByAWeekAtATime() {
    assertThat(MonthLedger.topUps(3_000)).isEqualTo(5); // 2,900 left after the first day, 700 a top-up
    assertThat(MonthLedger.topUps(30)).isEqualTo(5);
    assertThat(MonthLedger.topUps(0)).isZero();
  }

  @Test
  void theSamePlanGivesTheSamePurchasesWhicheverSliceIsReplayed() {
    MonthPlan plan = new MonthPlan(10, 3, 50, 10, 1.0, 3);
    // the sample measured on real nodes is the first users' purchases of the month counted on the ledger
    StringBuilder inWhole = new StringBuilder();
    plan.forEach(0, 50, (u, p, price, s) -> {
      if (u >= 20 && u < 30) {
        inWhole.append(u).append(',').append(p).append(',').append(price).append(',').append(s).append(';');
      }
    });
    StringBuilder slice = new StringBuilder();
    plan.forEach(20, 30, (u, p, price, s) -> slice.append(u).append(',').append(p).append(',').append(price)
        .append(',').append(s).append(';'));
    assertThat(slice.toString()).isEqualTo(inWhole.toString()).isNotEmpty();
  }
}
