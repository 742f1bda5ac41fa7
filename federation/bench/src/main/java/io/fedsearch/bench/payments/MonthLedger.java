package io.fedsearch.bench.payments;

import io.fedsearch.federation.payments.netting.CycleCancellation;
import io.fedsearch.federation.payments.netting.CycleStatement;
import io.fedsearch.federation.payments.netting.DebtGraph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a month of purchases ({@link MonthPlan}) puts on the ledger in one topology, and what netting saves.
 *
 * <ul>
 *   <li>direct: each user opens a channel to every platform it buys from: a create and, at the month's end, one
 *       settlement claim each;</li>
 *   <li>hub: each user opens one channel to its hub (create + one settlement claim); each hub keeps a channel to
 *       every platform its users buy from, opened with a day of that pair's spend and topped up by a week of spend
 *       whenever it runs low (the payer's spend-rate top-up), settled once at the month's end.</li>
 * </ul>
 * In both, platforms owe discovery fees ({@link #FEE_BPS} of the price) to the serving node when it is another
 * node, and — hub topology — hubs owe platforms the prices they forwarded. Those debts are set off multilaterally
 * ({@link CycleCancellation}); every discovery-fee debt left needs a payout channel (a create and one settlement
 * claim), while a hub's residual debt to a platform rides the channel it already has. The naive count is one
 * ledger payment per purchase and per discovery fee.
 */
final class MonthLedger {
  static final int FEE_BPS = 1000;
  static final int DAYS = 30;
  static final int TOP_UP_DAYS = 7;

  final boolean hub;
  long purchases;
  long feePayments;
  long userChannels;
  long hubChannels;
  long hubTopUps;
  long payoutChannels;
  long grossDebt;
  long bilateralCancelled;
  long multilateralCancelled;
  /** The least debt any set-off can leave: what the net debtors owe net (nobody's net position changes). */
  long netDebt;
  int cycles;
  /** The month's debts, for a run of the real protocol over them ({@link NettingRun}). */
  DebtGraph debts;

  private MonthLedger(boolean hub) {
    this.hub = hub;
  }

  static MonthLedger of(MonthPlan plan, boolean hub) {
    MonthLedger m = new MonthLedger(hub);
    long[][] spend = new long[Math.max(1, plan.hubs)][plan.platforms];
    long[][] fees = new long[plan.platforms][plan.servers()];
    boolean[] buysFrom = new boolean[plan.platforms];
    int[] current = {-1};
    plan.forEach(0, plan.users, (user, platform, price, server) -> {
      if (user != current[0]) {
        current[0] = user;
        java.util.Arrays.fill(buysFrom, false);
        m.userChannels += hub ? 1 : 0;
      }
      if (!hub && !buysFrom[platform]) {
        m.userChannels++;
      }
      buysFrom[platform] = true;
      m.purchases++;
      if (hub) {
        spend[plan.hubOf(user)][platform] += price;
      }
      if (server != platform) {
        m.feePayments++;
        fees[platform][server] += price * FEE_BPS / 10_000;
      }
    });
    DebtGraph debts = new DebtGraph();
    for (int p = 0; p < plan.platforms; p++) {
      for (int s = 0; s < plan.servers(); s++) {
        if (s != p) {
          debts.add(name(plan, p), name(plan, s), fees[p][s]);
        }
      }
    }
    if (hub) {
      for (int h = 0; h < plan.hubs; h++) {
        for (int p = 0; p < plan.platforms; p++) {
          if (spend[h][p] > 0) {
            m.hubChannels++;
            m.hubTopUps += topUps(spend[h][p]);
            debts.add(name(plan, plan.platforms + h), name(plan, p), spend[h][p]);
          }
        }
      }
    }
    m.debts = debts;
    m.grossDebt = debts.total();
    for (String node : debts.nodes()) {
      m.netDebt += Math.max(0, -debts.net(node));
    }
    m.bilateralCancelled = CycleCancellation.bilateral(debts).cancelled();
    CycleCancellation.Result multi = CycleCancellation.cancel(debts, CycleStatement.MAX_PARTIES);
    m.multilateralCancelled = multi.cancelled();
    m.cycles = multi.cycles().size();
    for (Map.Entry<List<String>, Long> e : multi.residual().edges()) {
      boolean hubToPlatform = e.getKey().get(0).startsWith("hub") && e.getKey().get(1).startsWith("platform");
      if (!hubToPlatform) {
        m.payoutChannels++;
      }
    }
    return m;
  }

  /** Top-ups of a channel opened with a day of {@code monthSpend}, each adding a week of it, over the month. */
  static long topUps(long monthSpend) {
    double daily = (double) monthSpend / DAYS;
    double left = monthSpend - daily;
    return left <= 0 ? 0 : (long) Math.ceil(left / (TOP_UP_DAYS * daily) - 1e-9);
  }

  private static String name(MonthPlan plan, int node) {
    return node < plan.platforms ? "platform" + node : "hub" + (node - plan.platforms);
  }

  long payments() {
    return purchases + feePayments;
  }

  long ledgerTxs() {
    return 2 * userChannels + 2 * hubChannels + hubTopUps + 2 * payoutChannels;
  }

  long channels() {
    return userChannels + hubChannels + payoutChannels;
  }

  /** The figures, rounded for printing. */
  Map<String, Object> figures() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("purchases", purchases);
    out.put("discovery_fee_payments", feePayments);
    out.put("payments", payments());
    out.put("ledger_txs", ledgerTxs());
    out.put("ledger_txs_naive", payments());
    out.put("ledger_txs_per_1000_payments", round(1000.0 * ledgerTxs() / payments(), 100));
    out.put("reduction", round(1 - (double) ledgerTxs() / payments(), 10_000));
    out.put("channels", channels());
    out.put("user_channels", userChannels);
    out.put("hub_channels", hubChannels);
    out.put("hub_top_ups", hubTopUps);
    out.put("payout_channels", payoutChannels);
    out.put("gross_debt_drops", grossDebt);
    out.put("bilateral_netting_saving", grossDebt == 0 ? 0.0 : round((double) bilateralCancelled / grossDebt, 10_000));
    out.put("multilateral_netting_saving",
        grossDebt == 0 ? 0.0 : round((double) multilateralCancelled / grossDebt, 10_000));
    // The most any set-off could save, even one that moved debts onto new edges (novation), which cycle
    // cancellation does not: every node left owing only its net position. To read the two savings against.
    out.put("net_position_bound", grossDebt == 0 ? 0.0 : round(1 - (double) netDebt / grossDebt, 10_000));
    out.put("netting_cycles", cycles);
    return out;
  }

  static double round(double v, double scale) {
    return Math.round(v * scale) / scale;
  }
}
