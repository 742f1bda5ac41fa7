package io.fedsearch.web.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.federation.payments.hub.HubStatement;
import io.fedsearch.federation.payments.purchase.Receipt;
import io.fedsearch.web.http.NodeFixture;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import io.fedsearch.web.testing.ChildNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub in its own JVM selling its own listing through the hub API is killed with SIGKILL while a user buys one
 * purchase after another (each with the next cumulative claim). After a restart every request the user sent is
 * either delivered — with a receipt from a sale of its own — or was never journaled, and then sending the same body
 * again delivers it; nothing is left pending, no request is sold twice, and the sales, the receipts and the hub's
 * last signed {@code consumed} all count the same purchases.
 */
@Timeout(300)
class HubOwnSaleCrashTest {
  @TempDir Path dir;

  @Test
  void aHubKilledWhileSellingItsOwnListingLeavesEachRequestDeliveredOnceOrNeverJournaled() throws Exception {
    NodeDirectory hubNode = NodeDirectory.init(dir.resolve("hub"), "hub");
    String own;
    try (RunningNode n = RunningNode.start(hubNode, new RunningNode.Options(0, List.of(), null))) {
      NodeFixture.importInto(n, HubNetwork.catalog("Hub kettle"));
      own = HubNetwork.cid(n, "Hub kettle");
    }
    List<JsonNode> sent = new CopyOnWriteArrayList<>();
    AtomicInteger delivered = new AtomicInteger();
    java.util.concurrent.Semaphore sending = new java.util.concurrent.Semaphore(0);
    HubUser user;
    String hubPeer;
    try (ChildNode hub = ChildNode.start(hubNode.root(), "--hub"); TestHttp http = new TestHttp(hub.url())) {
      JsonNode terms = http.get("/api/hub").json();
      user = new HubUser(terms.path("account").asText(), 100_000_000);
      hubPeer = terms.path("peer_id").asText();
      Thread buyer = Thread.ofVirtual().start(() -> {
        for (int k = 1; k <= 60; k++) {
          JsonNode body = user.body(HubUser.requestId(), own, hubPeer, HubNetwork.PRICE, 0,
              HubUser.token(NodeKey.generate(), own), k * HubNetwork.PRICE);
          sent.add(body);
          sending.release(); // the kill aims at a request on its way: sent, journaled or answered
          try {
            TestHttp.Reply r = http.postWith("/api/hub/purchases", body.toString(), "Content-Type",
                "application/json");
            if (!r.json().path("status").asText().equals("delivered")) {
              throw new AssertionError("not delivered: " + r.body());
            }
            user.createSent = true;
            delivered.incrementAndGet();
          } catch (Exception e) {
            return; // the hub died under it
          }
        }
      });
      Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> delivered.get() >= 5);
      sending.drainPermits();
      assertThat(sending.tryAcquire(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      Thread.sleep(ThreadLocalRandom.current().nextInt(12));
      hub.kill();
      buyer.join(Duration.ofSeconds(60));
    }
    assertThat(sent).hasSizeGreaterThan(5);

    Set<Long> saleIds = new HashSet<>();
    HubStatement last = null;
    int neverJournaled = 0;
    try (ChildNode hub = ChildNode.start(hubNode.root(), "--hub"); TestHttp http = new TestHttp(hub.url())) {
      for (int i = 0; i < sent.size(); i++) {
        JsonNode body = sent.get(i);
        String path = "/api/hub/purchases/" + body.path("request_id").asText() + "?channel=" + user.channel.id();
        TestHttp.Reply status = http.get(path);
        JsonNode answer;
        if (status.status() == 404) {
          assertThat(status.json().at("/error/code").asText()).isEqualTo("unknown_request");
          assertThat(i).as("only the request in flight at the kill can be unknown").isEqualTo(sent.size() - 1);
          neverJournaled++;
          answer = http.postWith("/api/hub/purchases", body.toString(), "Content-Type", "application/json").json();
        } else {
          answer = status.json();
        }
        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("delivered");
        Receipt receipt = Receipt.decode(answer.path("receipt").asText());
        assertThat(receipt.verify()).isTrue();
        assertThat(receipt.holder()).isEqualTo(user.receiptKey.publicKey());
        assertThat(saleIds.add(receipt.saleId())).as("a sale of its own for request " + i).isTrue();
        last = HubStatement.fromMap(HubUser.JSON.treeToValue(answer.path("hub_ack"), Map.class));
        assertThat(last.verify()).isTrue();
        // sending a decided request again changes nothing
        JsonNode again = http.postWith("/api/hub/purchases", body.toString(), "Content-Type", "application/json")
            .json();
        assertThat(again.path("receipt").asText()).isEqualTo(answer.path("receipt").asText());
      }
    }
    long n = sent.size();
    assertThat(last.consumed()).as("the hub's last ack counts every purchase once").isEqualTo(n * HubNetwork.PRICE);
    assertThat(last.authorised()).isEqualTo(n * HubNetwork.PRICE);
    try (RunningNode reopened = RunningNode.start(NodeDirectory.open(hubNode.root()),
        new RunningNode.Options(0, List.of(), null))) {
      assertThat(HubNetwork.sales(reopened)).as("sold once per request").isEqualTo(n);
    }
    System.out.println("HubOwnSaleCrashTest: " + n + " requests, " + neverJournaled
        + " never journaled before the kill and sent again");
  }
}
