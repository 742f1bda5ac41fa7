package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.testing.ChildNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged import survives SIGKILL: a node in its own process receives a stream of imports and is killed
 * while they flow; after restart, every entry whose import was acknowledged is there.
 */
class DurabilityTest {
  @Test
  void everyAcknowledgedEntrySurvivesSigkill(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("node");
    String token = NodeDirectory.init(dir, "shop").adminToken();
    List<String> acknowledged = new ArrayList<>();
    AtomicBoolean killed = new AtomicBoolean();
    try (ChildNode node = ChildNode.start(dir); TestHttp http = new TestHttp(node.url())) {
      Thread writer = Thread.ofVirtual().start(() -> {
        for (int batch = 0; batch < 200 && !killed.get(); batch++) {
          StringBuilder body = new StringBuilder();
          List<String> ids = new ArrayList<>();
          for (int i = 0; i < 25; i++) {
            String id = "b" + batch + "-" + i;
            ids.add(id);
            body.append("{\"id\":\"").append(id).append("\",\"title\":\"Item ").append(id)
                .append("\",\"description\":\"durable widget\"}\n");
          }
          try {
            if (http.post("/api/entries", body.toString(), token).status() == 200) {
              synchronized (acknowledged) {
                acknowledged.addAll(ids);
              }
            }
          } catch (Exception e) {
            return; // the node died mid-request: that batch was never acknowledged
          }
        }
      });
      // Kill once some imports were acknowledged, while more are in flight.
      await("250 imports acknowledged").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
          .until(() -> {
            synchronized (acknowledged) {
              return acknowledged.size() >= 250;
            }
          });
      node.kill();
      killed.set(true);
      writer.join(30_000);
    }
    List<String> acked;
    synchronized (acknowledged) {
      acked = List.copyOf(acknowledged);
    }
    assertThat(acked).as("imports acknowledged before the kill").hasSizeGreaterThanOrEqualTo(250);
    try (ChildNode node = ChildNode.start(dir); TestHttp http = new TestHttp(node.url())) {
      List<String> missing = new ArrayList<>();
      for (String id : acked) {
        Entry e = new Entry("shop", id, "Item " + id, "durable widget", "", List.of(), "", 0, null, null);
        if (http.get("/api/entries/" + e.cid()).status() != 200) {
          missing.add(id);
        }
      }
      assertThat(missing).as("acknowledged entries lost by SIGKILL").isEmpty();
      assertThat(http.get("/api/node").json().get("entries").asLong()).isGreaterThanOrEqualTo(acked.size());
    }
  }
}
