package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.federation.payments.userwallet.HubPurchases;
import io.fedsearch.web.hub.HubUser;
import io.fedsearch.web.hub.WalletBuyer;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/hub/purchases} over real HTTP, between two nodes joined over libp2p: users buy from platform P
 * through node D as their hub. Another site cannot make a user's browser buy there (cross-origin, or not JSON), and P
 * sells only its live listings at their price (checked against P's index): a refusal comes back to the user's wallet
 * as a credit note naming the platform's reason.
 */
@Timeout(120)
class PurchaseRoutesTest {
  static final long PRICE = 1_500_000;

  @TempDir static Path dir;
  static RunningNode platform;
  static RunningNode demo;
  static NodeServer platformServer;
  static NodeServer demoServer;
  static TestHttp p;
  static TestHttp d;
  static String platformToken;
  static String kettle;

  @BeforeAll
  static void start() throws Exception {
    NodeDirectory pd = NodeDirectory.init(dir.resolve("p"), "shop");
    platformToken = pd.adminToken();
    platform = RunningNode.start(pd, RunningNode.Options.defaults());
    platformServer = NodeServer.start(platform, "127.0.0.1", 0, 1 << 20);
    p = new TestHttp("http://127.0.0.1:" + platformServer.port());
    String lines = "{\"id\":\"k1\",\"title\":\"Copper kettle\",\"description\":\"a kettle\",\"price\":" + PRICE + "}\n"
        + "{\"id\":\"k2\",\"title\":\"Iron kettle\",\"description\":\"another kettle\",\"price\":" + PRICE + "}\n";
    assertThat(p.post("/api/entries", lines, platformToken).status()).isEqualTo(200);
    kettle = cidOf("copper");
    NodeDirectory dd = NodeDirectory.init(dir.resolve("d"), "demo");
    dd.putSettings("hub", Map.of("enabled", true));
    demo = RunningNode.start(dd, new RunningNode.Options(0, platform.host().listenAddresses(), null));
    demoServer = NodeServer.start(demo, "127.0.0.1", 0, 1 << 20);
    d = new TestHttp("http://127.0.0.1:" + demoServer.port());
  }

  @AfterAll
  static void stop() throws Exception {
    demoServer.close();
    demo.close();
    platformServer.close();
    platform.close();
  }

  static String cidOf(String word) throws Exception {
    JsonNode hits = p.get("/api/search?mode=local&q=" + word).json().path("hits");
    assertThat(hits).isNotEmpty();
    return hits.get(0).path("cid").asText();
  }

  /** What D's search would hand out with the listing: an attribution token signed by D. */
  static String token(String cid) {
    return HubUser.token(demo.local().key(), cid);
  }

  static long sales() {
    return platform.payments().fees().all().stream().mapToLong(o -> o.accrued()).sum();
  }

  @Test
  void anotherSiteCannotMakeAUsersBrowserBuyThroughTheHub() throws Exception {
    long before = sales();
    HubUser user = new HubUser(d.get("/api/hub").json().path("account").asText(), 10_000_000);
    String json = user.body(HubUser.requestId(), kettle, platform.host().peerId().toString(), PRICE, 0,
        token(kettle), PRICE).toString();
    // a cross-site form post (text/plain needs no preflight), a cross-site fetch that claims JSON, and a body that
    // is not declared JSON at all
    for (List<String> headers : List.of(
        List.of("Content-Type", "text/plain", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"),
        List.of("Content-Type", "application/json", "Origin", "https://evil.example"),
        List.of("Content-Type", "application/json", "Sec-Fetch-Site", "cross-site"),
        List.of("Content-Type", "text/plain"))) {
      TestHttp.Reply r = d.postWith("/api/hub/purchases", json, headers.toArray(String[]::new));
      assertThat(r.status()).as(headers.toString()).isIn(403, 415);
      assertThat(r.json().at("/error/code").asText()).isIn("cross_origin", "json_required");
    }
    assertThat(d.postWith("/api/hub/purchases", json, "Content-Type", "text/plain").status()).isEqualTo(415);
    assertThat(sales()).isEqualTo(before);
    // the same body from this node's own pages, and from a wallet that names no origin, is a purchase
    TestHttp.Reply own = d.postWith("/api/hub/purchases", json, "Content-Type", "application/json", "Origin",
        d.base());
    assertThat(own.json().path("status").asText()).as(own.body()).isEqualTo("delivered");
    assertThat(sales()).isGreaterThan(before);
  }

  @Test
  void thePlatformSellsOnlyItsLiveListingsAtTheirPrice() throws Exception {
    String iron = cidOf("iron");
    String shop = platform.host().peerId().toString();
    try (WalletBuyer user = WalletBuyer.open(dir.resolve("wallet"), d.base(), 10_000_000)) {
      HubPurchases.Outcome cheap = user.buy(iron, shop, 1, token(iron));
      assertThat(cheap.status()).isEqualTo("credited");
      assertThat(cheap.code()).isEqualTo("wrong_price");
      assertThat(cheap.message()).contains("costs " + PRICE + " drops");

      HubPurchases.Outcome ok = user.buy(iron, shop, PRICE, token(iron));
      Receipt receipt = WalletBuyer.receipt(ok);
      assertThat(receipt.verify()).isTrue();
      assertThat(receipt.cid().toString()).isEqualTo(iron);
      assertThat(receipt.price()).isEqualTo(PRICE);

      assertThat(p.delete("/api/entries?platform=shop&id=k2", platformToken).status()).isEqualTo(200);
      HubPurchases.Outcome gone = user.buy(iron, shop, PRICE, token(iron));
      assertThat(gone.status()).isEqualTo("credited");
      assertThat(gone.code()).isEqualTo("not_listed");
    }
  }

  @Test
  void anOperatorDecidesOnHoldsBehindTheAdminToken() throws Exception {
    String node = demo.local().key().publicKey().hex();
    String confirm = Json.object().put("node", node).put("action", "confirm").toString();
    assertThat(p.post("/api/payouts/holds", confirm, null).status()).isEqualTo(401);
    TestHttp.Reply none = p.post("/api/payouts/holds", confirm, platformToken);
    assertThat(none.status()).isEqualTo(200);
    assertThat(none.json().path("result").asText()).contains("no hold in force");
    platform.payments().fees().hold(io.fedsearch.core.keys.NodePublicKey.fromHex(node), "test finding");
    TestHttp.Reply held = p.getAdmin("/api/payouts", platformToken);
    assertThat(held.json().path("owed").findValuesAsText("hold_lapses_at")).hasSize(1);
    assertThat(p.post("/api/payouts/holds", confirm, platformToken).json().path("result").asText())
        .startsWith("confirmed");
    assertThat(p.getAdmin("/api/payouts", platformToken).json().at("/owed/0/hold_lapses_at").isNull()).isTrue();
    String release = Json.object().put("node", node).put("action", "release").toString();
    assertThat(p.post("/api/payouts/holds", release, platformToken).json().path("result").asText())
        .startsWith("released");
    assertThat(p.getAdmin("/api/payouts", platformToken).json().at("/owed/0/held").isNull()).isTrue();
    TestHttp.Reply bad = p.post("/api/payouts/holds", Json.object().put("node", "zz").put("action", "confirm")
        .toString(), platformToken);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().at("/error/message").asText()).contains("64 lower-case hex digits");
  }
}
