package io.fedsearch.web.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.federation.payments.channel.Claim;
import io.fedsearch.federation.payments.hub.HubStatement;
import io.fedsearch.web.http.NodeFixture;
import io.fedsearch.web.http.NodeServer;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One user channel, three ways to spend it at once: a direct purchase from the hub node over
 * {@code /fedsearch/purchase/1.0.0}, a purchase of the hub's own listing through the hub API, and a purchase the
 * hub forwards to another platform — raced against each other round after round, each round offering one fresh
 * claim to several of them at once and asking others to pay from credit alone. Whatever wins, the channel's value
 * is counted once: the hub node's sales over the channel plus the forwarded purchases delivered never exceed the
 * best claim the hub holds, and the hub's last signed ack says exactly that much was consumed.
 */
@Timeout(240)
class HubChannelValueRaceTest {
  @TempDir Path dir;

  @Test
  void racingDirectOwnAndForwardedPurchasesSpendTheChannelOnce() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    try (RunningNode shop = HubNetwork.platform(dir.resolve("shop"), "shop", HubNetwork.catalog("Copper kettle"),
            List.of());
        RunningNode hub = RunningNode.start(HubNetwork.hubDirectory(dir.resolve("hub"), 0, 0),
            new RunningNode.Options(0, shop.host().listenAddresses(), null));
        NodeServer server = NodeServer.start(hub, "127.0.0.1", 0, 1 << 20);
        TestHttp http = new TestHttp("http://127.0.0.1:" + server.port())) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      NodeFixture.importInto(hub, HubNetwork.catalog("Hub kettle"));
      String own = HubNetwork.cid(hub, "Hub kettle");
      String copper = HubNetwork.cid(shop, "Copper kettle");
      String hubPeer = hub.host().peerId().toString();
      String shopPeer = shop.host().peerId().toString();
      long price = HubNetwork.PRICE;
      HubUser user = new HubUser(http.get("/api/hub").json().path("account").asText(), 400 * price);
      // the channel becomes known to the hub with a first purchase of its own listing
      JsonNode first = post(http, user.body(HubUser.requestId(), own, hubPeer, price, 0, token(own), price)).json();
      assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("delivered");
      user.createSent = true;
      long signed = price;
      long forwardedDelivered = 0;
      HubStatement last = statement(first.path("hub_ack"));
      int directWins = 0;
      int ownWins = 0;
      for (int round = 0; round < 25; round++) {
        // one fresh claim, sometimes covering two purchases, offered to several spenders at once
        signed += price * (1 + random.nextInt(2));
        long amount = signed;
        Claim claim = user.channel.claimFor(amount);
        List<CompletableFuture<String>> racers = new ArrayList<>();
        racers.add(CompletableFuture.supplyAsync(() -> {
          try {
            shop.purchaseProtocol().buy(hub.host().peerId(), claim, Cid.parse(own), price, token(own),
                Optional.empty());
            return "direct";
          } catch (Exception refused) {
            return "refused";
          }
        }, pool));
        boolean ownWithClaim = random.nextBoolean();
        racers.add(CompletableFuture.supplyAsync(() -> hubBuy(http, user, own, hubPeer, ownWithClaim ? amount : 0,
            "own"), pool));
        racers.add(CompletableFuture.supplyAsync(() -> hubBuy(http, user, copper, shopPeer, ownWithClaim ? 0 : amount,
            "forwarded"), pool));
        racers.add(CompletableFuture.supplyAsync(() -> hubBuy(http, user, own, hubPeer, 0, "own"), pool));
        for (CompletableFuture<String> r : racers) {
          String outcome = r.get(120, TimeUnit.SECONDS);
          if (outcome.equals("direct")) {
            directWins++;
          } else if (outcome.startsWith("own:")) {
            ownWins++;
            last = newest(last, outcome.substring(4));
          } else if (outcome.startsWith("forwarded:")) {
            forwardedDelivered += price;
            last = newest(last, outcome.substring(10));
          }
        }
        long best = hub.payments().payee().channel(user.channel.id()).orElseThrow().best();
        long sold = salesOver(hub, user.channel.id());
        assertThat(sold + forwardedDelivered).as("seed " + seed + ", round " + round
            + ": value spent at the hub node and forwarded, against the best claim").isLessThanOrEqualTo(best);
      }
      pool.shutdown();
      long sold = salesOver(hub, user.channel.id());
      // a last purchase from credit alone (or refused for want of it) states the channel's consumption
      JsonNode close = post(http, user.body(HubUser.requestId(), own, hubPeer, price, 0, token(own), signed + price))
          .json();
      assertThat(close.path("status").asText()).as(close.toString()).isEqualTo("delivered");
      HubStatement end = statement(close.path("hub_ack"));
      assertThat(end.consumed()).as("seed " + seed).isEqualTo(salesOver(hub, user.channel.id()) + forwardedDelivered);
      assertThat(end.consumed()).isEqualTo(sold + price + forwardedDelivered);
      assertThat(end.authorised()).isEqualTo(signed + price);
      assertThat(last.consumed()).isLessThanOrEqualTo(end.consumed());
      System.out.println("HubChannelValueRaceTest seed " + seed + ": " + directWins + " direct, " + ownWins
          + " own through the hub, " + forwardedDelivered / price + " forwarded; consumed " + end.consumed()
          + " of " + end.authorised() + " authorised");
    }
  }

  private static String token(String cid) {
    return HubUser.token(NodeKey.generate(), cid);
  }

  /** {@code label:} and the ack's JSON when delivered; else what happened. */
  private static String hubBuy(TestHttp http, HubUser user, String cid, String platform, long claim, String label) {
    try {
      TestHttp.Reply r = post(http, user.body(HubUser.requestId(), cid, platform, HubNetwork.PRICE, 0, token(cid),
          claim));
      JsonNode j = r.json();
      if (r.status() == 200 && j.path("status").asText().equals("delivered")) {
        return label + ":" + j.path("hub_ack");
      }
      return r.status() + " " + j.path("status").asText(j.at("/error/code").asText());
    } catch (Exception e) {
      return "error " + e;
    }
  }

  private static HubStatement newest(HubStatement a, String ackJson) throws RuntimeException {
    try {
      HubStatement b = statement(HubUser.JSON.readTree(ackJson));
      return b.at().isAfter(a.at()) ? b : a;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static HubStatement statement(JsonNode n) throws Exception {
    HubStatement s = HubStatement.fromMap(HubUser.JSON.treeToValue(n, Map.class));
    assertThat(s.verify()).isTrue();
    return s;
  }

  private static TestHttp.Reply post(TestHttp http, JsonNode body) throws Exception {
    return http.postWith("/api/hub/purchases", body.toString(), "Content-Type", "application/json");
  }

  /** What the hub node sold over {@code channel} as a platform (directly or through its hub API). */
  private static long salesOver(RunningNode hub, String channel) {
    return hub.payments().db().read(c -> {
      try (var ps = c.prepareStatement("SELECT coalesce(sum(price), 0) FROM sales WHERE channel=?")) {
        ps.setString(1, channel);
        try (var rs = ps.executeQuery()) {
          return rs.getLong(1);
        }
      }
    });
  }
}
