package io.fedsearch.web.cli.wallet;

import io.fedsearch.federation.payments.userwallet.HubClient;
import io.fedsearch.federation.payments.userwallet.HubLink;
import io.fedsearch.federation.payments.userwallet.HubTerms;
import io.fedsearch.federation.payments.userwallet.UserWallet;
import io.fedsearch.federation.payments.userwallet.WalletState;
import io.fedsearch.federation.payments.userwallet.WalletTransactions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wallet open --hub URL|MULTIADDR --amount XRP}: signs a PaymentChannelCreate to the account the hub names in
 * {@code GET /api/hub}. With {@code --ledger} it is submitted and awaited; without, it is kept and presented to the
 * hub with the first purchase (embedded mode).
 */
@Command(name = "open", mixinStandardHelpOptions = true, description = "Open the wallet's channel to a hub.")
final class OpenCommand implements Callable<Integer> {
  @Mixin WalletOptions options;

  @Option(names = "--hub", required = true, paramLabel = "URL|MULTIADDR",
      description = "The hub node: its HTTP URL, or its libp2p multiaddr /ip4/…/tcp/…/p2p/… (/fedsearch/hub/1.0.0).")
  String hub;

  @Option(names = "--amount", required = true, paramLabel = "XRP", description = "XRP to put in the channel.")
  String amount;

  @Option(names = "--settle-delay", paramLabel = "SECONDS", description = "Seconds the hub has to claim after you"
      + " ask to close (default: the hub's minimum, at least one day).")
  Long settleDelay;

  @Option(names = "--ledger", paramLabel = "URL", description = "rippled JSON-RPC URL: submit and await validation.")
  String ledger;

  @Override
  public Integer call() throws Exception {
    HubClient.Reply r;
    try (HubLink link = HubLink.open(hub, null, Duration.ofSeconds(30))) {
      r = link.terms();
    }
    if (!r.ok()) {
      throw new IllegalStateException(hub + " is not a hub: " + r.errorCode() + " " + r.errorMessage());
    }
    HubTerms terms = HubTerms.parse(r.body());
    long delay = settleDelay != null ? settleDelay : Math.max(terms.minSettleDelaySeconds(), 86_400L);
    try (UserWallet w = options.open()) {
      WalletState.TxRecord tx = new WalletTransactions(w, WalletOptions.ledger(ledger), Duration.ofMinutes(2))
          .open(hub, terms, WalletOptions.drops(amount), delay);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("channel", w.state().channel.id);
      m.put("hub", hub);
      m.put("hub_account", terms.account());
      m.put("amount", w.state().channel.amount);
      m.put("settle_delay_s", delay);
      m.put("create_hash", tx.hash);
      m.put("status", tx.status);
      m.put("hub_fee", Map.of("fee_bps", terms.feeBps(), "fee_drops", terms.feeDrops()));
      // Without a ledger the hub trusts an unconfirmed channel only up to its cap: say so before the user relies on it.
      long cap = r.body().path("channel_caps").path("provisional_channel_cap_drops").asLong(0);
      if (cap > 0 && w.state().channel.amount > cap) {
        m.put("note", "the hub has no ledger and accepts at most " + cap + " drops over an unconfirmed channel");
      }
      options.print(m);
    }
    return 0;
  }
}
