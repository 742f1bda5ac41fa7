package io.fedsearch.web.node;

import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.ledger.Submitter;
import io.fedsearch.federation.payments.payee.Settlement;
import io.fedsearch.federation.payments.payer.PayerChannels;
import io.fedsearch.federation.payments.payout.PayoutService;
import io.fedsearch.federation.payments.purchase.PurchaseService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The payments side of the node's event log, one {@code key=value} line per event (as {@link PeerEvents}):
 * claims refused (by reason), settlements queued, channel upkeep, payouts, and each submitter round that did
 * something. Accepted claims are logged at FINE only (there is one per sale). Refusals are a payer's doing, so
 * each reason logs at most one line per {@link #REFUSAL_INTERVAL_MS}, saying how many were left out.
 */
public final class PaymentEvents {
  static final long REFUSAL_INTERVAL_MS = 10_000;
  private static final Logger LOG = Logger.getLogger("io.fedsearch.payments");

  /** Per rejection reason (an enum's names, so few): when the next line may be written, and lines left out. */
  private final Map<String, long[]> throttle = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> suppressed = new ConcurrentHashMap<>();

  PaymentEvents() {}

  void claim(PurchaseService.Request r, String rejection, String detail, long nanos) {
    if (rejection == null) {
      if (LOG.isLoggable(Level.FINE)) {
        LOG.fine("event=claim_accepted channel=" + r.claim().channel() + " cid=" + r.cid() + " price=" + r.price()
            + " claim_drops=" + r.claim().drops() + " took_ms=" + nanos / 1_000_000);
      }
      return;
    }
    if (!LOG.isLoggable(Level.INFO) || !due(rejection)) {
      return;
    }
    long left = suppressed.computeIfAbsent(rejection, k -> new AtomicLong()).getAndSet(0);
    LOG.info("event=claim_rejected reason=" + rejection + " channel=" + (r.claim() == null ? "" : r.claim().channel())
        + " cid=" + r.cid() + " price=" + r.price() + " detail=" + quote(detail)
        + (left > 0 ? " suppressed_since_last=" + left : ""));
  }

  private boolean due(String reason) {
    long now = System.nanoTime();
    long[] next = throttle.computeIfAbsent(reason, k -> new long[] {Long.MIN_VALUE});
    synchronized (next) {
      if (next[0] != Long.MIN_VALUE && now - next[0] < 0) {
        suppressed.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
        return false;
      }
      next[0] = now + REFUSAL_INTERVAL_MS * 1_000_000L;
      return true;
    }
  }

  /** What one payments tick did. */
  void tick(Payments.Tick t) {
    for (Settlement.Settled s : t.settled()) {
      LOG.info("event=settlement_queued channel=" + s.channel() + " balance_drops=" + s.balance() + " why="
          + quote(s.why()));
    }
    for (PayerChannels.Action a : t.maintenance()) {
      LOG.info("event=channel_" + a.kind() + " channel=" + a.channel() + " drops=" + a.drops() + " why="
          + quote(a.why()));
    }
    for (PayoutService.Payout p : t.payouts()) {
      LOG.info("event=payout status=" + p.status() + " node=" + p.node() + " channel=" + p.channel() + " drops="
          + p.amount() + " cumulative_drops=" + p.cumulative() + (p.reason() == null ? "" : " reason="
          + quote(p.reason())));
    }
    t.submitted().ifPresent(PaymentEvents::submitted);
  }

  /** What one netting run coordinated: a line per debt cycle proposed through this node. */
  void netted(java.util.List<io.fedsearch.federation.payments.netting.CycleCoordinator.Outcome> outcomes) {
    for (var o : outcomes) {
      LOG.info("event=netting_cycle status=" + o.status() + " drops=" + o.amount() + " parties=" + o.parties().size()
          + " nonce=" + o.nonce() + (o.reason() == null || o.reason().isEmpty() ? "" : " reason=" + quote(o.reason())));
    }
  }

  /** One submitter round, when it did anything (the payments tick's, or one an operator asked for). */
  public static void submitted(Submitter.Round r) {
    if (r.submitted() + r.validated() + r.failed() + r.escalated() > 0 || !r.notes().isEmpty()) {
      LOG.log(r.failed() > 0 ? Level.WARNING : Level.INFO, "event=outbox_round submitted=" + r.submitted()
          + " validated=" + r.validated() + " failed=" + r.failed() + " escalated=" + r.escalated()
          + (r.notes().isEmpty() ? "" : " notes=" + quote(String.join("; ", r.notes()))));
    }
  }

  /** A value in double quotes, with quotes, backslashes and line breaks escaped: the line stays one line. */
  static String quote(String s) {
    if (s == null) {
      return "\"\"";
    }
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"', '\\' -> b.append('\\').append(c);
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        default -> b.append(c < 0x20 ? ' ' : c);
      }
    }
    return b.append('"').toString();
  }
}
