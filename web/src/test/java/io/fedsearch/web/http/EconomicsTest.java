package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedsearch.web.hub.WalletBuyer;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/economics} and {@code /dashboard/economics} on a two-node federation with purchases: platform P
 * sells two kettles to a user who pays with their wallet through node D as hub, whose search surfaced them; P owes
 * D the discovery fees, pays
 * them over a payout channel, and settles the buyer's claim into its outbox. Every figure is checked against what
 * the node's other admin views of the same journal say (payouts, channels, outbox) and against the other node's
 * side of the same money — none is a constant of the test.
 */
@Timeout(300)
class EconomicsTest {
  static final long COPPER = 1_500_000;
  static final long IRON = 2_250_000;

  @TempDir static Path dir;
  static RunningNode platform;
  static RunningNode demo;
  static NodeServer platformServer;
  static NodeServer demoServer;
  static TestHttp p;
  static TestHttp d;
  static String pToken;
  static String dToken;

  @BeforeAll
  static void start() throws Exception {
    NodeDirectory pd = NodeDirectory.init(dir.resolve("p"), "shop");
    quickPayouts(pd);
    platform = RunningNode.start(pd, RunningNode.Options.defaults());
    platformServer = NodeServer.start(platform, "127.0.0.1", 0, 1 << 20);
    p = new TestHttp("http://127.0.0.1:" + platformServer.port());
    pToken = pd.adminToken();
    String lines = "{\"id\":\"k1\",\"title\":\"Copper kettle\",\"description\":\"a kettle\",\"price\":" + COPPER + "}\n"
        + "{\"id\":\"k2\",\"title\":\"Iron kettle\",\"description\":\"another kettle\",\"price\":" + IRON + "}\n";
    assertThat(p.post("/api/entries", lines, pToken).status()).isEqualTo(200);
    NodeDirectory dd = NodeDirectory.init(dir.resolve("d"), "demo");
    quickPayouts(dd);
    dd.putSettings("hub", java.util.Map.of("enabled", true));
    demo = RunningNode.start(dd, new RunningNode.Options(0, platform.host().listenAddresses(), null));
    demoServer = NodeServer.start(demo, "127.0.0.1", 0, 1 << 20);
    d = new TestHttp("http://127.0.0.1:" + demoServer.port());
    dToken = dd.adminToken();
    demo.federation().peers().refresh();
    platform.federation().peers().refresh();

    try (WalletBuyer user = WalletBuyer.open(dir.resolve("wallet"), d.base(), 20_000_000)) {
      buy(user, "copper kettle", COPPER);
      buy(user, "iron kettle", IRON);
    }
    // P pays D's discovery fees at a payments tick, and settles the buyer's claim into its outbox (no ledger here).
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
        p.getAdmin("/api/payouts", pToken).json().path("owed").findValues("due").stream().allMatch(n -> n.asLong() == 0)
            && p.getAdmin("/api/payouts", pToken).json().path("payouts").size() > 0
            && p.getAdmin("/api/outbox", pToken).json().path("transactions").size() > 0
            // both claims settled: no further outbox row will come (a tick between the purchases settles in two)
            && p.getAdmin("/api/channels", pToken).json().path("channels").findValues("unsettled").stream()
                .allMatch(n -> n.asLong() == 0));
  }

  /** Pays fees and settles at the next payments tick instead of the production batching. */
  static void quickPayouts(NodeDirectory nd) throws Exception {
    Path config = nd.root().resolve(NodeDirectory.CONFIG);
    ObjectMapper json = new ObjectMapper();
    ObjectNode c = (ObjectNode) json.readTree(config.toFile());
    c.putObject("payments").put("payout_min_drops", 1).put("settle_threshold_drops", 1);
    Files.writeString(config, json.writerWithDefaultPrettyPrinter().writeValueAsString(c));
  }

  /** A user searches the federation on D and buys the first hit from P through D, their hub. */
  static void buy(WalletBuyer user, String query, long price) throws Exception {
    JsonNode found = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> d.get("/api/search?q=" + query.replace(' ', '+')).json(), j -> j.path("hits").size() > 0
            && j.path("hits").get(0).path("hosts").get(0).path("platform").asText().equals("shop"));
    JsonNode host = found.path("hits").get(0).path("hosts").get(0);
    assertThat(host.path("price").asLong()).isEqualTo(price);
    WalletBuyer.receipt(user.buy(host));
  }

  @AfterAll
  static void stop() throws Exception {
    demoServer.close();
    demo.close();
    platformServer.close();
    platform.close();
  }

  static JsonNode economics(TestHttp node, String token) throws Exception {
    TestHttp.Reply r = node.getAdmin("/api/economics?days=7", token);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  @Test
  void theFiguresAreTheJournals() throws Exception {
    JsonNode e = economics(p, pToken);
    JsonNode payouts = p.getAdmin("/api/payouts", pToken).json();
    JsonNode channels = p.getAdmin("/api/channels", pToken).json().path("channels");
    JsonNode outbox = p.getAdmin("/api/outbox", pToken).json().path("transactions");

    // Sales: the two purchases at their prices; the fees they owe are what P's fee book accrued to D.
    assertThat(e.at("/sales/count").asLong()).isEqualTo(2);
    assertThat(e.at("/sales/revenue").asLong()).isEqualTo(COPPER + IRON);
    long accrued = payouts.path("owed").findValues("accrued").stream().mapToLong(JsonNode::asLong).sum();
    assertThat(accrued).isPositive();
    assertThat(e.at("/sales/discovery_fees_owed").asLong()).isEqualTo(accrued);
    assertThat(accrued).isEqualTo((COPPER + IRON) * platform.payments().config().discoveryShareBps() / 10_000);

    // Fees paid by P = its payout claims (and netting); D earned exactly that, over P's payout channel to it.
    long paidClaims = payouts.path("payouts").findValues("amount").stream().mapToLong(JsonNode::asLong).sum();
    long netted = payouts.path("owed").findValues("netted").stream().mapToLong(JsonNode::asLong).sum();
    assertThat(e.at("/discovery_fees/paid_by_claims").asLong()).isEqualTo(paidClaims).isPositive();
    assertThat(e.at("/discovery_fees/paid").asLong()).isEqualTo(paidClaims + netted).isEqualTo(accrued);
    assertThat(e.at("/discovery_fees/owed_unpaid").asLong()).isZero();
    JsonNode de = economics(d, dToken);
    assertThat(de.at("/discovery_fees/earned_by_claims").asLong()).isEqualTo(paidClaims);
    assertThat(de.at("/sales/count").asLong()).as("D sold nothing").isZero();
    assertThat(e.path("hub_fees").asLong()).isZero();

    // Ledger fees: no ledger, so nothing spent; the outbox rows' Fee waits.
    long waiting = 0;
    long spent = 0;
    for (JsonNode t : outbox) {
      String status = t.path("status").asText();
      if (status.equals("pending") || status.equals("submitted")) {
        waiting += t.path("fee").asLong();
      } else if (status.equals("validated")) {
        spent += t.path("fee").asLong();
      }
    }
    assertThat(waiting).isPositive();
    assertThat(e.at("/ledger_fees/waiting").asLong()).isEqualTo(waiting);
    assertThat(e.at("/ledger_fees/spent").asLong()).isEqualTo(spent);

    // Capital: P funds one channel (the payout channel to D); locked and spent as its channel view has them.
    long locked = 0;
    long used = 0;
    long lockedToUs = 0;
    for (JsonNode c : channels) {
      if (c.path("role").asText().equals("payer")) {
        locked += c.path("amount").asLong();
        used += c.path("used").asLong();
      } else {
        lockedToUs += c.path("amount").asLong();
      }
    }
    assertThat(e.at("/capital/payer_channels").asLong()).isEqualTo(1);
    assertThat(e.at("/capital/locked").asLong()).isEqualTo(locked).isPositive();
    assertThat(e.at("/capital/spent").asLong()).isEqualTo(used).isEqualTo(paidClaims);
    assertThat(e.at("/capital/efficiency").asDouble()).isCloseTo((double) used / locked,
        org.assertj.core.api.Assertions.within(1e-4));
    assertThat(e.at("/capital/locked_to_us").asLong()).isEqualTo(lockedToUs).isPositive();
    assertThat(e.at("/capital/received_on_them").asLong()).isEqualTo(COPPER + IRON);
    assertThat(e.at("/capital/reserve").isNull()).isTrue();
    assertThat(e.at("/capital/reserve_note").asText()).contains("no ledger");

    // Per payer: one buyer account (D's, the hub paying for its user), two purchases.
    assertThat(e.at("/per_payer/accounts").asLong()).isEqualTo(1);
    assertThat(e.at("/per_payer/purchases").asDouble()).isEqualTo(2);
    assertThat(e.at("/per_payer/revenue").asDouble()).isEqualTo(COPPER + IRON);
    assertThat(e.at("/per_payer/channel_accounts").asLong()).isEqualTo(1);

    // Daily: 7 days ending today (UTC); the days add up to the totals.
    JsonNode daily = e.path("daily");
    assertThat(daily).hasSize(7);
    assertThat(daily.get(6).path("date").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
    assertThat(daily.findValues("revenue").stream().mapToLong(JsonNode::asLong).sum()).isEqualTo(COPPER + IRON);
    assertThat(daily.findValues("discovery_fees_paid").stream().mapToLong(JsonNode::asLong).sum())
        .isEqualTo(paidClaims + netted);
    assertThat(daily.findValues("payers").stream().mapToLong(JsonNode::asLong).sum()).isEqualTo(1);
  }

  @Test
  void theApiNeedsTheAdminTokenAndBoundsItsPeriod() throws Exception {
    assertThat(p.get("/api/economics").status()).isEqualTo(401);
    assertThat(p.getAdmin("/api/economics", "wrong").status()).isEqualTo(403);
    assertThat(p.getAdmin("/api/economics?days=0", pToken).status()).isEqualTo(400);
    assertThat(p.getAdmin("/api/economics?days=367", pToken).status()).isEqualTo(400);
    assertThat(p.getAdmin("/api/economics", pToken).json().path("daily")).hasSize(30);
  }

  @Test
  void thePageShowsTheSameFiguresAndChartsWithoutScript() throws Exception {
    assertThat(p.get("/dashboard/economics").status()).isEqualTo(401);
    TestHttp.Reply page = p.getAdmin("/dashboard/economics?days=7", pToken);
    assertThat(page.status()).isEqualTo(200);
    JsonNode e = economics(p, pToken);
    String revenue = java.math.BigDecimal.valueOf(COPPER + IRON, 6).stripTrailingZeros().toPlainString() + " XRP";
    assertThat(page.body()).contains("id=\"revenue\"><b>" + revenue + "</b>")
        .contains("Revenue from sales per day (XRP)").contains("<svg").contains("id=\"efficiency\"><b>"
            + percent(e.at("/capital/efficiency").asDouble()) + " %</b>")
        .doesNotContain("<script>").doesNotContain("style=");
    assertThat(p.getAdmin("/dashboard", pToken).body()).contains("href=\"/dashboard/economics\"");
  }

  /** A share as the page prints it: percent, up to two decimals. */
  static String percent(double share) {
    double v = 100 * share;
    return v == Math.rint(v) ? String.valueOf((long) v)
        : String.format(java.util.Locale.ROOT, "%.2f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
