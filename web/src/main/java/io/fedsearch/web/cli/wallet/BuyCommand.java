package io.fedsearch.web.cli.wallet;

import io.fedsearch.federation.payments.userwallet.HubClient;
import io.fedsearch.federation.payments.userwallet.HubLink;
import io.fedsearch.federation.payments.userwallet.HubPurchases;
import io.fedsearch.federation.payments.userwallet.Listing;
import io.fedsearch.federation.payments.userwallet.UserWallet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wallet buy CID --via NODE_URL}: finds the listing and its attribution token through the node the search was
 * made on, shows price + hub fee, asks (or {@code --yes}), and buys through the hub over the wallet's channel.
 * Exit 0 when delivered or credited (the credit pays a later purchase), 1 otherwise.
 */
@Command(name = "buy", mixinStandardHelpOptions = true, description = "Buy a work through your hub.")
final class BuyCommand implements Callable<Integer> {
  @Mixin WalletOptions options;

  @Parameters(index = "0", paramLabel = "CID", description = "The listing's CID (from a search result's hosts).")
  String cid;

  @Option(names = "--via", paramLabel = "NODE_URL",
      description = "The node whose search surfaced the work (it earns the discovery fee).")
  String via;

  @Option(names = "--platform", paramLabel = "PEER_ID", description = "The platform node selling it (when several"
      + " list the same CID; required with --token).")
  String platform;

  @Option(names = "--token", paramLabel = "TOKEN", description = "The search result's attribution token.")
  String token;

  @Option(names = "--price", paramLabel = "DROPS", description = "The listed price (required with --token).")
  Long price;

  @Option(names = "--yes", description = "Confirm without asking.")
  boolean yes;

  @Override
  public Integer call() throws Exception {
    HubClient http = new HubClient(Duration.ofSeconds(60));
    Listing listing;
    if (token != null) {
      if (platform == null || price == null) {
        throw new IllegalArgumentException("--token needs --platform and --price");
      }
      listing = new Listing(cid, platform, price, token);
    } else if (via != null) {
      listing = Listing.find(http, via, cid, platform);
    } else {
      throw new IllegalArgumentException("give --via NODE_URL (the node you searched on) or --token");
    }
    try (UserWallet w = options.open();
        HubLink hub = HubLink.open(hubAddress(w), w.state().hub.publicKey, Duration.ofSeconds(60))) {
      HubPurchases purchases = new HubPurchases(w, hub);
      HubPurchases.Quote q = purchases.quote(listing);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cid", cid);
      m.put("platform", listing.platform());
      m.put("price", listing.price());
      m.put("hub_fee", q.hubFee());
      m.put("discovery_fee", "paid by the platform out of the price to the node that surfaced the work");
      m.put("total", q.cost());
      if (!yes && !confirm(q)) {
        m.put("status", "not_confirmed");
        options.print(m);
        return 1;
      }
      HubPurchases.Outcome o = purchases.buy(q);
      m.put("status", o.status());
      m.put("request_id", o.requestId());
      if (o.code() != null) {
        m.put("reason", Map.of("code", o.code(), "message", o.message() == null ? "" : o.message()));
      }
      m.put("credit", w.state().credit());
      m.put("signed_max", w.state().signedMax);
      options.print(m);
      return "delivered".equals(o.status()) || "credited".equals(o.status()) ? 0 : 1;
    }
  }

  private static String hubAddress(UserWallet w) {
    if (w.state().hub == null) {
      throw new IllegalStateException("the wallet has no channel to a hub yet (run `fedsearch wallet open`)");
    }
    return w.state().hub.url;
  }

  private static boolean confirm(HubPurchases.Quote q) throws java.io.IOException {
    // The question goes to stderr: stdout stays the command's answer (JSON with --json).
    System.err.printf(Locale.ROOT, "price %d drops + hub fee %d drops = %d drops. Buy? [y/N] ", q.listing().price(),
        q.hubFee(), q.cost());
    System.err.flush();
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return line != null && line.strip().toLowerCase(Locale.ROOT).startsWith("y");
  }
}
