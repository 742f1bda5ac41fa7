package io.fedsearch.web.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.payments.hub.HubStatement;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import io.fedsearch.web.testing.ChildNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub in its own JVM is killed with SIGKILL while a platform is answering its purchase (the platform has made the
 * sale durable; the hub never hears back). After a restart the request is decided — here delivered, with the very
 * receipt the platform signed, since the hub sends its journaled claim again and the platform answers a claim it
 * already took with that receipt — never left undecided, never sold twice; and the user's claim that paid for it
 * was durable at the hub before the platform was paid.
 */
@Timeout(300)
class HubCrashTest {
  static final long FEE = 1000 + HubNetwork.PRICE * 100 / 10_000;
  static final long COST = HubNetwork.PRICE + FEE;

  @TempDir Path dir;

  @Test
  void aHubKilledMidPurchaseDecidesItAfterRestart() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    boolean[] holding = {true};
    try (RunningNode shop = HubNetwork.platform(dir.resolve("shop"), "shop",
        HubNetwork.catalog("Copper kettle", "Iron kettle"), List.of())) {
      shop.payments().purchases().addListener(e -> {
        if (holding[0]) {
          holding[0] = false;
          entered.countDown();
          try {
            gate.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
          }
        }
      });
      // the fee in node.json, the hub switched on by the command line (node start --hub)
      NodeDirectory hubNode = NodeDirectory.init(dir.resolve("hub"), "hub");
      hubNode.putSettings("hub", Map.of("fee_drops", 1000, "fee_bps", 100));
      Path hubDir = hubNode.root();
      String bootstrap = shop.host().listenAddresses().get(0).toString();
      String shopPeer = shop.host().peerId().toString();
      String copper = HubNetwork.cid(shop, "Copper kettle");
      HubUser user;
      String requestId = HubUser.requestId();
      String token;
      try (ChildNode hub = ChildNode.start(hubDir, "--hub", "--bootstrap", bootstrap);
          TestHttp http = new TestHttp(hub.url())) {
        JsonNode terms = http.get("/api/hub").json();
        user = new HubUser(terms.path("account").asText(), 20_000_000);
        // the serving node: any node key the platform can verify; the hub's own is not at hand in this JVM
        token = HubUser.token(io.fedsearch.indexer.identity.NodeKey.generate(), copper);
        JsonNode body = user.body(requestId, copper, shopPeer, HubNetwork.PRICE, FEE, token, COST);
        CompletableFuture.runAsync(() -> {
          try {
            http.postWith("/api/hub/purchases", body.toString(), "Content-Type", "application/json");
          } catch (Exception expected) {
            // the hub dies under it
          }
        });
        assertThat(entered.await(90, TimeUnit.SECONDS)).as("the platform got the hub's purchase").isTrue();
        hub.kill();
      } finally {
        gate.countDown();
      }
      long sales = HubNetwork.sales(shop);
      assertThat(sales).isEqualTo(1);

      try (ChildNode hub = ChildNode.start(hubDir, "--hub", "--bootstrap", bootstrap);
          TestHttp http = new TestHttp(hub.url())) {
        String path = "/api/hub/purchases/" + requestId + "?channel=" + user.channel.id();
        JsonNode decided = Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
            .until(() -> http.get(path).json(), j -> !j.path("status").asText().equals("pending"));
        assertThat(decided.path("status").asText()).as(decided.toString()).isEqualTo("delivered");
        Receipt receipt = Receipt.decode(decided.path("receipt").asText());
        assertThat(receipt.verify()).isTrue();
        assertThat(receipt.platform()).isEqualTo(shop.local().key().publicKey());
        assertThat(receipt.holder()).isEqualTo(user.receiptKey.publicKey());
        HubStatement ack = HubStatement.fromMap(HubUser.JSON.treeToValue(decided.path("hub_ack"), Map.class));
        assertThat(ack.verify()).isTrue();
        assertThat(ack.authorised()).as("the user's claim was durable at the hub before it paid").isEqualTo(COST);
        assertThat(ack.consumed()).isEqualTo(COST);
        assertThat(HubNetwork.sales(shop)).as("sold once").isEqualTo(1);

        // the restarted hub goes on paying the platform over the same channel
        user.createSent = true;
        String iron = HubNetwork.cid(shop, "Iron kettle");
        TestHttp.Reply next = http.postWith("/api/hub/purchases", user.body(HubUser.requestId(), iron, shopPeer,
            HubNetwork.PRICE, FEE, HubUser.token(io.fedsearch.indexer.identity.NodeKey.generate(), iron), 2 * COST)
            .toString(), "Content-Type", "application/json");
        assertThat(next.json().path("status").asText()).as(next.body()).isEqualTo("delivered");
        assertThat(HubNetwork.sales(shop)).isEqualTo(2);
      }
    }
  }
}
