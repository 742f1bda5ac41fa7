package io.fedsearch.federation.payments.payer;

import io.fedsearch.federation.payments.channel.ChannelTerms;
import io.fedsearch.federation.payments.journal.ChannelRows;
import io.fedsearch.federation.payments.journal.PaymentsDb;
import io.fedsearch.federation.payments.ledger.Ledger;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps a payer's channels as the validated ledger has them: amount, balance and expiration from the ledger, never
 * from what was queued; a channel the ledger no longer has (closed, or its create failed) is closed here too.
 */
final class PayerLedgerSync {
  private final PaymentsDb db;
  private final Outbox outbox;
  private final Ledger ledger;
  private final XrplAccountKey key;

  PayerLedgerSync(PaymentsDb db, Outbox outbox, Ledger ledger, XrplAccountKey key) {
    this.db = db;
    this.outbox = outbox;
    this.ledger = ledger;
    this.key = key;
  }

  /**
   * With a ledger: takes each of our channels' amount, balance and expiration from the validated ledger (one
   * account_channels listing). A channel the ledger has is open; one it no longer has, or whose create is final
   * without the ledger having it (it failed), is closed. Returns how many channels changed; an unreachable ledger
   * changes nothing (the next tick tries again).
   */
  int refreshAll(List<PayerChannel> known) {
    // Order matters: the channels first, then the creates in flight, then the ledger. A channel opened meanwhile is
    // left for the next refresh; a create that validated between the reads is then on the ledger we read.
    Map<String, ChannelTerms> onLedger = new HashMap<>();
    Set<String> creating;
    try {
      creating = outbox.openAmounts("create").keySet();
      for (ChannelTerms t : ledger.channelsFrom(key.address().value())) {
        onLedger.put(t.id(), t);
      }
    } catch (RuntimeException e) {
      return 0;
    }
    int n = 0;
    for (PayerChannel s : known) {
      if (apply(s, Optional.ofNullable(onLedger.get(s.terms.id())), creating.contains(s.terms.id()))) {
        n++;
      }
    }
    return n;
  }

  /** Reads one channel from the ledger (a claim that would not fit what we last read). */
  void refresh(PayerChannel s) {
    String id = s.terms.id();
    boolean creating;
    Optional<ChannelTerms> onLedger;
    try {
      creating = outbox.openAmounts("create").containsKey(id);
      onLedger = ledger.channel(id);
    } catch (RuntimeException e) {
      return; // unreachable: what we read last stands
    }
    apply(s, onLedger, creating);
  }

  /** Brings {@code s} to what the validated ledger says; returns whether anything changed. */
  private boolean apply(PayerChannel s, Optional<ChannelTerms> onLedger, boolean creating) {
    ChannelTerms terms;
    String status;
    s.lock.lock();
    try {
      if (onLedger.isPresent()) {
        ChannelTerms t = onLedger.get();
        if (!t.source().equals(key.address().value()) || !t.publicKey().equals(key.publicKey())) {
          return false; // not a channel we can sign for: never let it raise what we sign
        }
        String next = "unconfirmed".equals(s.status) || "closed".equals(s.status) ? "open" : s.status;
        if (t.equals(s.terms) && next.equals(s.status)) {
          return false;
        }
        s.terms = t;
        s.status = next;
      } else {
        if ("closed".equals(s.status) || !s.terms.confirmed() && creating) {
          return false; // gone already, or its create is still on its way
        }
        s.status = "closed"; // closed on the ledger, or its create failed: a payout opens another channel
      }
      terms = s.terms;
      status = s.status;
    } finally {
      s.lock.unlock();
    }
    db.write(c -> ChannelRows.updateLedger(c, terms, status));
    return true;
  }
}
