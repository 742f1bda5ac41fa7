package io.fedsearch.web.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.federation.payments.hub.HubStatement;
import io.fedsearch.federation.payments.payee.SettlementStatus;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.web.http.NodeServer;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/hub} over real HTTP, with the hub paying two platform nodes over libp2p: a user with one channel to
 * the hub buys from both; a platform's refusal becomes a signed credit note the next purchase spends without a
 * higher claim; a changed fee, a second purchase in flight and claims that do not cover the cost are refused before
 * anything reaches a platform. The hub node sells its own listings through the same API, over the same channel,
 * without a hub fee, its value counted once with the forwarded and the direct purchases.
 */
@Timeout(180)
class HubPurchasesTest {
  static final long FEE_DROPS = 1000;
  static final int FEE_BPS = 100;
  static final long FEE = FEE_DROPS + HubNetwork.PRICE * FEE_BPS / 10_000;
  static final long COST = HubNetwork.PRICE + FEE;

  @TempDir static Path dir;
  static RunningNode shop;
  static RunningNode books;
  static RunningNode hub;
  static NodeServer server;
  static TestHttp http;
  static String hubAddress;
  /** While set, the shop holds every sale's answer until it is counted down (a purchase in flight). */
  static volatile CountDownLatch shopGate;
  static final CountDownLatch[] shopEntered = new CountDownLatch[1];

  @BeforeAll
  static void start() throws Exception {
    shop = HubNetwork.platform(dir.resolve("shop"), "shop",
        HubNetwork.catalog("Copper kettle", "Iron kettle", "Steel kettle", "Glass kettle", "Tin kettle",
            "Clay kettle"), List.of());
    books = HubNetwork.platform(dir.resolve("books"), "books", HubNetwork.catalog("Kettle book"),
        shop.host().listenAddresses());
    shop.payments().purchases().addListener(e -> {
      CountDownLatch gate = shopGate;
      if (gate != null) {
        shopEntered[0].countDown();
        try {
          gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
      }
    });
    List<Multiaddr> both = new ArrayList<>(shop.host().listenAddresses());
    both.addAll(books.host().listenAddresses());
    hub = RunningNode.start(HubNetwork.hubDirectory(dir.resolve("hub"), FEE_DROPS, FEE_BPS),
        new RunningNode.Options(0, both, null));
    io.fedsearch.web.http.NodeFixture.importInto(hub, HubNetwork.catalog("Hub kettle")); // the hub sells too
    server = NodeServer.start(hub, "127.0.0.1", 0, 1 << 20);
    http = new TestHttp("http://127.0.0.1:" + server.port());
    hubAddress = http.get("/api/hub").json().path("account").asText();
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    server.close();
    hub.close();
    books.close();
    shop.close();
  }

  static TestHttp.Reply post(JsonNode body) throws Exception {
    return http.postWith("/api/hub/purchases", body.toString(), "Content-Type", "application/json");
  }

  static String token(String cid) {
    return HubUser.token(hub.local().key(), cid);
  }

  static HubStatement statement(JsonNode n) throws Exception {
    HubStatement s = HubStatement.fromMap(HubUser.JSON.treeToValue(n, Map.class));
    assertThat(s.verify()).as("statement signature").isTrue();
    assertThat(s.publicKey().hex()).isEqualTo(http.get("/api/hub").json().path("public_key").asText());
    return s;
  }

  @Test
  void theHubAdvertisesItsTerms() throws Exception {
    JsonNode t = http.get("/api/hub").json();
    assertThat(t.path("hub").asBoolean()).isTrue();
    assertThat(t.path("peer_id").asText()).isEqualTo(hub.host().peerId().toString());
    assertThat(t.path("fee_bps").asInt()).isEqualTo(FEE_BPS);
    assertThat(t.path("fee_drops").asLong()).isEqualTo(FEE_DROPS);
    assertThat(t.path("in_flight_limit").asInt()).isEqualTo(1);
    assertThat(t.path("account").asText()).isEqualTo(hub.payments().account().address().value());
    try (NodeServer plain = NodeServer.start(shop, "127.0.0.1", 0, 1 << 20);
        TestHttp p = new TestHttp("http://127.0.0.1:" + plain.port())) {
      TestHttp.Reply r = p.get("/api/hub");
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.json().at("/error/code").asText()).isEqualTo("hub_disabled");
    }
  }

  @Test
  void oneChannelBuysFromTwoPlatforms() throws Exception {
    HubUser user = new HubUser(hubAddress, 20_000_000);
    String kettle = HubNetwork.cid(shop, "Copper kettle");
    String book = HubNetwork.cid(books, "Kettle book");
    long shopSales = HubNetwork.sales(shop);

    String first = HubUser.requestId();
    JsonNode body = user.body(first, kettle, shop.host().peerId().toString(), HubNetwork.PRICE, FEE, token(kettle),
        COST);
    TestHttp.Reply a = post(body);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.json().path("status").asText()).isEqualTo("delivered");
    user.createSent = true;
    Receipt ra = Receipt.decode(a.json().path("receipt").asText());
    assertThat(ra.verify()).isTrue();
    assertThat(ra.platform()).isEqualTo(shop.local().key().publicKey());
    assertThat(ra.cid().toString()).isEqualTo(kettle);
    assertThat(ra.holder()).isEqualTo(user.receiptKey.publicKey());
    HubStatement ack = statement(a.json().path("hub_ack"));
    assertThat(ack.kind()).isEqualTo(HubStatement.Kind.ACK);
    assertThat(ack.authorised()).isEqualTo(COST);
    assertThat(ack.consumed()).isEqualTo(COST);
    assertThat(ack.channel()).isEqualTo(user.channel.id());

    TestHttp.Reply b = post(user.body(HubUser.requestId(), book, books.host().peerId().toString(),
        HubNetwork.PRICE, FEE, token(book), 2 * COST));
    assertThat(b.status()).as(b.body()).isEqualTo(200);
    assertThat(b.json().path("status").asText()).isEqualTo("delivered");
    Receipt rb = Receipt.decode(b.json().path("receipt").asText());
    assertThat(rb.verify()).isTrue();
    assertThat(rb.platform()).isEqualTo(books.local().key().publicKey());
    assertThat(rb.holder()).isEqualTo(user.receiptKey.publicKey());
    assertThat(statement(b.json().path("hub_ack")).consumed()).isEqualTo(2 * COST);

    // the same request again: the same answer, no second sale
    TestHttp.Reply again = post(body);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("receipt").asText()).isEqualTo(a.json().path("receipt").asText());
    TestHttp.Reply status = http.get("/api/hub/purchases/" + first + "?channel=" + user.channel.id());
    assertThat(status.json().path("status").asText()).isEqualTo("delivered");
    assertThat(status.json().path("receipt").asText()).isEqualTo(a.json().path("receipt").asText());
    assertThat(HubNetwork.sales(shop)).isEqualTo(shopSales + 1);
    assertThat(http.get("/api/hub/purchases/" + HubUser.requestId() + "?channel=" + user.channel.id()).status())
        .isEqualTo(404);
  }

  /**
   * {@code GET /api/hub/channels/{id}/settlement}: a user sees its purchase accepted (with the time settlement is due
   * at the latest), then pending settlement with the hash of the claim transaction the hub signed and queued; this
   * node has no ledger, so it says so and nothing is settled.
   */
  @Test
  void aUserSeesHowFarItsChannelIsSettled() throws Exception {
    HubUser user = new HubUser(hubAddress, 20_000_000);
    String kettle = HubNetwork.cid(shop, "Copper kettle");
    String path = "/api/hub/channels/" + user.channel.id() + "/settlement";
    assertThat(http.get(path).json().at("/error/code").asText()).as("not known before its first purchase")
        .isEqualTo("unknown_channel");
    TestHttp.Reply a = post(user.body(HubUser.requestId(), kettle, shop.host().peerId().toString(),
        HubNetwork.PRICE, FEE, token(kettle), COST));
    assertThat(a.json().path("status").asText()).as(a.body()).isEqualTo("delivered");
    long after = statement(a.json().path("hub_ack")).consumed();

    JsonNode accepted = http.get(path).json();
    assertThat(accepted.path("ledger").asBoolean()).isFalse();
    assertThat(accepted.path("authorised").asLong()).isEqualTo(COST);
    assertThat(accepted.path("settled").asLong()).isZero();
    assertThat(accepted.path("due_by").isTextual()).as(accepted.toString()).isTrue();
    assertThat(SettlementStatus.fromJson(accepted).stateOf(after).state()).isEqualTo(SettlementStatus.State.ACCEPTED);

    hub.payments().settlement().run(true);
    JsonNode queued = http.get(path).json();
    assertThat(queued.path("claims")).hasSize(1);
    JsonNode claim = queued.path("claims").path(0);
    assertThat(claim.path("balance").asLong()).isEqualTo(COST);
    assertThat(claim.path("status").asText()).isEqualTo("pending");
    assertThat(claim.path("hash").asText()).matches("[0-9A-F]{64}");
    SettlementStatus.Of state = SettlementStatus.fromJson(queued).stateOf(after);
    assertThat(state.state()).isEqualTo(SettlementStatus.State.PENDING);
    assertThat(state.hash()).contains(claim.path("hash").asText());
    assertThat(queued.path("settled").asLong()).as("no ledger: nothing is settled").isZero();

    assertThat(http.get("/api/hub/channels/nothex/settlement").status()).isEqualTo(400);
  }

  @Test
  void aRefusalIsCreditedAndTheNextPurchaseSpendsTheCredit() throws Exception {
    HubUser user = new HubUser(hubAddress, 20_000_000);
    String iron = HubNetwork.cid(shop, "Iron kettle");
    String shopPeer = shop.host().peerId().toString();
    // the wallet was shown a price the platform does not ask: the platform refuses, the hub credits
    long wrongPrice = HubNetwork.PRICE - 1;
    long wrongFee = FEE_DROPS + wrongPrice * FEE_BPS / 10_000;
    TestHttp.Reply refused = post(user.body(HubUser.requestId(), iron, shopPeer, wrongPrice, wrongFee, token(iron),
        wrongPrice + wrongFee));
    assertThat(refused.status()).as(refused.body()).isEqualTo(200);
    assertThat(refused.json().path("status").asText()).isEqualTo("credited");
    assertThat(refused.json().at("/reason/code").asText()).isEqualTo("wrong_price");
    HubStatement note = statement(refused.json().path("credit_note"));
    assertThat(note.kind()).isEqualTo(HubStatement.Kind.CREDIT_NOTE);
    assertThat(note.consumed()).isZero();
    assertThat(note.credit()).isEqualTo(wrongPrice + wrongFee);
    user.createSent = true;

    // the credit pays most of the next purchase: the claim rises to the cost, not to credit + cost
    TestHttp.Reply bought = post(user.body(HubUser.requestId(), iron, shopPeer, HubNetwork.PRICE, FEE, token(iron),
        COST));
    assertThat(bought.status()).as(bought.body()).isEqualTo(200);
    assertThat(bought.json().path("status").asText()).isEqualTo("delivered");
    HubStatement ack = statement(bought.json().path("hub_ack"));
    assertThat(ack.authorised()).isEqualTo(COST);
    assertThat(ack.consumed()).isEqualTo(COST);
    assertThat(ack.credit()).isZero();

    // a token for another work: credited again, and the credit alone (no claim at all) pays for the next one
    String steel = HubNetwork.cid(shop, "Steel kettle");
    String glass = HubNetwork.cid(shop, "Glass kettle");
    TestHttp.Reply credited = post(user.body(HubUser.requestId(), steel, shopPeer, HubNetwork.PRICE, FEE,
        HubUser.token(hub.local().key(), glass), 2 * COST));
    assertThat(credited.json().path("status").asText()).as(credited.body()).isEqualTo("credited");
    assertThat(credited.json().at("/reason/code").asText()).isEqualTo("token_cid_mismatch");
    assertThat(statement(credited.json().path("credit_note")).credit()).isEqualTo(COST);
    TestHttp.Reply spent = post(user.body(HubUser.requestId(), steel, shopPeer, HubNetwork.PRICE, FEE, token(steel),
        0));
    assertThat(spent.json().path("status").asText()).as(spent.body()).isEqualTo("delivered");
    HubStatement last = statement(spent.json().path("hub_ack"));
    assertThat(last.authorised()).as("the claim did not go up").isEqualTo(2 * COST);
    assertThat(last.consumed()).isEqualTo(2 * COST);
    assertThat(last.credit()).isZero();
  }

  @Test
  void aChangedFeeIsRefusedBeforeAnythingIsTaken() throws Exception {
    HubUser user = new HubUser(hubAddress, 20_000_000);
    String tin = HubNetwork.cid(shop, "Tin kettle");
    long sales = HubNetwork.sales(shop);
    TestHttp.Reply r = post(user.body(HubUser.requestId(), tin, shop.host().peerId().toString(), HubNetwork.PRICE,
        FEE - 1, token(tin), COST - 1));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("fee_changed");
    assertThat(r.json().at("/error/hub_fee").asLong()).isEqualTo(FEE);
    assertThat(hub.payments().payee().channel(user.channel.id())).isEmpty();
    assertThat(HubNetwork.sales(shop)).isEqualTo(sales);
  }

  @Test
  void theHubForwardsNothingItsUsersClaimDoesNotCover() throws Exception {
    HubUser user = new HubUser(hubAddress, 20_000_000);
    String clay = HubNetwork.cid(shop, "Clay kettle");
    String shopPeer = shop.host().peerId().toString();
    long sales = HubNetwork.sales(shop);
    TestHttp.Reply low = post(user.body(HubUser.requestId(), clay, shopPeer, HubNetwork.PRICE, FEE, token(clay),
        COST - 1));
    assertThat(low.status()).isEqualTo(402);
    assertThat(low.json().at("/error/code").asText()).isEqualTo("over_balance");
    assertThat(low.json().at("/error/needed_claim").asLong()).isEqualTo(COST);
    TestHttp.Reply none = post(user.body(HubUser.requestId(), clay, shopPeer, HubNetwork.PRICE, FEE, token(clay),
        0));
    assertThat(none.status()).isEqualTo(402);
    // a claim for enough, signed by someone else's key
    HubUser other = new HubUser(hubAddress, 20_000_000);
    var forged = other.channel.claimFor(COST);
    var body = user.body(HubUser.requestId(), clay, shopPeer, HubNetwork.PRICE, FEE, token(clay), COST);
    ((com.fasterxml.jackson.databind.node.ObjectNode) body.path("claim")).put("signature", forged.signature());
    TestHttp.Reply bad = post(body);
    assertThat(bad.status()).as(bad.body()).isEqualTo(400);
    assertThat(bad.json().at("/error/code").asText()).isEqualTo("bad_claim");
    assertThat(HubNetwork.sales(shop)).isEqualTo(sales);
  }

  @Test
  void valueTheChannelPaidTheHubNodeDirectlyIsNotSpentAgainThroughTheHub() throws Exception {
    HubUser user = new HubUser(hubAddress, 20_000_000);
    // the hub node is a platform too: the user buys its own listing directly, over the purchase protocol
    String own = HubNetwork.cid(hub, "Hub kettle");
    Receipt direct = shop.purchaseProtocol().buy(hub.host().peerId(), user.channel.claimFor(HubNetwork.PRICE),
        io.fedsearch.core.cid.Cid.parse(own), HubNetwork.PRICE, token(own),
        java.util.Optional.of(user.channel.createBlob()));
    assertThat(direct.verify()).isTrue();
    user.createSent = true;
    // through the hub, the hub's own listing is sold over the same channel: the direct sale's value is not spent
    // again (the claim must cover both), and it carries no hub fee
    String hubPeer = hub.host().peerId().toString();
    long hubSales = HubNetwork.sales(hub);
    TestHttp.Reply reused = post(user.body(HubUser.requestId(), own, hubPeer, HubNetwork.PRICE, 0, token(own),
        HubNetwork.PRICE)); // the claim the direct sale took: no value beyond it
    assertThat(reused.status()).as(reused.body()).isEqualTo(402);
    assertThat(reused.json().at("/error/needed_claim").asLong()).isEqualTo(2 * HubNetwork.PRICE);
    TestHttp.Reply short1 = post(user.body(HubUser.requestId(), own, hubPeer, HubNetwork.PRICE, 0, token(own),
        HubNetwork.PRICE + 1));
    assertThat(short1.status()).as(short1.body()).isEqualTo(402);
    assertThat(short1.json().at("/error/code").asText()).isEqualTo("over_balance");
    assertThat(short1.json().at("/error/needed_claim").asLong()).isEqualTo(2 * HubNetwork.PRICE);
    TestHttp.Reply withFee = post(user.body(HubUser.requestId(), own, hubPeer, HubNetwork.PRICE, FEE, token(own),
        2 * HubNetwork.PRICE + FEE));
    assertThat(withFee.status()).as(withFee.body()).isEqualTo(409);
    assertThat(withFee.json().at("/error/code").asText()).isEqualTo("fee_changed");
    assertThat(withFee.json().at("/error/hub_fee").asLong()).isZero();
    assertThat(HubNetwork.sales(hub)).isEqualTo(hubSales);
    TestHttp.Reply self = post(user.body(HubUser.requestId(), own, hubPeer, HubNetwork.PRICE, 0, token(own),
        2 * HubNetwork.PRICE));
    assertThat(self.json().path("status").asText()).as(self.body()).isEqualTo("delivered");
    assertThat(statement(self.json().path("hub_ack")).consumed()).isEqualTo(2 * HubNetwork.PRICE);
    assertThat(HubNetwork.sales(hub)).isEqualTo(hubSales + 1);
    String copper = HubNetwork.cid(shop, "Copper kettle");
    String shopPeer = shop.host().peerId().toString();
    long sales = HubNetwork.sales(shop);
    // a claim that covers this purchase only if the direct and own sales' value were spendable again
    TestHttp.Reply twice = post(user.body(HubUser.requestId(), copper, shopPeer, HubNetwork.PRICE, FEE,
        token(copper), 2 * HubNetwork.PRICE + 1));
    assertThat(twice.status()).as(twice.body()).isEqualTo(402);
    assertThat(twice.json().at("/error/code").asText()).isEqualTo("over_balance");
    assertThat(twice.json().at("/error/needed_claim").asLong()).isEqualTo(2 * HubNetwork.PRICE + COST);
    assertThat(HubNetwork.sales(shop)).isEqualTo(sales);
    TestHttp.Reply paid = post(user.body(HubUser.requestId(), copper, shopPeer, HubNetwork.PRICE, FEE,
        token(copper), 2 * HubNetwork.PRICE + COST));
    assertThat(paid.json().path("status").asText()).as(paid.body()).isEqualTo("delivered");
    HubStatement ack = statement(paid.json().path("hub_ack"));
    assertThat(ack.consumed()).isEqualTo(2 * HubNetwork.PRICE + COST);
    assertThat(ack.credit()).isZero();
    // and a direct purchase after all that still has to add its price above every claim the hub holds
    Receipt last = shop.purchaseProtocol().buy(hub.host().peerId(),
        user.channel.claimFor(3 * HubNetwork.PRICE + COST), io.fedsearch.core.cid.Cid.parse(own), HubNetwork.PRICE,
        token(own), java.util.Optional.empty());
    assertThat(last.verify()).isTrue();
    TestHttp.Reply after = post(user.body(HubUser.requestId(), own, hubPeer, HubNetwork.PRICE, 0, token(own),
        4 * HubNetwork.PRICE + COST));
    assertThat(after.json().path("status").asText()).as(after.body()).isEqualTo("delivered");
    assertThat(statement(after.json().path("hub_ack")).consumed()).isEqualTo(4 * HubNetwork.PRICE + COST);
    assertThat(HubNetwork.sales(hub)).isEqualTo(hubSales + 3);
  }

  @Test
  void theHubSellsItsOwnListingsThroughTheHubApi() throws Exception {
    HubUser user = new HubUser(hubAddress, 20_000_000);
    String own = HubNetwork.cid(hub, "Hub kettle");
    String hubPeer = hub.host().peerId().toString();
    long hubSales = HubNetwork.sales(hub);
    long shopSales = HubNetwork.sales(shop);
    // found through a search served by the shop: the hub, selling, owes the shop its discovery fee
    String found = HubUser.token(shop.local().key(), own);
    long owedBefore = owedTo(shop);
    String id = HubUser.requestId();
    var body = user.body(id, own, hubPeer, HubNetwork.PRICE, 0, found, 2 * HubNetwork.PRICE);
    TestHttp.Reply a = post(body);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.json().path("status").asText()).isEqualTo("delivered");
    user.createSent = true;
    Receipt r = Receipt.decode(a.json().path("receipt").asText());
    assertThat(r.verify()).isTrue();
    assertThat(r.platform()).isEqualTo(hub.local().key().publicKey());
    assertThat(r.cid().toString()).isEqualTo(own);
    assertThat(r.price()).isEqualTo(HubNetwork.PRICE);
    assertThat(r.holder()).isEqualTo(user.receiptKey.publicKey());
    assertThat(r.servingNode()).isEqualTo(shop.local().key().publicKey());
    assertThat(r.channel()).isEqualTo(user.channel.id());
    HubStatement ack = statement(a.json().path("hub_ack"));
    assertThat(ack.kind()).isEqualTo(HubStatement.Kind.ACK);
    assertThat(ack.platform()).isEqualTo(hubPeer);
    assertThat(ack.cost()).isEqualTo(HubNetwork.PRICE);
    assertThat(ack.authorised()).isEqualTo(2 * HubNetwork.PRICE);
    assertThat(ack.consumed()).isEqualTo(HubNetwork.PRICE);
    assertThat(ack.credit()).isEqualTo(HubNetwork.PRICE);
    assertThat(HubNetwork.sales(hub)).isEqualTo(hubSales + 1);
    assertThat(HubNetwork.sales(shop)).isEqualTo(shopSales); // nothing was forwarded
    assertThat(owedTo(shop) - owedBefore).isEqualTo(HubNetwork.PRICE
        * hub.payments().config().discoveryShareBps() / 10_000).isPositive();

    // the same request again, and its status: the same answer, no second sale
    TestHttp.Reply again = post(body);
    assertThat(again.json().path("receipt").asText()).isEqualTo(a.json().path("receipt").asText());
    TestHttp.Reply status = http.get("/api/hub/purchases/" + id + "?channel=" + user.channel.id());
    assertThat(status.json().path("status").asText()).isEqualTo("delivered");
    assertThat(status.json().path("receipt").asText()).isEqualTo(a.json().path("receipt").asText());
    assertThat(HubNetwork.sales(hub)).isEqualTo(hubSales + 1);

    // the platform's checks, refused with the platform's code before anything is taken
    TestHttp.Reply cheap = post(user.body(HubUser.requestId(), own, hubPeer, 1, 0, token(own), 0));
    assertThat(cheap.status()).as(cheap.body()).isEqualTo(409);
    assertThat(cheap.json().at("/error/code").asText()).isEqualTo("wrong_price");
    assertThat(cheap.json().at("/error/message").asText()).contains("costs " + HubNetwork.PRICE + " drops");
    TestHttp.Reply reused = post(user.body(HubUser.requestId(), own, hubPeer, HubNetwork.PRICE, 0, found, 0));
    assertThat(reused.status()).as(reused.body()).isEqualTo(409);
    assertThat(reused.json().at("/error/code").asText()).isEqualTo("token_reused");
    String shopKettle = HubNetwork.cid(shop, "Tin kettle");
    TestHttp.Reply notOurs = post(user.body(HubUser.requestId(), shopKettle, hubPeer, HubNetwork.PRICE, 0,
        token(shopKettle), 0));
    assertThat(notOurs.status()).as(notOurs.body()).isEqualTo(404);
    assertThat(notOurs.json().at("/error/code").asText()).isEqualTo("not_listed");
    assertThat(HubNetwork.sales(hub)).isEqualTo(hubSales + 1);

    // the credit left by the first claim pays the next one: no claim at all
    TestHttp.Reply fromCredit = post(user.body(HubUser.requestId(), own, hubPeer, HubNetwork.PRICE, 0, token(own),
        0));
    assertThat(fromCredit.json().path("status").asText()).as(fromCredit.body()).isEqualTo("delivered");
    HubStatement spent = statement(fromCredit.json().path("hub_ack"));
    assertThat(spent.authorised()).isEqualTo(2 * HubNetwork.PRICE);
    assertThat(spent.consumed()).isEqualTo(2 * HubNetwork.PRICE);
    assertThat(spent.credit()).isZero();
    assertThat(Receipt.decode(fromCredit.json().path("receipt").asText()).verify()).isTrue();
    // and now the channel is spent: one more needs a higher claim
    TestHttp.Reply more = post(user.body(HubUser.requestId(), own, hubPeer, HubNetwork.PRICE, 0, token(own), 0));
    assertThat(more.status()).as(more.body()).isEqualTo(402);
    assertThat(more.json().at("/error/needed_claim").asLong()).isEqualTo(3 * HubNetwork.PRICE);
    assertThat(HubNetwork.sales(hub)).isEqualTo(hubSales + 2);
  }

  static long owedTo(RunningNode node) {
    return hub.payments().fees().all().stream().filter(o -> o.node().equals(node.local().key().publicKey()))
        .mapToLong(io.fedsearch.federation.payments.payout.FeeBook.Owed::accrued).sum();
  }

  @Test
  void aPlatformThatStopsAnsweringLeavesTheUserACreditNote() throws Exception {
    RunningNode gone = HubNetwork.platform(dir.resolve("gone"), "gone", HubNetwork.catalog("Lost kettle"),
        hub.host().listenAddresses());
    String lost = HubNetwork.cid(gone, "Lost kettle");
    String gonePeer = gone.host().peerId().toString();
    HubUser user = new HubUser(hubAddress, 20_000_000);
    TestHttp.Reply first;
    try {
      first = post(user.body(HubUser.requestId(), lost, gonePeer, HubNetwork.PRICE, FEE, token(lost), COST));
    } finally {
      gone.close(); // after one sale the hub knows where to pay it; now it is gone
    }
    assertThat(first.json().path("status").asText()).as(first.body()).isEqualTo("delivered");
    user.createSent = true;
    String id = HubUser.requestId();
    TestHttp.Reply r = post(user.body(id, lost, gonePeer, HubNetwork.PRICE, FEE, token(lost), 2 * COST));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("credited");
    assertThat(r.json().at("/reason/code").asText()).isEqualTo("platform_unreachable");
    HubStatement note = statement(r.json().path("credit_note"));
    assertThat(note.authorised()).isEqualTo(2 * COST);
    assertThat(note.consumed()).isEqualTo(COST);
    assertThat(note.credit()).isEqualTo(COST);
    assertThat(http.get("/api/hub/purchases/" + id + "?channel=" + user.channel.id()).json().path("status")
        .asText()).isEqualTo("credited");
  }

  @Test
  void aSecondPurchaseWhileOneIsInFlightIsRefused() throws Exception {
    HubUser user = new HubUser(hubAddress, 20_000_000);
    String copper = HubNetwork.cid(shop, "Copper kettle");
    String book = HubNetwork.cid(books, "Kettle book");
    String first = HubUser.requestId();
    shopEntered[0] = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    shopGate = gate;
    CompletableFuture<TestHttp.Reply> inFlight;
    try {
      JsonNode body = user.body(first, copper, shop.host().peerId().toString(), HubNetwork.PRICE, FEE,
          token(copper), COST);
      inFlight = CompletableFuture.supplyAsync(() -> {
        try {
          return post(body);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(shopEntered[0].await(60, TimeUnit.SECONDS)).as("the shop got the purchase").isTrue();
      // the platform has been paid: by then the user's claim that covers it is in the hub's journal
      assertThat(hub.payments().payee().journal(user.channel.id()))
          .extracting(io.fedsearch.federation.payments.channel.Claim::drops).contains(COST);
      user.createSent = true;
      TestHttp.Reply pending = http.get("/api/hub/purchases/" + first + "?channel=" + user.channel.id());
      assertThat(pending.json().path("status").asText()).isEqualTo("pending");
      TestHttp.Reply second = post(user.body(HubUser.requestId(), book, books.host().peerId().toString(),
          HubNetwork.PRICE, FEE, token(book), 2 * COST));
      assertThat(second.status()).as(second.body()).isEqualTo(409);
      assertThat(second.json().at("/error/code").asText()).isEqualTo("in_flight_limit");
    } finally {
      shopGate = null;
      gate.countDown();
    }
    TestHttp.Reply done = inFlight.get(60, TimeUnit.SECONDS);
    assertThat(done.json().path("status").asText()).as(done.body()).isEqualTo("delivered");
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/hub/purchases/" + first
        + "?channel=" + user.channel.id()).json().path("status").asText().equals("delivered"));
  }
}
