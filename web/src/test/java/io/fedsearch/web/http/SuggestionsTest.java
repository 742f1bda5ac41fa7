package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.p2p.Host;
import io.fedsearch.federation.p2p.protocol.RequestResponse;
import io.fedsearch.federation.query.TitleSuggestions;
import io.fedsearch.core.cbor.DagCbor;
import io.fedsearch.core.keys.NodeKey;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
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
    try (NodeFixture a = NodeFixture.start(dir.resolve("a"), "alpha")
        .holding("{\"id\":\"j1\",\"title\":\"javelin\",\"description\":\"a spear\"}\n")) {
      TestHttp http = a.http;
      a.peer(dir.resolve("b"), "beta",
          "{\"id\":\"j2\",\"title\":\"javascript parser\",\"description\":\"parses js\"}\n");
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
