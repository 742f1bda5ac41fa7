package io.fedsearch.web.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.web.http.NodeServer;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform takes the hub's claim and goes down before answering: the hub credits the user (it cannot know), so
 * the platform now holds more of the hub's channel than the hub's receipts show. When the platform is back, a
 * dearer purchase must still go through — the hub counts the platform as holding its latest claim and pays the
 * price above it — instead of every later claim being refused as underpaid.
 */
@Timeout(180)
class HubLostAnswerTest {
  static final long CHEAP = 1_000_000;
  static final long DEAR = 3_000_000;

  @TempDir Path dir;

  static String catalog() {
    return "{\"id\":\"c\",\"title\":\"Cheap kettle\",\"description\":\"a work\",\"price\":" + CHEAP + "}\n"
        + "{\"id\":\"d\",\"title\":\"Dear kettle\",\"description\":\"a work\",\"price\":" + DEAR + "}\n";
  }

  @Test
  void aPlatformThatTookAClaimWhoseAnswerWasLostIsStillPaid() throws Exception {
    Path shopDir = dir.resolve("shop");
    RunningNode shop = HubNetwork.platform(shopDir, "shop", catalog(), List.of());
    String shopPeer = shop.host().peerId().toString();
    String cheap = HubNetwork.cid(shop, "Cheap kettle");
    String dear = HubNetwork.cid(shop, "Dear kettle");
    try (RunningNode hub = RunningNode.start(HubNetwork.hubDirectory(dir.resolve("hub"), 0, 0),
            new RunningNode.Options(0, shop.host().listenAddresses(), null));
        NodeServer server = NodeServer.start(hub, "127.0.0.1", 0, 1 << 20);
        TestHttp http = new TestHttp("http://127.0.0.1:" + server.port())) {
      HubUser user = new HubUser(http.get("/api/hub").json().path("account").asText(), 50_000_000);
      TestHttp.Reply first = post(http, user.body(HubUser.requestId(), cheap, shopPeer, CHEAP, 0,
          HubUser.token(hub.local().key(), cheap), CHEAP));
      assertThat(first.json().path("status").asText()).as(first.body()).isEqualTo("delivered");
      user.createSent = true;

      // the shop makes the second sale durable, then goes down without answering
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch gate = new CountDownLatch(1);
      shop.payments().purchases().addListener(e -> {
        entered.countDown();
        try {
          gate.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
      });
      JsonNode lostBody = user.body(HubUser.requestId(), cheap, shopPeer, CHEAP, 0,
          HubUser.token(hub.local().key(), cheap), 2 * CHEAP);
      CompletableFuture<TestHttp.Reply> lost = CompletableFuture.supplyAsync(() -> {
        try {
          return post(http, lostBody);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
      shop.close();
      gate.countDown();
      TestHttp.Reply credited = lost.get(90, TimeUnit.SECONDS);
      assertThat(credited.json().path("status").asText()).as(credited.body()).isEqualTo("credited");

      // back, on another port, joining the hub
      try (RunningNode back = RunningNode.start(NodeDirectory.open(shopDir),
          new RunningNode.Options(0, hub.host().listenAddresses(), null))) {
        assertThat(HubNetwork.sales(back)).isEqualTo(2);
        TestHttp.Reply r = post(http, user.body(HubUser.requestId(), dear, shopPeer, DEAR, 0,
            HubUser.token(hub.local().key(), dear), CHEAP + DEAR)); // the credit of the lost one, plus the price
        assertThat(r.json().path("status").asText()).as(r.body()).isEqualTo("delivered");
        assertThat(HubNetwork.sales(back)).isEqualTo(3);
      }
    }
  }

  static TestHttp.Reply post(TestHttp http, JsonNode body) throws Exception {
    return http.postWith("/api/hub/purchases", body.toString(), "Content-Type", "application/json");
  }
}
