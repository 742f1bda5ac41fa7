package io.fedsearch.web.http;

import io.fedsearch.federation.payments.Payments;
import io.fedsearch.federation.payments.ledger.Outbox;
import io.fedsearch.federation.payments.payout.FeeBook;
import io.fedsearch.federation.payments.payout.Netting;
import io.fedsearch.federation.payments.payout.PayoutService;
import io.fedsearch.federation.payments.watch.ChannelMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON views of a node's payments: what {@code /api/channels}, {@code /api/outbox} and {@code /api/payouts}
 * serve, what the dashboard shows, and what the {@code channels}, {@code outbox} and {@code payouts} commands print
 * with {@code --json} — one shape for all of them, defined here with the API.
 */
public final class PaymentsJson {
  private PaymentsJson() {}

  /** The JSON form of one channel's metrics . */
  public static Map<String, Object> channel(ChannelMetrics m) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", m.id());
    o.put("role", m.role());
    o.put("status", m.status());
    o.put("confirmed_on_ledger", m.confirmed());
    o.put("counterparty", m.counterparty());
    o.put("amount", m.amount());
    o.put("used", m.used());
    o.put("remaining", m.remaining());
    o.put("spend_rate_drops_per_s", Math.round(m.spendRate() * 100) / 100.0);
    o.put("time_to_exhaustion_s", m.timeToExhaustion().map(d -> (Object) d.toSeconds()).orElse(null));
    o.put("unsettled", m.unsettled());
    o.put("expires_at", m.expiresAt().map(Object::toString).orElse(null));
    o.put("warnings", m.warnings());
    return o;
  }

  /** The JSON form of one row. */
  public static Map<String, Object> outboxEntry(Outbox.Entry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("kind", e.kind());
    m.put("channel", e.channel());
    m.put("hash", e.hash());
    m.put("status", e.status());
    m.put("attempts", e.attempts());
    m.put("fee", e.fee());
    m.put("sequence", e.sequence());
    m.put("last_ledger_sequence", e.lastLedger());
    m.put("result", e.result());
    m.put("created_at", e.createdAt().toString());
    m.put("blob", e.blob());
    return m;
  }

  /** Discovery fees owed per node (with holds), the latest payouts and nettings. */
  public static Map<String, Object> payouts(Payments p, int limit) {
    List<Object> owed = new ArrayList<>();
    for (FeeBook.Owed o : p.fees().all()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", o.node().hex());
      m.put("accrued", o.accrued());
      m.put("paid", o.paid());
      m.put("netted", o.netted());
      m.put("due", o.due());
      m.put("oldest_unpaid", o.firstUnpaidAt().map(Object::toString).orElse(null));
      m.put("held", o.heldReason().orElse(null));
      m.put("hold_lapses_at", o.holdLapsesAt().map(Object::toString).orElse(null));
      owed.add(m);
    }
    List<Object> payouts = new ArrayList<>();
    for (PayoutService.Payout po : p.payouts().history(limit)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", po.node());
      m.put("channel", po.channel());
      m.put("amount", po.amount());
      m.put("cumulative", po.cumulative());
      m.put("at", po.at().toString());
      payouts.add(m);
    }
    List<Object> nettings = new ArrayList<>();
    for (Netting.Result r : p.netting().history()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("peer", r.peer());
      m.put("we_owed", r.weOwed());
      m.put("they_owed", r.theyOwed());
      m.put("offset", r.offset());
      m.put("saving", r.saving());
      m.put("at", r.at().toString());
      nettings.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("owed", owed);
    out.put("payouts", payouts);
    out.put("netting", nettings);
    return out;
  }

  /** Confirms or releases an operator's decision on a node's hold. */
  public static String decideHold(Payments p, String node, boolean confirm) {
    if (!node.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("node: the node's public key as 64 lower-case hex digits");
    }
    io.fedsearch.core.keys.NodePublicKey key = io.fedsearch.core.keys.NodePublicKey.fromHex(node);
    if (confirm) {
      return p.fees().confirmHold(key) ? "confirmed: payouts to " + node + " stay held until released"
          : "no hold in force on " + node + " to confirm";
    }
    p.fees().release(key);
    return "released: payouts to " + node + " resume at the next batch";
  }
}
