package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.federation.query.TitleSuggestions;
import io.fedsearch.indexer.cid.DagCbor;
import io.fedsearch.indexer.identity.NodeKey;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The search box suggests titles of the whole federation, not only of the node it is on, and bounds what peers say. */
@Timeout(120)
class SuggestionsTest {
  @TempDir
  Path dir;

  @Test
  void suggestionsComeFromPeersToo() throws Exception {
    try (RunningNode a = RunningNode.start(NodeDirectory.init(dir.resolve("a"), "alpha"),
            RunningNode.Options.defaults());
        NodeServer server = NodeServer.start(a, "127.0.0.1", 0, 4096);
        TestHttp http = new TestHttp("http://127.0.0.1:" + server.port());
        RunningNode b = RunningNode.start(NodeDirectory.init(dir.resolve("b"), "beta"),
            new RunningNode.Options(0, List.of(a.host().listenAddresses().get(0)), null, false))) {
      a.local().importLines(new BufferedReader(new StringReader(
          "{\"id\":\"j1\",\"title\":\"javelin\",\"description\":\"a spear\"}\n")), "t", (l, x) -> {});
      b.local().importLines(new BufferedReader(new StringReader(
          "{\"id\":\"j2\",\"title\":\"javascript parser\",\"description\":\"parses js\"}\n")), "t", (l, x) -> {});
      Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> http.get("/api/node").json().get("index_peers").asInt() >= 1);
      List<String> s = new ArrayList<>();
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
        s.clear();
        http.get("/api/suggest?q=jav").json().get("suggestions").forEach(t -> s.add(t.asText()));
        return s.contains("javascript parser");
      });
      assertThat(s).contains("javelin", "javascript parser");
      // Two characters ask no peer: a keystroke that short stays local.
      JsonNode two = http.get("/api/suggest?q=ja").json();
      List<String> local = new ArrayList<>();
      two.get("suggestions").forEach(t -> local.add(t.asText()));
      assertThat(local).containsExactly("javelin");
    }
  }

  @Test
  void aPeerThatAnswersTooMuchIsIgnored() throws Exception {
    try (RunningNode a = RunningNode.start(NodeDirectory.init(dir.resolve("a"), "alpha"),
            RunningNode.Options.defaults());
        Host liar = Host.builder(NodeKey.generate()).listen("/ip4/127.0.0.1/tcp/0").build()) {
      liar.start();
      new RequestResponse(liar).handle(TitleSuggestions.PROTOCOL, 1024, (from, req) -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1L);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          many.add("spam title " + i);
        }
        m.put("t", many);
        return DagCbor.encode(m);
      });
      a.host().peerStore().addAddresses(liar.peerId(), liar.listenAddresses());
      List<String> s = a.federation().titles().suggest("spam", 8, List.of(liar.peerId()));
      assertThat(s).isEmpty();
    }
  }
}
