package io.fedsearch.web.cli.wallet;

import io.fedsearch.federation.payments.payee.SettlementStatus;
import io.fedsearch.federation.payments.userwallet.HubClient;
import io.fedsearch.federation.payments.userwallet.HubLink;
import io.fedsearch.federation.payments.userwallet.HubPurchases;
import io.fedsearch.federation.payments.userwallet.UserWallet;
import io.fedsearch.federation.payments.userwallet.WalletState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wallet receipts}: the platforms' signed receipts and the hub's credit notes; with {@code --recover}, first
 * asks the hub to resolve a purchase left pending by a crash or timeout.
 */
@Command(name = "receipts", mixinStandardHelpOptions = true, description = "List receipts and credit notes.")
final class ReceiptsCommand implements Callable<Integer> {
  @Mixin WalletOptions options;

  @Option(names = "--recover", description = "Resolve a pending purchase with the hub first.")
  boolean recover;

  @Option(names = "--settlement", description = "Ask the hub (its HTTP URL) how far each purchase has reached the"
      + " ledger: accepted, pending_settlement or settled, with the claim transaction's hash.")
  boolean settlement;

  @Override
  public Integer call() throws Exception {
    try (UserWallet w = options.open()) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (recover && w.state().pending != null) {
        HubPurchases.Outcome o;
        try (HubLink hub = HubLink.open(w.state().hub.url, w.state().hub.publicKey, Duration.ofSeconds(60))) {
          o = new HubPurchases(w, hub).recover();
        }
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("request_id", o.requestId());
        rec.put("status", o.status());
        if (o.code() != null) {
          rec.put("reason", o.code() + ": " + o.message());
        }
        m.put("recovered", rec);
      }
      WalletState s = w.state();
      Optional<SettlementStatus.Channel> settled = settlement ? settlement(s) : Optional.empty();
      List<Map<String, Object>> receipts = new ArrayList<>();
      for (WalletState.ReceiptRecord r : s.receipts) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("request_id", r.requestId);
        o.put("cid", r.cid);
        o.put("platform", r.platform);
        o.put("price", r.price);
        o.put("hub_fee", r.hubFee);
        o.put("receipt_key", r.receiptKey);
        o.put("receipt", r.receipt);
        o.put("at", r.at);
        settled.ifPresent(c -> {
          long after = r.hubAck == null ? Long.MAX_VALUE : r.hubAck.path("consumed").asLong(Long.MAX_VALUE);
          SettlementStatus.Of st = c.stateOf(after);
          Map<String, Object> so = new LinkedHashMap<>();
          so.put("state", st.state().wireName());
          so.put("hash", st.hash().orElse(null));
          o.put("settlement", so);
        });
        receipts.add(o);
      }
      List<Map<String, Object>> credits = new ArrayList<>();
      for (WalletState.CreditRecord c : s.creditNotes) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("request_id", c.requestId);
        o.put("cid", c.cid);
        o.put("platform", c.platform);
        o.put("cost", c.cost);
        o.put("reason", Map.of("code", c.reasonCode, "message", c.reasonMessage));
        o.put("credit_note", c.creditNote);
        o.put("at", c.at);
        credits.add(o);
      }
      settled.ifPresent(c -> m.put("ledger", c.ledger()));
      m.put("receipts", receipts);
      m.put("credit_notes", credits);
      m.put("credit", s.credit());
      m.put("pending", s.pending == null ? null : s.pending.requestId);
      options.print(m);
    }
    return 0;
  }

  /** The hub's settlement view of this wallet's channel (HTTP hubs only: the libp2p hub protocol has no such op). */
  private static Optional<SettlementStatus.Channel> settlement(WalletState s) throws java.io.IOException {
    if (s.channel == null || s.hub == null || s.hub.url == null || !s.hub.url.startsWith("http")) {
      throw new IllegalArgumentException("--settlement needs a channel to a hub reached over HTTP(S)"
          + " (this wallet's hub: " + (s.hub == null ? "none" : s.hub.url) + ")");
    }
    HubClient.Reply r = new HubClient(Duration.ofSeconds(30)).get(s.hub.url,
        "/api/hub/channels/" + HubClient.query(s.channel.id) + "/settlement");
    if (r.status() == 404 && r.errorCode().equals("unknown_channel")) {
      return Optional.empty(); // the hub has not seen the channel yet: nothing bought through it
    }
    if (!r.ok()) {
      throw new java.io.IOException("the hub answered " + r.status() + " " + r.errorCode() + ": " + r.errorMessage());
    }
    return Optional.of(SettlementStatus.fromJson(r.body()));
  }
}
