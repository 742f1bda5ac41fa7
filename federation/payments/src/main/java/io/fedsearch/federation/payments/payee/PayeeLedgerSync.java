package io.fedsearch.federation.payments.payee;

import io.fedsearch.federation.payments.channel.ChannelTerms;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.channel.PaymentRejectedException;
import io.fedsearch.federation.payments.channel.Rejection;
import io.fedsearch.federation.payments.journal.ChannelRows;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.ledger.Ledger;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * A payee's channels as the validated ledger has them: every term read from the ledger and checked again by the
 * {@link TermsPolicy} (a channel whose terms this node does not accept is refused; one gone from the ledger is
 * closed), and a claim beyond a channel's known amount re-reads that channel once before it is judged.
 */
final class PayeeLedgerSync {
  /** Applies what the ledger says of one channel and writes it (also used without a ledger client: on start). */
  static final class Follow {
    private final PaymentsDb db;
    private final TermsPolicy policy;
    private final Clock clock;

    Follow(PaymentsDb db, TermsPolicy policy, Clock clock) {
      this.db = db;
      this.policy = policy;
      this.clock = clock;
    }

    /**
     * Takes every term of {@code s} from the ledger's {@code onLedger} and checks them: a channel whose terms this
     * node does not accept is {@value #REFUSED} (no new claims; accepted ones still settle). A confirmed channel gone
     * from the ledger is closed. Returns whether anything was written.
     */
    boolean refresh(PayeeChannel s, Optional<ChannelTerms> onLedger) {
      String status;
      ChannelTerms updated;
      synchronized (s) {
        if (!s.applyLedger(onLedger, policy, clock.instant())) {
          return false;
        }
        status = s.status;
        updated = s.terms;
      }
      db.write(c -> ChannelRows.updateTerms(c, updated, status));
      return true;
    }
  }

  private final Ledger ledger;
  private final Follow follow;

  PayeeLedgerSync(Ledger ledger, Follow follow) {
    this.ledger = ledger;
    this.follow = follow;
  }

  Optional<ChannelTerms> channel(String id) {
    try {
      return ledger.channel(id);
    } catch (RuntimeException e) {
      throw new PaymentRejectedException(Rejection.LEDGER_UNAVAILABLE,
          "this node could not ask the ledger about channel " + id + " (" + e.getMessage() + "): retry later");
    }
  }

  /**
   * A verified claim for more than the channel's known amount may follow a top-up the ledger has validated since the
   * last tick: re-read the channel once (at most once a second per channel, outside its lock) before judging it, so
   * the payer is not refused for the tick's lag. Only a claim signed with the channel's key gets here, so a stranger
   * cannot make this node ask the ledger.
   */
  void rereadOnShortfall(PayeeChannel s, Claim claim, Instant now) {
    synchronized (s) {
      if (claim.drops() <= s.terms.amount() || !s.terms.confirmed()
          || (s.lastShortfallRead != null && now.isBefore(s.lastShortfallRead.plusSeconds(1)))) {
        return;
      }
      s.lastShortfallRead = now;
    }
    try {
      follow.refresh(s, channel(claim.channel()));
    } catch (PaymentRejectedException e) {
      // the ledger is unreachable: the claim is judged on what is known (and refused as over the amount)
    }
  }

  /** Re-reads every channel's terms from the validated ledger and checks them again. */
  int refreshAll(Collection<PayeeChannel> channels) {
    int n = 0;
    for (PayeeChannel s : channels) {
      try {
        if (follow.refresh(s, channel(s.terms.id()))) {
          n++;
        }
      } catch (PaymentRejectedException e) {
        return n; // the ledger is unreachable: the next tick tries again
      }
    }
    return n;
  }
}
