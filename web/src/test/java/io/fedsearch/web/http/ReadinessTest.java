package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health/ready} says whether the node can work — index writable, payments journal committing, libp2p
 * negotiating — and turns 503 when one of them stops, while {@code /health/live} stays 200 (the process answers).
 * {@code /health} reports both. Each part is broken for real on a running node and observed over HTTP.
 */
class ReadinessTest {
  @TempDir Path dir;
  private RunningNode node;
  private NodeServer server;
  private TestHttp http;

  @BeforeEach
  void start() throws Exception {
    node = RunningNode.start(NodeDirectory.init(dir.resolve("node"), "shop"), RunningNode.Options.defaults());
    server = NodeServer.start(node, "127.0.0.1", 0, 4096);
    http = new TestHttp("http://127.0.0.1:" + server.port());
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    server.close();
    try {
      node.close();
    } catch (IllegalStateException e) {
      // the journal test closed the payments database itself; close what comes after it
      node.reputation().close();
      node.privacy().close();
      node.local().close();
    }
  }

  private static String check(JsonNode health, String name) {
    for (JsonNode c : health.path("checks")) {
      if (c.path("name").asText().equals(name)) {
        return c.path("status").asText();
      }
    }
    return "absent";
  }

  /** Polls (the checks cache their result for a moment) until {@code path} answers {@code status}, 30 s at most. */
  private void awaitStatus(String path, int status) throws Exception {
    await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(http.get(path).status()).as(path).isEqualTo(status));
  }

  private JsonNode health(String path) throws Exception {
    return Json.MAPPER.readTree(http.get(path).body());
  }

  @Test
  void aWorkingNodeIsReady() throws Exception {
    awaitStatus("/health/ready", 200); // polled: one probe slowed past its deadline by a loaded machine is not a bug
    JsonNode ready = health("/health/ready");
    assertThat(check(ready, "index")).isEqualTo("UP");
    assertThat(check(ready, "journal")).isEqualTo("UP");
    assertThat(check(ready, "p2p")).isEqualTo("UP");
    assertThat(http.get("/health/live").status()).isEqualTo(200);
    assertThat(http.get("/health").body()).contains("UP");
  }

  @Test
  void aNodeWhoseP2pHostStoppedIsNotReadyButLive() throws Exception {
    node.host().stop();
    awaitStatus("/health/ready", 503);
    assertThat(check(health("/health/ready"), "p2p")).isEqualTo("DOWN");
    assertThat(check(health("/health/ready"), "index")).isEqualTo("UP");
    assertThat(http.get("/health").status()).isEqualTo(503);
    assertThat(http.get("/health/live").status()).isEqualTo(200);
  }

  @Test
  void aNodeWhoseJournalNoLongerCommitsIsNotReady() throws Exception {
    node.payments().db().close();
    awaitStatus("/health/ready", 503);
    assertThat(check(health("/health/ready"), "journal")).isEqualTo("DOWN");
  }

  @Test
  void aNodeWhoseIndexNoLongerTakesWritesIsNotReady() throws Exception {
    node.local().index().close();
    awaitStatus("/health/ready", 503);
    assertThat(check(health("/health/ready"), "index")).isEqualTo("DOWN");
  }
}
