package io.fedsearch.web.cli.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.node.LocalNode;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.testing.ChildNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's wallet end to end, every party its own process: two platform nodes, a hub node joined to both over
 * libp2p, and {@code fedsearch wallet} commands. The wallet opens one channel to the hub (embedded: the create goes
 * with the first purchase), buys from both platforms (two receipts, each naming that platform's receipt key), gets a
 * credit note for a purchase the platform refuses and spends it on the next one without signing more; an export
 * imported elsewhere continues the channel, and a stale export cannot get a lower or equal claim signed. xrpl.js
 * checks the create, the DIDSet and every claim any copy of the wallet signed. A second user reaches the hub by its
 * libp2p multiaddr instead of HTTP.
 */
@Timeout(600)
class WalletProcessTest {
  static final long PRICE = 1_500_000;
  static final long FEE_DROPS = 1_000;
  static final int FEE_BPS = 100;
  static final long COST = PRICE + FEE_DROPS + PRICE * FEE_BPS / 10_000;

  /** A listing as the hub's search shows it. */
  record Host(String cid, String platform, long price, String token) {}

  @Test
  void oneChannelBuysFromTwoPlatformsThroughAHub(@TempDir Path tmp) throws Exception {
    catalog(tmp.resolve("shop"), "shop", "Copper kettle", "Iron kettle", "Steel kettle", "Glass kettle",
        "Tin kettle",
        "Zinc kettle", "Brass kettle");
    catalog(tmp.resolve("books"), "books", "Kettle book");
    NodeDirectory hubDir = NodeDirectory.init(tmp.resolve("hub"), "hub");
    hubDir.putSettings("hub", Map.of("enabled", true, "fee_drops", FEE_DROPS, "fee_bps", FEE_BPS));
    hubDir.putSettings("payments", Map.of("settle_threshold_drops", 2 * COST)); // settles after two purchases
    try (ChildNode shop = ChildNode.start(tmp.resolve("shop"));
        ChildNode books = ChildNode.start(tmp.resolve("books"), "--bootstrap", shop.p2pAddress());
        ChildNode hub = ChildNode.start(tmp.resolve("hub"), "--bootstrap", shop.p2pAddress(), "--bootstrap",
            books.p2pAddress());
        TestHttp http = new TestHttp(hub.url());
        LossyHubLink link = new LossyHubLink(hub.url())) {
      Map<String, Host> listings = new HashMap<>();
      Awaitility.await("the hub's search finds both platforms").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500)).until(() -> {
            listings.putAll(search(http));
            return listings.size() == 8;
          });
      String shopPeer = listings.get("Copper kettle").platform();
      String booksPeer = listings.get("Kettle book").platform();
      assertThat(shopPeer).isNotEqualTo(booksPeer);

      Path w = tmp.resolve("wallet");
      JsonNode init = WalletProcess.json(w, "init");
      assertThat(init.path("key_type").asText()).isEqualTo("ed25519");
      JsonNode open = WalletProcess.json(w, "open", "--hub", link.url(), "--amount", "20");
      String channel = open.path("channel").asText();
      assertThat(open.path("amount").asLong()).isEqualTo(20_000_000);
      assertThat(open.path("status").asText()).startsWith("kept");

      // Two platforms through the one channel; the wallet finds each listing and its token through the hub's search.
      JsonNode a = buy(w, listings.get("Copper kettle").cid(), "--via", hub.url());
      assertThat(a.path("status").asText()).as(a.toString()).isEqualTo("delivered");
      assertThat(a.path("hub_fee").asLong()).isEqualTo(COST - PRICE);
      assertThat(a.path("signed_max").asLong()).isEqualTo(COST);
      Path early = tmp.resolve("early.json");
      Path pass = tmp.resolve("pass");
      Files.writeString(pass, "a long enough passphrase\n");
      WalletProcess.json(w, "export", "--out", early.toString(), "--passphrase-file", pass.toString());
      JsonNode b = buy(w, listings.get("Kettle book").cid(), "--via", hub.url());
      assertThat(b.path("status").asText()).as(b.toString()).isEqualTo("delivered");
      assertThat(b.path("signed_max").asLong()).isEqualTo(2 * COST);

      JsonNode receipts = WalletProcess.json(w, "receipts").path("receipts");
      assertThat(receipts).hasSize(2);
      Set<String> sellers = new HashSet<>();
      Set<String> receiptKeys = new HashSet<>();
      for (JsonNode r : receipts) {
        Receipt receipt = Receipt.decode(r.path("receipt").asText());
        assertThat(receipt.verify()).isTrue();
        assertThat(receipt.holder().hex()).isEqualTo(r.path("receipt_key").asText());
        assertThat(receipt.cid().toString()).isEqualTo(r.path("cid").asText());
        sellers.add(r.path("platform").asText());
        receiptKeys.add(r.path("receipt_key").asText());
      }
      assertThat(sellers).containsExactlyInAnyOrder(shopPeer, booksPeer);
      assertThat(receiptKeys).as("one receipt key per platform: receipts do not link").hasSize(2);
      // Settlement as the CLI shows it: two purchases reach the hub's threshold, so within a payments tick it signs
      // and queues a claim over the channel covering both (no ledger here: it goes no further than that).
      JsonNode[] settled = new JsonNode[1];
      Awaitility.await("the hub queues a settlement claim").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(3)).until(() -> {
            settled[0] = WalletProcess.json(w, "receipts", "--settlement");
            return settled[0].path("receipts").findValuesAsText("state").equals(
                List.of("pending_settlement", "pending_settlement"));
          });
      assertThat(settled[0].path("ledger").asBoolean()).isFalse();
      assertThat(settled[0].path("receipts").get(0).path("settlement").path("hash").asText())
          .matches("[0-9A-F]{64}").isEqualTo(settled[0].path("receipts").get(1).path("settlement").path("hash").asText());

      // The platform refuses (the token is for another work): the hub credits the cost, signed.
      Host iron = listings.get("Iron kettle");
      JsonNode refused = buy(w, iron.cid(), "--platform", shopPeer, "--price", String.valueOf(PRICE), "--token",
          listings.get("Copper kettle").token());
      assertThat(refused.path("status").asText()).as(refused.toString()).isEqualTo("credited");
      assertThat(refused.path("reason").path("code").asText()).isNotEmpty();
      assertThat(refused.path("credit").asLong()).isEqualTo(COST);
      assertThat(refused.path("signed_max").asLong()).isEqualTo(3 * COST);
      JsonNode credits = WalletProcess.json(w, "receipts").path("credit_notes");
      assertThat(credits).hasSize(1);
      assertThat(credits.get(0).path("credit_note").path("kind").asText()).isEqualTo("credit_note");
      // The next purchase spends the credit: no new claim is signed.
      JsonNode spent = buy(w, iron.cid(), "--via", hub.url());
      assertThat(spent.path("status").asText()).as(spent.toString()).isEqualTo("delivered");
      assertThat(spent.path("signed_max").asLong()).isEqualTo(3 * COST);
      assertThat(spent.path("credit").asLong()).isZero();

      // Export → import on a second directory continues the same channel, above every claim signed.
      Path late = tmp.resolve("late.json");
      WalletProcess.json(w, "export", "--out", late.toString(), "--passphrase-file", pass.toString());
      Path w2 = tmp.resolve("wallet2");
      JsonNode imported = WalletProcess.json(w2, "import", late.toString(), "--passphrase-file", pass.toString());
      assertThat(imported.path("channel").asText()).isEqualTo(channel);
      assertThat(imported.path("signed_max").asLong()).isEqualTo(3 * COST);
      JsonNode glass = buy(w2, listings.get("Glass kettle").cid(), "--via", hub.url());
      assertThat(glass.path("status").asText()).as(glass.toString()).isEqualTo("delivered");
      assertThat(glass.path("signed_max").asLong()).isEqualTo(4 * COST);

      // The stale export (one purchase old) on a third directory: the hub's answer lifts it above all of that.
      Path w3 = tmp.resolve("wallet3");
      JsonNode stale = WalletProcess.json(w3, "import", early.toString(), "--passphrase-file", pass.toString());
      assertThat(stale.path("signed_max").asLong()).isEqualTo(COST);
      JsonNode tin = buy(w3, listings.get("Tin kettle").cid(), "--via", hub.url());
      assertThat(tin.path("status").asText()).as(tin.toString()).isEqualTo("delivered");
      assertThat(tin.path("signed_max").asLong()).isEqualTo(5 * COST);

      // The hub decides a purchase but its answer is lost: the wallet keeps it pending with its signed claim, and
      // asking the hub again (GET /api/hub/purchases/{id}) brings the receipt, with no new claim.
      link.mode = LossyHubLink.Mode.DROP_ANSWER;
      WalletProcess lost = WalletProcess.run("buy", listings.get("Steel kettle").cid(), "--yes", "--via", hub.url(),
          "--dir", w3.toString(), "--json");
      assertThat(lost.exit()).as(lost.out() + lost.err()).isEqualTo(1);
      assertThat(WalletProcess.JSON.readTree(lost.out()).path("status").asText()).isEqualTo("unknown");
      link.mode = LossyHubLink.Mode.PASS;
      JsonNode recovered = WalletProcess.json(w3, "receipts", "--recover");
      assertThat(recovered.path("recovered").path("status").asText()).isEqualTo("delivered");
      assertThat(recovered.path("pending").isNull()).isTrue();
      assertThat(recovered.path("receipts")).extracting(r -> r.path("cid").asText())
          .contains(listings.get("Steel kettle").cid());

      // The request never reaches the hub: the next command re-sends the very same request (same id, same claim)
      // before buying anything else.
      link.mode = LossyHubLink.Mode.DROP_REQUEST;
      WalletProcess dropped = WalletProcess.run("buy", listings.get("Zinc kettle").cid(), "--yes", "--via",
          hub.url(), "--dir", w3.toString(), "--json");
      assertThat(dropped.exit()).as(dropped.out() + dropped.err()).isEqualTo(1);
      String droppedId = WalletProcess.JSON.readTree(dropped.out()).path("request_id").asText();
      assertThat(droppedId).hasSize(32);
      link.mode = LossyHubLink.Mode.PASS;
      JsonNode brass = buy(w3, listings.get("Brass kettle").cid(), "--via", hub.url());
      assertThat(brass.path("status").asText()).as(brass.toString()).isEqualTo("delivered");
      assertThat(brass.path("signed_max").asLong()).isEqualTo(8 * COST);
      assertThat(WalletProcess.json(w3, "receipts").path("receipts"))
          .extracting(r -> r.path("request_id").asText() + " " + r.path("cid").asText())
          .contains(droppedId + " " + listings.get("Zinc kettle").cid());

      // A hub (here the relay in its place) that asks for the whole channel gets nothing signed.
      link.mode = LossyHubLink.Mode.OVERSTATE;
      link.overstated = 20_000_000;
      WalletProcess greedy = WalletProcess.run("buy", listings.get("Copper kettle").cid(), "--yes", "--via",
          hub.url(), "--dir", w3.toString(), "--json");
      link.mode = LossyHubLink.Mode.PASS;
      assertThat(greedy.exit()).as(greedy.out() + greedy.err()).isEqualTo(1);
      JsonNode refusedGreedy = WalletProcess.JSON.readTree(greedy.out());
      assertThat(refusedGreedy.path("reason").path("code").asText()).isEqualTo("hub_overstates");
      assertThat(refusedGreedy.path("signed_max").asLong()).as("the floor did not move").isEqualTo(9 * COST);
      assertThat(WalletProcess.JSON.readTree(w3.resolve("state.json").toFile()).path("claims").size())
          .isEqualTo(WalletProcess.JSON.readTree(early.toFile()).path("state").path("claims").size() + 5);

      // Another user names the hub by its multiaddr: the same purchase over /fedsearch/hub/1.0.0.
      Path wp = tmp.resolve("wallet-p2p");
      WalletProcess.json(wp, "init", "--key-type", "secp256k1");
      JsonNode p2pOpen = WalletProcess.json(wp, "open", "--hub", hub.p2pAddress(), "--amount", "5");
      assertThat(p2pOpen.path("hub_account").asText()).isEqualTo(open.path("hub_account").asText());
      JsonNode p2pBuy = buy(wp, listings.get("Kettle book").cid(), "--via", hub.url());
      assertThat(p2pBuy.path("status").asText()).as(p2pBuy.toString()).isEqualTo("delivered");
      assertThat(p2pBuy.path("signed_max").asLong()).isEqualTo(COST);
      JsonNode p2pReceipt = WalletProcess.json(wp, "receipts").path("receipts").get(0);
      assertThat(Receipt.decode(p2pReceipt.path("receipt").asText()).holder().hex())
          .isEqualTo(p2pReceipt.path("receipt_key").asText());

      // Each copy's own claims are those it holds beyond the export it was imported from.
      List<Long> allClaims = new ArrayList<>();
      List<java.util.Map<String, Object>> checks = new ArrayList<>();
      String publicKey = init.path("public_key").asText();
      Map<Path, Path> importedFrom = Map.of(w2, late, w3, early);
      for (Path dir : List.of(w, w2, w3)) {
        Set<Long> inherited = new HashSet<>();
        if (importedFrom.containsKey(dir)) {
          WalletProcess.JSON.readTree(importedFrom.get(dir).toFile()).path("state").path("claims")
              .forEach(c -> inherited.add(c.path("amount").asLong()));
        }
        JsonNode state = WalletProcess.JSON.readTree(dir.resolve("state.json").toFile());
        for (JsonNode c : state.path("claims")) {
          checks.add(Map.of("kind", "claim", "channel", channel, "amount", c.path("amount").asLong(),
              "signature", c.path("signature").asText(), "public_key", publicKey));
          if (!inherited.contains(c.path("amount").asLong())) {
            allClaims.add(c.path("amount").asLong());
          }
        }
      }
      JsonNode p2pState = WalletProcess.JSON.readTree(wp.resolve("state.json").toFile());
      String p2pKey = WalletProcess.json(wp, "show").path("public_key").asText();
      for (JsonNode c : p2pState.path("claims")) { // a secp256k1 account's claims, over its own channel
        checks.add(Map.of("kind", "claim", "channel", p2pOpen.path("channel").asText(), "amount",
            c.path("amount").asLong(), "signature", c.path("signature").asText(), "public_key", p2pKey));
      }
      checks.add(Map.of("kind", "tx", "blob", p2pState.path("channel").path("create_blob").asText()));
      assertThat(allClaims).as("no amount signed twice, by any copy").doesNotHaveDuplicates()
          .containsExactlyInAnyOrder(COST, 2 * COST, 3 * COST, 4 * COST, 5 * COST, 6 * COST, 7 * COST, 8 * COST,
              9 * COST);
      JsonNode first = WalletProcess.JSON.readTree(w.resolve("state.json").toFile());
      checks.add(Map.of("kind", "tx", "blob", first.path("channel").path("create_blob").asText()));
      JsonNode did = WalletProcess.json(w, "did", "--publish", shopPeer, "--publish", booksPeer);
      assertThat(did.path("document").asText()).contains(receiptKeys);
      checks.add(Map.of("kind", "tx", "blob", did.path("blob").asText()));
      List<JsonNode> verified = XrplJsCheck.run(checks);
      for (int i = 0; i < verified.size(); i++) {
        assertThat(verified.get(i).path("ok").asBoolean()).as(checks.get(i) + " -> " + verified.get(i)).isTrue();
      }
      assertThat(verified.get(verified.size() - 2).path("type").asText()).isEqualTo("PaymentChannelCreate");
      assertThat(verified.getLast().path("type").asText()).isEqualTo("DIDSet");
    }
  }

  private static JsonNode buy(Path wallet, String cid, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("buy", cid, "--yes"));
    all.addAll(List.of(args));
    return WalletProcess.json(wallet, all.toArray(String[]::new));
  }

  private static void catalog(Path dir, String platform, String... titles) throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < titles.length; i++) {
      b.append("{\"id\":\"w").append(i).append("\",\"title\":\"").append(titles[i])
          .append("\",\"description\":\"a work\",\"price\":").append(PRICE).append("}\n");
    }
    try (LocalNode n = LocalNode.open(NodeDirectory.init(dir, platform))) {
      n.importLines(new BufferedReader(new StringReader(b.toString())), "test", (l, r) -> {});
    }
  }

  /** Title → listing, from the hub's federated search. */
  private static Map<String, Host> search(TestHttp http) throws Exception {
    Map<String, Host> out = new HashMap<>();
    for (JsonNode hit : http.get("/api/search?q=kettle&limit=20&deadline_ms=5000").json().path("hits")) {
      JsonNode host = hit.path("hosts").get(0);
      out.put(hit.path("entry").path("title").asText(), new Host(host.path("cid").asText(),
          host.path("node").asText(), host.path("price").asLong(), host.path("attribution_token").asText()));
    }
    return out;
  }
}
