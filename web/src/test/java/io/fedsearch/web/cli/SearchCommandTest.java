package io.fedsearch.web.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.web.http.NodeServer;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedsearch search} against running nodes over HTTP, as a user types it. */
@Timeout(120)
class SearchCommandTest {
  @TempDir
  Path dir;

  private static void importLanterns(RunningNode node, String platform, int n) {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < n; i++) {
      lines.append("{\"id\":\"").append(platform).append(i).append("\",\"title\":\"Brass lantern ").append(i)
          .append("\",\"description\":\"a lantern from ").append(platform).append("\",\"price\":1000}\n");
    }
    node.local().importLines(new BufferedReader(new StringReader(lines.toString())), "test", (l, b) -> {});
  }

  @Test
  void aLimitBelowTheMatchesSaysHowManyAreShownOfHowMany() throws Exception {
    try (RunningNode node = RunningNode.start(NodeDirectory.init(dir.resolve("a"), "alpha"),
            RunningNode.Options.defaults());
        NodeServer server = NodeServer.start(node, "127.0.0.1", 0, 4096)) {
      importLanterns(node, "alpha", 5);
      // Words after the options are the query: no quotes needed.
      // A generous deadline: a loaded CI machine must not turn this node's own first search into a timeout.
      CliRun r = CliRun.of("search", "--node", "http://127.0.0.1:" + server.port(), "--limit", "3",
          "--deadline-ms", "20000", "brass", "lantern");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("showing 3 of 5 matching entries for \"brass lantern\"");
      assertThat(r.out()).doesNotContain("5 results");
      assertThat(r.out().lines().filter(l -> l.matches("\\s*\\d+\\. .*"))).hasSize(3);
    }
  }

  @Test
  void aNodeThatDidNotAnswerIsNamedSoZeroResultsIsNotReadAsNothingMatched() throws Exception {
    RunningNode b = null;
    try (RunningNode a = RunningNode.start(NodeDirectory.init(dir.resolve("a"), "alpha"),
            RunningNode.Options.defaults());
        NodeServer server = NodeServer.start(a, "127.0.0.1", 0, 4096);
        TestHttp http = new TestHttp("http://127.0.0.1:" + server.port())) {
      b = RunningNode.start(NodeDirectory.init(dir.resolve("b"), "beta"),
          new RunningNode.Options(0, List.of(a.host().listenAddresses().get(0)), null));
      importLanterns(b, "beta", 2);
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> http.get("/api/node").json().get("index_peers").asInt() >= 1);
      String url = "http://127.0.0.1:" + server.port();
      assertThat(CliRun.of("search", "--node", url, "--deadline-ms", "20000", "lantern").out()).contains("2 results");
      // Reused within the TTL while the same peers are connected, and said to be so, with when it was answered.
      var first = http.get("/api/search?q=brass&limit=10").json();
      var again = http.get("/api/search?q=brass&limit=10").json();
      assertThat(first.path("cached").asBoolean()).isFalse();
      assertThat(again.path("cached").asBoolean()).isTrue();
      assertThat(again.path("answered_at").asText()).isEqualTo(first.path("answered_at").asText());
      assertThat(again.path("age_ms").isNumber()).isTrue();
      b.close();
      b = null;

      CliRun r = CliRun.of("search", "--node", url, "--deadline-ms", "5000", "lantern");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("beta").containsPattern("! beta \\(12D3Koo\\w+\\): (timeout|error|backed off)");
      assertThat(r.out()).contains("partial answer: 0 of 1 nodes asked answered");
      // The peer left: the cached answer that named it as answering is not reused.
      var after = http.get("/api/search?q=brass&limit=10").json();
      assertThat(after.path("cached").asBoolean()).isFalse();
      assertThat(after.path("hits").size()).isZero();
    } finally {
      if (b != null) {
        b.close();
      }
    }
  }

  @Test
  void withoutANodeItSaysWhereItLookedAndHowToStartOne() {
    CliRun r = CliRun.of("search", "--node", "http://127.0.0.1:9", "lantern");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("no node answering at http://127.0.0.1:9").contains("fedsearch demo");
  }
}
