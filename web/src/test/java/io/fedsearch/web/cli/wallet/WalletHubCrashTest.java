package io.fedsearch.web.cli.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.web.http.NodeFixture;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import io.fedsearch.web.testing.ChildNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub, in its own JVM, is killed with SIGKILL while the platform answers a purchase the wallet CLI sent: the
 * wallet keeps the purchase pending with its claim; once the hub is back (on another port, behind the same
 * address) {@code wallet receipts --recover} gets the receipt or a credit note — never neither — with no new claim
 * signed, and the next purchase goes on over the same channel. And the wallet killed with SIGKILL while its request
 * is on the wire: its next command asks the hub and records the receipt of what the hub decided.
 */
@Timeout(400)
class WalletHubCrashTest {
  static final long PRICE = 1_500_000;
  static final long COST = PRICE + 1_000 + PRICE * 100 / 10_000;

  @Test
  void aHubKilledMidPurchaseLeavesTheWalletAReceiptOrACredit(@TempDir Path tmp) throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    AtomicBoolean holding = new AtomicBoolean(true);
    try (RunningNode shop = RunningNode.start(NodeDirectory.init(tmp.resolve("shop"), "shop"),
            new RunningNode.Options(0, List.of(), null));
        LossyHubLink link = new LossyHubLink("http://127.0.0.1:1")) {
      NodeFixture.importInto(shop, "{\"id\":\"c\",\"title\":\"Copper kettle\",\"description\":\"a work\",\"price\":"
          + PRICE + "}\n{\"id\":\"i\",\"title\":\"Iron kettle\",\"description\":\"a work\",\"price\":" + PRICE + "}\n");
      shop.payments().purchases().addListener(e -> {
        if (holding.getAndSet(false)) { // the first sale is durable at the platform; its answer is held
          entered.countDown();
          try {
            gate.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
          }
        }
      });
      Path hubDir = tmp.resolve("hub");
      NodeDirectory.init(hubDir, "hub").putSettings("hub", Map.of("enabled", true, "fee_drops", 1000, "fee_bps", 100));
      String bootstrap = shop.host().listenAddresses().get(0).toString();
      Path w = tmp.resolve("wallet");
      WalletProcess.json(w, "init");
      String copper;
      String iron;
      CompletableFuture<WalletProcess> buying;
      try (ChildNode hub = ChildNode.start(hubDir, "--bootstrap", bootstrap);
          TestHttp http = new TestHttp(hub.url())) {
        link.retarget(hub.url());
        WalletProcess.json(w, "open", "--hub", link.url(), "--amount", "20");
        Map<String, String> cids = new HashMap<>();
        Awaitility.await("the hub finds the shop's listings").atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500)).until(() -> {
              for (JsonNode hit : http.get("/api/search?q=kettle&limit=10").json().path("hits")) {
                cids.put(hit.path("entry").path("title").asText(), hit.path("hosts").get(0).path("cid").asText());
              }
              return cids.size() == 2;
            });
        copper = cids.get("Copper kettle");
        iron = cids.get("Iron kettle");
        String via = hub.url();
        buying = CompletableFuture.supplyAsync(() -> {
          try {
            return WalletProcess.run("buy", copper, "--yes", "--via", via, "--dir", w.toString(), "--json");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        try {
          assertThat(entered.await(120, TimeUnit.SECONDS)).as("the platform got the hub's purchase").isTrue();
          hub.kill();
        } finally {
          gate.countDown();
        }
      }
      WalletProcess cut = buying.get(180, TimeUnit.SECONDS);
      assertThat(cut.exit()).as(cut.out() + cut.err()).isEqualTo(1);
      assertThat(WalletProcess.JSON.readTree(cut.out()).path("status").asText()).isEqualTo("unknown");
      JsonNode before = WalletProcess.JSON.readTree(w.resolve("state.json").toFile());
      assertThat(before.path("pending").path("request_id").asText()).hasSize(32);
      assertThat(before.path("claims")).hasSize(1);

      try (ChildNode hub = ChildNode.start(hubDir, "--bootstrap", bootstrap)) {
        link.retarget(hub.url());
        JsonNode after = Awaitility.await("the restarted hub decides the purchase").atMost(Duration.ofSeconds(180))
            .pollInterval(Duration.ofSeconds(1)).until(() -> WalletProcess.json(w, "receipts", "--recover"),
                j -> j.path("pending").isNull());
        String status = after.path("recovered").path("status").asText();
        assertThat(status).as(after.toString()).isIn("delivered", "credited");
        if (status.equals("delivered")) {
          JsonNode r = after.path("receipts").get(0);
          assertThat(r.path("cid").asText()).isEqualTo(copper);
          assertThat(Receipt.decode(r.path("receipt").asText()).verify()).isTrue();
          assertThat(after.path("credit_notes")).isEmpty();
        } else {
          assertThat(after.path("credit_notes")).hasSize(1);
          assertThat(after.path("credit").asLong()).isEqualTo(COST);
        }
        JsonNode state = WalletProcess.JSON.readTree(w.resolve("state.json").toFile());
        assertThat(state.path("claims")).as("recovery signs nothing").hasSize(1);
        assertThat(state.path("claims").get(0).path("amount").asLong()).isEqualTo(COST);

        // The channel goes on: the next purchase needs a claim only if the first was delivered.
        JsonNode next = WalletProcess.json(w, "buy", iron, "--yes", "--via", hub.url());
        assertThat(next.path("status").asText()).as(next.toString()).isEqualTo("delivered");
        assertThat(next.path("signed_max").asLong()).isEqualTo(status.equals("delivered") ? 2 * COST : COST);
      }
    }
  }

  @Test
  void aWalletKilledMidPurchaseGetsItsReceiptFromTheHub(@TempDir Path tmp) throws Exception {
    try (RunningNode shop = RunningNode.start(NodeDirectory.init(tmp.resolve("shop"), "shop"),
            new RunningNode.Options(0, List.of(), null))) {
      NodeFixture.importInto(shop, "{\"id\":\"c\",\"title\":\"Copper kettle\",\"description\":\"a work\","
          + "\"price\":" + PRICE + "}\n");
      Path hubDir = tmp.resolve("hub");
      NodeDirectory.init(hubDir, "hub").putSettings("hub", Map.of("enabled", true, "fee_drops", 1000, "fee_bps", 100));
      try (ChildNode hub = ChildNode.start(hubDir, "--bootstrap", shop.host().listenAddresses().get(0).toString());
          TestHttp http = new TestHttp(hub.url());
          LossyHubLink link = new LossyHubLink(hub.url())) {
        Path w = tmp.resolve("wallet");
        WalletProcess.json(w, "init");
        WalletProcess.json(w, "open", "--hub", link.url(), "--amount", "20");
        String copper = Awaitility.await("the hub finds the shop's listing").atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> http.get("/api/search?q=kettle&limit=10").json().path("hits").path(0).path("hosts")
                .path(0).path("cid").asText(""), c -> !c.isEmpty());

        link.mode = LossyHubLink.Mode.HOLD;
        Process buying = WalletProcess.start("buy", copper, "--yes", "--via", hub.url(), "--dir", w.toString(),
            "--json");
        try {
          assertThat(link.held.await(120, TimeUnit.SECONDS)).as("the purchase is on the wire").isTrue();
          buying.destroyForcibly(); // SIGKILL: the wallet never sees an answer
          assertThat(buying.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
          link.mode = LossyHubLink.Mode.PASS;
          link.release(); // the request reaches the hub, which delivers it to no one
        }
        JsonNode killed = WalletProcess.JSON.readTree(w.resolve("state.json").toFile());
        assertThat(killed.path("pending").path("request_id").asText()).hasSize(32);
        assertThat(killed.path("claims")).hasSize(1);
        assertThat(killed.path("signed_max").asLong()).isEqualTo(COST);

        JsonNode after = Awaitility.await("the wallet learns what the hub decided").atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofSeconds(1)).until(() -> WalletProcess.json(w, "receipts", "--recover"),
                j -> j.path("pending").isNull());
        assertThat(after.path("recovered").path("status").asText()).as(after.toString()).isEqualTo("delivered");
        assertThat(after.path("receipts")).hasSize(1);
        assertThat(after.path("receipts").get(0).path("request_id").asText())
            .isEqualTo(killed.path("pending").path("request_id").asText());
        JsonNode state = WalletProcess.JSON.readTree(w.resolve("state.json").toFile());
        assertThat(state.path("claims")).as("recovery signs nothing").hasSize(1);
      }
    }
  }
}
