package io.fedsearch.web.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.core.token.AttributionToken;
import io.fedsearch.federation.payments.payer.UserChannel;
import io.fedsearch.federation.payments.userwallet.HubPurchases;
import io.fedsearch.federation.payments.wallet.XrplAccountKey;
import io.fedsearch.web.http.NodeServer;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.hub.WalletBuyer;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xrpl.xrpl4j.codec.addresses.KeyType;

/**
 * {@code /metrics} over real HTTP on a two-node federation: platform P sells kettles, a user searches the federation
 * on node D and buys with their wallet through D as hub (D pays P over P's purchase protocol), and P settles the claim
 * into its outbox at its
 * next payments tick (settlement threshold 1 drop, as the demo runs). The series each step should move are read
 * from both nodes' scrapes before and after; then the shipped dashboard and alert rules are checked against what
 * the scrapes hold.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsScrapeTest {
  static final long PRICE = 1_500_000;
  static final long HUB_FEE_DROPS = 1000;
  static final int HUB_FEE_BPS = 100;

  @TempDir static Path dir;
  static RunningNode platform;
  static RunningNode demo;
  static NodeServer platformServer;
  static NodeServer demoServer;
  static TestHttp p;
  static TestHttp d;

  @BeforeAll
  static void start() throws Exception {
    NodeDirectory pd = NodeDirectory.init(dir.resolve("p"), "shop");
    quickSettlement(pd);
    platform = RunningNode.start(pd, RunningNode.Options.defaults());
    platformServer = NodeServer.start(platform, "127.0.0.1", 0, 1 << 20);
    p = new TestHttp("http://127.0.0.1:" + platformServer.port());
    String lines = "{\"id\":\"k1\",\"title\":\"Copper kettle\",\"description\":\"a kettle\",\"price\":" + PRICE + "}\n"
        + "{\"id\":\"k2\",\"title\":\"Iron kettle\",\"description\":\"another kettle\",\"price\":" + PRICE + "}\n";
    assertThat(p.post("/api/entries", lines, pd.adminToken()).status()).isEqualTo(200);
    NodeDirectory dd = NodeDirectory.init(dir.resolve("d"), "demo");
    quickSettlement(dd);
    // users buy through D as their hub
    dd.putSettings("hub", Map.of("enabled", true, "fee_drops", HUB_FEE_DROPS, "fee_bps", HUB_FEE_BPS));
    demo = RunningNode.start(dd, new RunningNode.Options(0, platform.host().listenAddresses(), null));
    demoServer = NodeServer.start(demo, "127.0.0.1", 0, 1 << 20);
    d = new TestHttp("http://127.0.0.1:" + demoServer.port());
    demo.federation().peers().refresh();
    platform.federation().peers().refresh();
  }

  /** Settles any unsettled claim at the next payments tick, instead of the production batching. */
  static void quickSettlement(NodeDirectory nd) throws Exception {
    Path config = nd.root().resolve(NodeDirectory.CONFIG);
    ObjectMapper json = new ObjectMapper();
    ObjectNode c = (ObjectNode) json.readTree(config.toFile());
    c.putObject("payments").put("payout_min_drops", 1).put("settle_threshold_drops", 1);
    Files.writeString(config, json.writerWithDefaultPrettyPrinter().writeValueAsString(c));
  }

  /** The node's event lines (loggers io.fedsearch.payments and io.fedsearch.peers), as written. */
  static final List<String> EVENTS = new java.util.concurrent.CopyOnWriteArrayList<>();
  static final Handler CAPTURE = new Handler() {
    @Override
    public void publish(LogRecord r) {
      EVENTS.add(r.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeAll
  static void captureEvents() {
    Logger.getLogger("io.fedsearch.payments").addHandler(CAPTURE);
    Logger.getLogger("io.fedsearch.peers").addHandler(CAPTURE);
  }

  static boolean platformStopped;

  @AfterAll
  static void stop() throws Exception {
    Logger.getLogger("io.fedsearch.payments").removeHandler(CAPTURE);
    Logger.getLogger("io.fedsearch.peers").removeHandler(CAPTURE);
    demoServer.close();
    demo.close();
    if (!platformStopped) {
      platformServer.close();
      platform.close();
    }
  }

  static List<String> events(String prefix) {
    return EVENTS.stream().filter(l -> l.startsWith(prefix)).toList();
  }

  static Scrape scrape(TestHttp node) throws Exception {
    TestHttp.Reply r = node.get("/metrics");
    assertThat(r.status()).isEqualTo(200);
    return new Scrape(r.body());
  }

  @Test
  @Order(1)
  void searchPurchaseAndSettlementMoveTheirSeries() throws Exception {
    Scrape d0 = scrape(d);
    Scrape p0 = scrape(p);
    // every series is there before anything happened (a dashboard shows zero, not "no data")
    for (String name : new String[] {"fedsearch_search_seconds_count", "fedsearch_search_nodes_count",
        "fedsearch_claims_total", "fedsearch_outbox_transactions", "fedsearch_outbox_oldest_open_age_seconds",
        "fedsearch_channels", "fedsearch_payouts_due_drops", "fedsearch_privacy_epsilon_remaining",
        "fedsearch_payments_commits_total", "fedsearch_index_documents", "fedsearch_entry_fetch_seconds_count",
        "fedsearch_entry_fetch_peer_failures_total", "jvm_memory_used_bytes"}) {
      assertThat(d0.names()).as(name).contains(name);
    }
    assertThat(p0.sum("fedsearch_index_documents")).isEqualTo(2);
    assertThat(p0.sum("fedsearch_import_entries_total", "outcome", "added")).isEqualTo(2);

    // a federated search on D reaches P
    JsonNode found = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> d.get("/api/search?q=copper+kettle").json(), j -> j.path("hits").size() > 0
            && j.path("hits").get(0).path("hosts").get(0).path("platform").asText().equals("shop"));
    JsonNode host = found.path("hits").get(0).path("hosts").get(0);
    Scrape d1 = scrape(d);
    assertThat(d1.sum("fedsearch_search_seconds_count", "mode", "federated", "merge", "exact"))
        .isGreaterThan(d0.sum("fedsearch_search_seconds_count", "mode", "federated", "merge", "exact"));
    assertThat(d1.sum("fedsearch_search_nodes_sum", "outcome", "answered"))
        .isGreaterThanOrEqualTo(d0.sum("fedsearch_search_nodes_sum", "outcome", "answered") + 1);
    assertThat(d1.sum("fedsearch_search_nodes_sum", "outcome", "asked"))
        .isGreaterThanOrEqualTo(d1.sum("fedsearch_search_nodes_sum", "outcome", "answered"));
    String peer = platform.host().peerId().toString();
    assertThat(d1.sum("fedsearch_peer_answers_total", "peer", peer, "platform", "shop")).isGreaterThan(0);
    // who D reaches: P connected (D bootstrapped from it) and an index peer, not backed off
    assertThat(d1.sum("fedsearch_p2p_peers_connected")).isEqualTo(1);
    assertThat(d1.sum("fedsearch_p2p_bootstrap_addresses")).isEqualTo(platform.host().listenAddresses().size());
    assertThat(d1.sum("fedsearch_index_peers", "state", "known")).isEqualTo(1);
    assertThat(d1.has("fedsearch_index_peers", "state", "backed_off")).isTrue();
    assertThat(d1.sum("fedsearch_index_peers", "state", "backed_off")).isZero();
    assertThat(scrape(p).sum("fedsearch_p2p_bootstrap_addresses")).isZero();
    assertThat(d1.sum("fedsearch_search_cache_total", "result", "miss")).isGreaterThan(0);
    // an entry D does not hold is fetched from P and verified; an unknown CID is asked of every peer, in vain
    assertThat(d.get("/api/entries/" + host.path("cid").asText()).json().path("served_by").asText()).isEqualTo(peer);
    String unknown = Cid.ofDagCbor(io.fedsearch.core.cbor.DagCbor.encode("no such entry")).toString();
    assertThat(d.get("/api/entries/" + unknown).status()).isEqualTo(404);
    Scrape fetched = scrape(d);
    assertThat(fetched.sum("fedsearch_entry_fetch_seconds_count", "outcome", "found"))
        .isEqualTo(d0.sum("fedsearch_entry_fetch_seconds_count", "outcome", "found") + 1);
    assertThat(fetched.sum("fedsearch_entry_fetch_seconds_count", "outcome", "not_found"))
        .isEqualTo(d0.sum("fedsearch_entry_fetch_seconds_count", "outcome", "not_found") + 1);
    d.get("/api/search?q=copper+kettle&mode=local");
    assertThat(scrape(d).sum("fedsearch_search_seconds_count", "mode", "local")).isEqualTo(1);

    // a user's purchase through D at the wrong price is refused by P (credited to the user), one at the listed
    // price accepted (claims are counted by P)
    WalletBuyer user = WalletBuyer.open(dir.resolve("wallet"), d.base(), 20_000_000);
    HubPurchases.Outcome bad = user.buy(host.path("cid").asText(), host.path("node").asText(), 1,
        host.path("attribution_token").asText());
    assertThat(bad.code()).as(bad.status()).isEqualTo("wrong_price");
    WalletBuyer.receipt(user.buy(host));
    Scrape p1 = scrape(p);
    assertThat(p1.sum("fedsearch_claims_total", "outcome", "rejected", "reason", "wrong_price")).isEqualTo(1);
    assertThat(events("event=claim_rejected reason=wrong_price ")).singleElement().asString()
        .contains("cid=" + host.path("cid").asText()).contains("price=1 ").contains("costs " + PRICE + " drops, not 1");
    assertThat(p1.sum("fedsearch_claims_total", "outcome", "accepted")).isEqualTo(1);
    assertThat(p1.sum("fedsearch_claim_accept_seconds_count")).isEqualTo(1);
    assertThat(p1.sum("fedsearch_payments_commit_writes_total"))
        .isGreaterThan(p0.sum("fedsearch_payments_commit_writes_total"));
    assertThat(p1.sum("fedsearch_channels", "role", "payee")).isEqualTo(1);
    assertThat(p1.sum("fedsearch_channel_remaining_drops", "role", "payee")).isPositive();
    // D's search handed out the token: P owes D the discovery fee until its payout runs
    assertThat(p1.sum("fedsearch_payouts_due_drops") + p1.sum("fedsearch_nettings_total")
        + scrape(d).sum("fedsearch_channels", "role", "payee")).isPositive();

    // P settles the claim at its next payments tick: a claim transaction waits in its outbox (no ledger here), and
    // the channel has nothing unsettled left (one scrape may fall between the two; the next one sees both)
    Scrape p2 = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> scrape(p), s -> s.sum("fedsearch_outbox_transactions", "status", "pending")
            + s.sum("fedsearch_outbox_transactions", "status", "submitted") > 0
            && s.sum("fedsearch_channel_unsettled_drops", "role", "payee") == 0);
    assertThat(p0.sum("fedsearch_outbox_transactions", "status", "pending")).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> !events("event=settlement_queued channel=").isEmpty());
    assertThat(p2.has("fedsearch_outbox_oldest_open_age_seconds")).isTrue();

    // a second sale on the same channel gives it a spend rate: a time to exhaustion, and a top-N row
    JsonNode iron = d.get("/api/search?q=iron+kettle").json().path("hits").get(0).path("hosts").get(0);
    WalletBuyer.receipt(user.buy(iron));
    user.close();
    Scrape p3 = scrape(p);
    assertThat(p3.sum("fedsearch_claims_total", "outcome", "accepted")).isEqualTo(2);
    assertThat(p3.sum("fedsearch_channel_min_exhaustion_seconds", "role", "payee")).isPositive();
    assertThat(p3.has("fedsearch_channel_exhaustion_seconds", "role", "payee", "rank", "1")).isTrue();
    // /metrics takes no token: no channel id (the admin API's to give) is in it
    String channel = platform.payments().monitor().all().getFirst().id();
    assertThat(p.get("/metrics").body()).doesNotContainIgnoringCase(channel);
  }

  /**
   * D is also a hub: a user with one channel to it buys P's kettle through {@code POST /api/hub/purchases}. A
   * changed fee is refused, a purchase at the listed price delivered, one at a price P does not list credited with
   * P's code; the series of each move, and the user's credit is what the channel authorised beyond what it spent.
   */
  @Test
  @Order(2)
  void hubPurchasesMoveTheHubSeries() throws Exception {
    Scrape h0 = scrape(d); // counters below are read as moves from here: earlier tests bought through D as hub too
    for (String name : new String[] {"fedsearch_hub_purchases_total", "fedsearch_hub_forward_seconds_count",
        "fedsearch_hub_purchases_in_flight", "fedsearch_hub_user_credit_drops"}) {
      assertThat(h0.names()).as(name).contains(name);
    }
    assertThat(scrape(p).names()).as("P is no hub").doesNotContain("fedsearch_hub_purchases_total");
    assertThat(h0.sum("fedsearch_hub_user_credit_drops")).isZero();
    String hubAddress = d.get("/api/hub").json().path("account").asText();
    UserChannel channel = UserChannel.open(XrplAccountKey.generate(KeyType.ED25519), hubAddress, 20_000_000,
        86_400, Optional.empty(), 7, 12);
    String cid = found("copper kettle").path("cid").asText();
    long fee = HUB_FEE_DROPS + PRICE * HUB_FEE_BPS / 10_000;

    TestHttp.Reply refused = hubBuy(channel, cid, PRICE, fee + 1, 0, true);
    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    assertThat(refused.json().at("/error/code").asText()).isEqualTo("fee_changed");
    Scrape h1 = scrape(d);
    assertThat(h1.sum("fedsearch_hub_refusals_total", "code", "fee_changed")
        - h0.sum("fedsearch_hub_refusals_total", "code", "fee_changed")).isEqualTo(1);
    assertThat(h1.sum("fedsearch_hub_purchases_total") - h0.sum("fedsearch_hub_purchases_total")).isZero();

    // a claim for two purchases: after one is delivered, one purchase's worth is the user's credit at the hub
    TestHttp.Reply delivered = hubBuy(channel, cid, PRICE, fee, 2 * (PRICE + fee), true);
    assertThat(delivered.status()).as(delivered.body()).isEqualTo(200);
    assertThat(delivered.json().path("status").asText()).isEqualTo("delivered");
    Scrape h2 = scrape(d);
    assertThat(h2.sum("fedsearch_hub_purchases_total", "outcome", "delivered", "reason", "none")
        - h0.sum("fedsearch_hub_purchases_total", "outcome", "delivered", "reason", "none")).isEqualTo(1);
    assertThat(h2.sum("fedsearch_hub_forward_seconds_count") - h0.sum("fedsearch_hub_forward_seconds_count"))
        .isEqualTo(1);
    assertThat(h2.sum("fedsearch_hub_forward_seconds_sum")).isPositive();
    assertThat(h2.sum("fedsearch_hub_purchases_in_flight")).isZero();
    assertThat(h2.sum("fedsearch_hub_user_credit_drops")).isEqualTo(PRICE + fee);

    // P lists the kettle at PRICE, not 1: it refuses the hub's claim and the hub credits the user (no new claim)
    long cheapFee = HUB_FEE_DROPS + HUB_FEE_BPS / 10_000;
    TestHttp.Reply credited = hubBuy(channel, cid, 1, cheapFee, 0, false);
    assertThat(credited.status()).as(credited.body()).isEqualTo(200);
    assertThat(credited.json().path("status").asText()).isEqualTo("credited");
    Scrape h3 = scrape(d);
    assertThat(h3.sum("fedsearch_hub_purchases_total", "outcome", "credited", "reason", "wrong_price")
        - h0.sum("fedsearch_hub_purchases_total", "outcome", "credited", "reason", "wrong_price")).isEqualTo(1);
    assertThat(h3.sum("fedsearch_hub_purchases_total", "outcome", "delivered")
        - h0.sum("fedsearch_hub_purchases_total", "outcome", "delivered")).isEqualTo(1);
    assertThat(h3.sum("fedsearch_hub_forward_seconds_count") - h0.sum("fedsearch_hub_forward_seconds_count"))
        .isEqualTo(2);
    assertThat(h3.sum("fedsearch_hub_user_credit_drops")).isEqualTo(PRICE + fee);
  }

  /** A hit's first host from D's federated search for {@code q}. */
  static JsonNode found(String q) throws Exception {
    return d.get("/api/search?q=" + q.replace(' ', '+')).json().path("hits").get(0).path("hosts").get(0);
  }

  /** {@code POST /api/hub/purchases} on D for P's {@code cid}; a claim of {@code cumulative} when positive. */
  static TestHttp.Reply hubBuy(UserChannel channel, String cid, long price, long fee, long cumulative,
      boolean withCreate) throws Exception {
    ObjectNode b = new ObjectMapper().createObjectNode().put("request_id",
        java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(16))).put("channel", channel.id()).put("cid", cid)
        .put("platform", platform.host().peerId().toString()).put("price", price).put("hub_fee", fee)
        .put("token", AttributionToken.issue(demo.local().key(), Cid.parse(cid), "kettle",
            Instant.now().minusSeconds(5), Duration.ofHours(1)).encode())
        .put("receipt_key", NodeKey.generate().publicKey().hex());
    if (withCreate) {
      b.put("channel_create", channel.createBlob());
    }
    if (cumulative > 0) {
      var claim = channel.claimFor(cumulative);
      b.putObject("claim").put("amount", claim.drops()).put("signature", claim.signature());
    }
    return d.postWith("/api/hub/purchases", b.toString(), "Content-Type", "application/json");
  }

  /**
   * The shipped dashboard and alert rules use only series a node exposes: every metric they select is in a real
   * scrape of this federation's nodes (after the flow above), with the label values they match on.
   */
  @Test
  @Order(3)
  void dashboardAndAlertsUseOnlyScrapedSeries() throws Exception {
    Scrape both = scrape(p);
    both.samples.addAll(scrape(d).samples);
    Map<String, String> alerts = OpsFiles.alertExpressions(OpsFiles.read("/ops/alerts.yml"));
    assertThat(alerts.keySet()).contains("FedsearchChannelRunningDry", "FedsearchOutboxStuck",
        "FedsearchPeerForging", "FedsearchPrivacyBudgetNearExhaustion", "FedsearchSearchP99OverTarget",
        "FedsearchHubCreditingPurchases");
    List<String> exprs = new ArrayList<>(alerts.values());
    exprs.addAll(OpsFiles.dashboardExpressions(OpsFiles.read("/ops/dashboard.json")));
    int checked = 0;
    for (String expr : exprs) {
      List<OpsFiles.Selector> selectors = OpsFiles.selectors(expr);
      assertThat(selectors).as("metrics in " + expr).isNotEmpty();
      for (OpsFiles.Selector s : selectors) {
        assertThat(both.names()).as("metric " + s.metric() + " in " + expr).contains(s.metric());
        for (Map.Entry<String, String> l : s.equals().entrySet()) {
          if (!Set.of("instance", "job").contains(l.getKey())) {
            assertThat(both.has(s.metric(), l.getKey(), l.getValue())).as(s.metric() + " with " + l + " in " + expr)
                .isTrue();
          }
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(40);
  }

  /** P goes away: D's next federated search finds it failing, which its metrics and its event log both say. */
  @Test
  @Order(4)
  void aPeerThatStopsAnsweringIsCountedAndLogged() throws Exception {
    String peer = platform.host().peerId().toString();
    Scrape before = scrape(d);
    platformStopped = true;
    platformServer.close();
    platform.close();
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
      d.get("/api/search?q=teapot+" + System.nanoTime()); // a new query each time: no cached answer
      return !events("event=peer_miss ").stream().filter(l -> l.contains(" peer=" + peer + " ")).toList().isEmpty();
    });
    String line = events("event=peer_miss ").stream().filter(l -> l.contains(" peer=" + peer + " ")).findFirst()
        .orElseThrow();
    assertThat(line).matches("event=peer_miss kind=(failure|timeout) peer=\\S+ platform=shop consecutive=\\d+ .*")
        .contains(" error=\"");
    Scrape after = scrape(d);
    assertThat(after.sum("fedsearch_peer_failures_total", "peer", peer) + after.sum("fedsearch_peer_timeouts_total",
        "peer", peer)).isGreaterThan(before.sum("fedsearch_peer_failures_total", "peer", peer)
        + before.sum("fedsearch_peer_timeouts_total", "peer", peer));
    assertThat(after.sum("fedsearch_search_nodes_sum", "outcome", "failed")
        + after.sum("fedsearch_search_nodes_sum", "outcome", "skipped"))
        .isGreaterThan(before.sum("fedsearch_search_nodes_sum", "outcome", "failed")
            + before.sum("fedsearch_search_nodes_sum", "outcome", "skipped"));
    // D is now alone although it has a bootstrap address: what FedsearchIsolated fires on
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> scrape(d).sum("fedsearch_p2p_peers_connected") == 0);
    assertThat(scrape(d).sum("fedsearch_p2p_bootstrap_addresses")).isPositive();
  }

}
