package io.fedsearch.federation.payments.economics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.List;

/**
 * A node's money as its payments journal holds it: what it sold, discovery fees earned and paid, hub fees, ledger
 * fees, capital locked in channels and how much of it was spent, per-payer averages, and the same per UTC day.
 * Amounts are drops. Read by {@link EconomicsReader}; shown by the dashboard and {@code GET /api/economics}.
 *
 * @param fromDay first day of {@code daily} (days since 1970-01-01, UTC)
 * @param daily one row per day from {@code fromDay} to today, days without activity included
 */
public record Economics(
    Sales sales, Fees fees, long hubFees, LedgerFees ledgerFees, Capital capital, Payers payers, long fromDay,
    List<Day> daily) {

  /** Sales this node (as a platform) made: count, gross revenue (prices) and the discovery fees they owe. */
  public record Sales(long count, long revenue, long feesOwed) {}

  /**
   * Discovery fees: earned as the node that surfaced a sale (claims on platforms' payout channels to us, and debts
   * of theirs netted against ours) and paid to others (payout claims we signed, and netted); {@code owedUnpaid}
   * is what this node still owes.
   */
  public record Fees(long earnedClaims, long earnedNetted, long paidClaims, long paidNetted, long owedUnpaid) {
    public long earned() {
      return earnedClaims + earnedNetted;
    }

    public long paid() {
      return paidClaims + paidNetted;
    }
  }

  /**
   * Ledger transaction fees (the outbox rows' Fee): {@code spent} by transactions the ledger applied (validated, or
   * failed with a tec code, which still takes the fee); {@code waiting} on rows not yet final.
   */
  public record LedgerFees(long spent, long spentTransactions, long waiting, long waitingTransactions) {}

  /**
   * Channels this node funds (payer role: the capital it locks), what it spent through them (cumulative claims it
   * signed), and channels others fund to it (payee role). {@code reserve} is the account reserve the ledger holds
   * for this node's account (base + owned objects × increment, as the server reports them), null without a ledger
   * or when the server could not be asked ({@code reserveNote} says which).
   */
  public record Capital(long payerChannels, long unconfirmedPayerChannels, long locked, long spent,
      long payeeChannels, long lockedToUs, long receivedOnThem, Long reserve, String reserveNote) {
    /** The same with the reserve the ledger reported (or null, and why not). */
    public Capital withReserve(Long drops, String note) {
      return new Capital(payerChannels, unconfirmedPayerChannels, locked, spent, payeeChannels, lockedToUs,
          receivedOnThem, drops, note);
    }

    /** Spent ÷ locked over the channels this node funds; null when it funds none. */
    public Double efficiency() {
      return locked == 0 ? null : (double) spent / locked;
    }
  }

  /**
   * For averages per payer account (the XRPL account of a buyer's channel): accounts that bought, and accounts with
   * a channel open to this node with the amounts they deposited.
   */
  public record Payers(long accounts, long channelAccounts, long channelAmount) {}

  /** One UTC day. {@code payers}: distinct payer accounts that bought that day. */
  public record Day(long day, long sales, long revenue, long feesOwed, long feesEarned, long feesPaid, long hubFees,
      long ledgerFees, long payers, long lockedOpened) {
    public String date() {
      return LocalDate.ofEpochDay(day).toString();
    }
  }

  /** The same figures with {@code capital} replaced. */
  public Economics withCapital(Capital c) {
    return new Economics(sales, fees, hubFees, ledgerFees, c, payers, fromDay, daily);
  }

  public ObjectNode toJsonNode() {
    ObjectMapper om = new ObjectMapper();
    ObjectNode o = om.createObjectNode();
    o.putObject("sales").put("count", sales.count).put("revenue", sales.revenue)
        .put("discovery_fees_owed", sales.feesOwed);
    ObjectNode f = o.putObject("discovery_fees");
    f.put("earned", fees.earned()).put("earned_by_claims", fees.earnedClaims)
        .put("earned_by_netting", fees.earnedNetted)
        .put("paid", fees.paid()).put("paid_by_claims", fees.paidClaims).put("paid_by_netting", fees.paidNetted)
        .put("owed_unpaid", fees.owedUnpaid);
    o.put("hub_fees", hubFees);
    o.putObject("ledger_fees").put("spent", ledgerFees.spent).put("spent_transactions", ledgerFees.spentTransactions)
        .put("waiting", ledgerFees.waiting).put("waiting_transactions", ledgerFees.waitingTransactions);
    ObjectNode c = o.putObject("capital");
    c.put("payer_channels", capital.payerChannels).put("unconfirmed_payer_channels", capital.unconfirmedPayerChannels)
        .put("locked", capital.locked).put("spent", capital.spent);
    if (capital.efficiency() == null) {
      c.putNull("efficiency");
    } else {
      c.put("efficiency", Math.round(capital.efficiency() * 10_000) / 10_000.0);
    }
    c.put("payee_channels", capital.payeeChannels).put("locked_to_us", capital.lockedToUs)
        .put("received_on_them", capital.receivedOnThem);
    if (capital.reserve == null) {
      c.putNull("reserve");
    } else {
      c.put("reserve", capital.reserve);
    }
    c.put("reserve_note", capital.reserveNote);
    ObjectNode p = o.putObject("per_payer");
    p.put("accounts", payers.accounts);
    p.put("purchases", per(sales.count, payers.accounts));
    p.put("revenue", per(sales.revenue, payers.accounts));
    p.put("channel_accounts", payers.channelAccounts);
    p.put("channel_amount", per(payers.channelAmount, payers.channelAccounts));
    ArrayNode days = o.putArray("daily");
    for (Day d : daily) {
      days.addObject().put("date", d.date()).put("sales", d.sales).put("revenue", d.revenue)
          .put("discovery_fees_owed", d.feesOwed).put("discovery_fees_earned", d.feesEarned)
          .put("discovery_fees_paid", d.feesPaid).put("hub_fees", d.hubFees).put("ledger_fees", d.ledgerFees)
          .put("payers", d.payers).put("locked_opened", d.lockedOpened);
    }
    return o;
  }

  /** {@code total / n} to two decimals; 0 when there is nothing to divide by. */
  static double per(long total, long n) {
    return n == 0 ? 0 : Math.round(100.0 * total / n) / 100.0;
  }
}
