package io.fedsearch.web.cli.wallet;

import io.fedsearch.federation.payments.userwallet.UserWallet;
import io.fedsearch.federation.payments.userwallet.WalletState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wallet show}: account, channel, what is signed and spent, pending purchase, receipt keys asked for. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show the wallet's account and channel.")
final class ShowCommand implements Callable<Integer> {
  @Mixin WalletOptions options;

  @Option(names = "--receipt-key", paramLabel = "PLATFORM",
      description = "Also show the receipt key for this platform peer id (repeatable).")
  List<String> platforms = List.of();

  @Override
  public Integer call() throws Exception {
    try (UserWallet w = options.open()) {
      WalletState s = w.state();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("address", w.key().address().value());
      m.put("key_type", w.key().keyType().name().toLowerCase(Locale.ROOT));
      m.put("public_key", w.key().publicKey().base16Value());
      m.put("did", "did:xrpl:1:" + w.key().address().value());
      if (s.channel != null) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", s.channel.id);
        c.put("hub", s.hub.url);
        c.put("hub_account", s.hub.account);
        c.put("amount", s.channel.amount);
        c.put("settle_delay_s", s.channel.settleDelay);
        c.put("on_ledger", s.channel.onLedger);
        c.put("signed_max", s.signedMax);
        c.put("authorised", s.authorised);
        c.put("consumed", s.consumed);
        c.put("credit", s.credit());
        c.put("available", s.channel.amount - s.consumed);
        c.put("needs_sync", s.needsSync);
        m.put("channel", c);
      } else {
        m.put("channel", null);
      }
      m.put("pending", s.pending == null ? null : s.pending.requestId);
      m.put("receipts", s.receipts.size());
      m.put("credit_notes", s.creditNotes.size());
      Map<String, String> keys = new LinkedHashMap<>();
      platforms.forEach(p -> keys.put(p, w.receiptKeys().publicKeyHex(p)));
      if (!keys.isEmpty()) {
        m.put("receipt_keys", keys);
      }
      options.print(m);
    }
    return 0;
  }
}
