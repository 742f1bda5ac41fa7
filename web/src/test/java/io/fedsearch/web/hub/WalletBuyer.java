package io.fedsearch.web.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.federation.payments.userwallet.HubClient;
import io.fedsearch.federation.payments.userwallet.HubLink;
import io.fedsearch.federation.payments.userwallet.HubPurchases;
import io.fedsearch.federation.payments.userwallet.HubTerms;
import io.fedsearch.federation.payments.userwallet.Listing;
import io.fedsearch.federation.payments.userwallet.UserWallet;
import io.fedsearch.federation.payments.userwallet.WalletKey;
import io.fedsearch.federation.payments.userwallet.WalletTransactions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * A user with the real Java wallet ({@link UserWallet}: keys at rest, the claim rules, the checks of every ack,
 * credit note and receipt) and one channel to a hub's HTTP API: what the {@code fedsearch wallet} commands do, in
 * process, for tests that need a purchase the way a user makes one (the server holds no wallet of its own).
 */
public final class WalletBuyer implements AutoCloseable {
  private final UserWallet wallet;
  private final HubLink hub;

  private WalletBuyer(UserWallet wallet, HubLink hub) {
    this.wallet = wallet;
    this.hub = hub;
  }

  /** A new wallet in {@code dir} with a channel of {@code drops} to the hub at {@code hubUrl} (embedded: kept). */
  public static WalletBuyer open(Path dir, String hubUrl, long drops) throws IOException, InterruptedException {
    UserWallet w = UserWallet.create(dir, WalletKey.generate(KeyType.ED25519));
    HubLink link = new HubLink.HttpHubLink(new HubClient(Duration.ofSeconds(60)), hubUrl);
    HubClient.Reply t = link.terms();
    if (!t.ok()) {
      throw new IllegalStateException(hubUrl + " is no hub: " + t.body());
    }
    HubTerms terms = HubTerms.parse(t.body());
    new WalletTransactions(w, Optional.empty(), Duration.ofSeconds(30))
        .open(hubUrl, terms, drops, Math.max(86_400, terms.minSettleDelaySeconds()));
    return new WalletBuyer(w, link);
  }

  /** Buys a search result's listing ({@code hosts[i]} of {@code /api/search}: cid, node, price, token). */
  public HubPurchases.Outcome buy(JsonNode host) throws IOException {
    return buy(host.path("cid").asText(), host.path("node").asText(), host.path("price").asLong(),
        host.path("attribution_token").asText());
  }

  /** Buys {@code cid} from the platform {@code platform} (peer id) at {@code price} with the token of a search. */
  public HubPurchases.Outcome buy(String cid, String platform, long price, String token) throws IOException {
    HubPurchases p = new HubPurchases(wallet, hub);
    return p.buy(p.quote(new Listing(cid, platform, price, token)));
  }

  /** The receipt of a delivered purchase. */
  public static Receipt receipt(HubPurchases.Outcome o) {
    if (!o.delivered()) {
      throw new IllegalStateException("not delivered: " + o.status() + " " + o.code() + " " + o.message());
    }
    return Receipt.decode(o.answer().path("receipt").asText());
  }

  public UserWallet wallet() {
    return wallet;
  }

  @Override
  public void close() {
    hub.close();
    wallet.close();
  }
}
