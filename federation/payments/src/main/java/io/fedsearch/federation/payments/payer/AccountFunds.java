package io.fedsearch.federation.payments.payer;

import io.fedsearch.federation.payments.PaymentsConfig;
import io.fedsearch.federation.payments.ledger.Ledger;
import io.fedsearch.federation.payments.ledger.Outbox;
import java.util.List;

/**
 * What our account can still put into channels, as the validated ledger and our outbox say now. rippled applies a
 * PaymentChannelFund only when the account's balance, after the transaction's fee, covers the reserve for the objects
 * it owns plus the amount (else tecUNFUNDED; PayChanFund::doApply), so a top-up is sized to
 * <pre>balance − reserve(owned objects + creates in flight) − amounts in flight − fees (rows in flight + this one)</pre>
 * The reserves come from the server (validators vote them; never a constant here). "In flight" is our outbox rows
 * not yet final whose Sequence the validated ledger has not used (a used one is already in the balance). Fees are
 * counted at the submitter's cap, since it may raise a fee that far before the transaction validates. Callers
 * serialise sizing and queuing, so two top-ups are never sized from the same free balance.
 */
final class AccountFunds {
  /** Drops that can go into a channel now (never negative), and how that figure came about. */
  record Available(long drops, String why) {}

  private AccountFunds() {}

  static Available of(Ledger ledger, Outbox outbox, PaymentsConfig config) {
    // The outbox first, then the ledger: a row still open in the outbox whose Sequence the validated ledger has
    // used already is in the balance we read (applied, or never to apply); the rest are still to come.
    List<Outbox.Outflow> open = outbox.openOutflows();
    Ledger.AccountRoot root = ledger.account(outbox.key().address().value());
    Ledger.Reserves reserves = ledger.reserves();
    long coming = 0;
    int creates = 0;
    int rows = 0;
    for (Outbox.Outflow o : open) {
      if (o.sequence() >= root.sequence()) {
        coming += o.drops();
        creates += "create".equals(o.kind()) ? 1 : 0;
        rows++;
      }
    }
    long objects = root.ownerCount() + creates;
    long reserve = reserves.reserveFor(objects);
    long fees = (rows + 1L) * config.maxFeeDrops();
    long free = root.balanceDrops() - reserve - coming - fees;
    String why = "balance " + root.balanceDrops() + " drops, reserve " + reserve + " (" + reserves.baseDrops() + " + "
        + objects + " objects × " + reserves.incrementDrops() + ", the server's), " + coming
        + " on their way into channels, up to " + fees + " in fees";
    return new Available(Math.max(0, free), why);
  }
}
