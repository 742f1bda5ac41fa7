package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.web.node.LocalNode;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.testing.ChildNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Federated search across three node processes joined over libp2p (two of them know only the first), then one
 * killed with SIGKILL: the next query returns the others' results within its deadline and names the dead node.
 */
class FederationProcessTest {
  @Test
  void federatesAcrossProcessesAndSurvivesAKilledNode(@TempDir Path tmp) throws Exception {
    List<String> platforms = List.of("alpha", "beta", "gamma");
    List<Path> dirs = new ArrayList<>();
    for (String p : platforms) {
      Path dir = tmp.resolve(p);
      dirs.add(dir);
      try (LocalNode n = LocalNode.open(NodeDirectory.init(dir, p))) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 5; i++) {
          lines.append("{\"id\":\"").append(p).append(i).append("\",\"title\":\"Brass lantern ").append(p).append(' ')
              .append(i).append("\",\"description\":\"a lantern from ").append(p).append("\",\"price\":").append(1000 + i)
              .append("}\n");
        }
        n.importLines(new BufferedReader(new StringReader(lines.toString())), "test", (l, b) -> {});
      }
    }
    try (ChildNode a = ChildNode.start(dirs.get(0));
        ChildNode b = ChildNode.start(dirs.get(1), "--bootstrap", a.p2pAddress());
        ChildNode c = ChildNode.start(dirs.get(2), "--bootstrap", a.p2pAddress());
        TestHttp http = new TestHttp(a.url())) {
      // a learns b and c when they connect and identify; bounded wait.
      org.awaitility.Awaitility.await("a knows b and c").atMost(java.time.Duration.ofSeconds(30))
          .pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(100))
          .until(() -> http.get("/api/node").json().get("index_peers").asInt() >= 2);
      // Each node says whether it joined: the bootstrapping ones that their bootstrap address connected, the first
      // that peers joined.
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
          b.output().stream().anyMatch(l -> l.contains("event=bootstrap result=connected addr=" + a.p2pAddress()))
              && a.output().stream().anyMatch(l -> l.contains("event=peer_joined")));
      JsonNode all = http.get("/api/search?q=lantern&limit=20&deadline_ms=5000").json();
      assertThat(platformsOf(all)).containsExactlyInAnyOrder("alpha", "beta", "gamma");
      assertThat(all.get("nodes")).hasSize(3).allMatch(n -> n.get("status").asText().equals("ok"));
      String gammaPeer = peerOf(all, "gamma");
      double gammaBefore = standingOf(http, gammaPeer).get("standing").asDouble();

      c.kill();
      long start = System.nanoTime();
      JsonNode partial = http.get("/api/search?q=brass+lantern&limit=20&deadline_ms=1500").json();
      double tookS = (System.nanoTime() - start) / 1e9;
      assertThat(platformsOf(partial)).containsExactlyInAnyOrder("alpha", "beta");
      JsonNode dead = null;
      for (JsonNode n : partial.get("nodes")) {
        if (n.get("peer").asText().equals(gammaPeer)) {
          dead = n;
        }
      }
      assertThat(dead).as("the killed node is named in the response").isNotNull();
      assertThat(dead.get("status").asText()).isIn("timeout", "error");
      assertThat(dead.get("error").asText()).isNotEmpty();
      // Bounded loosely: the deadline is 1.5 s; the answer must not wait for the dead node beyond it.
      assertThat(tookS).isLessThan(6.0);

      // Standing, per peer, at /api/peers: the dead node lost standing for failing, not for being busy.
      JsonNode gammaStanding = standingOf(http, gammaPeer);
      assertThat(gammaStanding.get("failures").asLong() + gammaStanding.get("timeouts").asLong()).isPositive();
      assertThat(gammaStanding.get("busy").asLong()).isZero();
      assertThat(gammaStanding.get("standing").asDouble()).isLessThan(gammaBefore);
    }
  }

  private static JsonNode standingOf(TestHttp http, String peer) throws Exception {
    for (JsonNode p : http.get("/api/peers").json().get("peers")) {
      if (p.get("peer").asText().equals(peer)) {
        return p;
      }
    }
    throw new AssertionError(peer + " not in /api/peers");
  }

  private static Set<String> platformsOf(JsonNode result) {
    Set<String> out = new HashSet<>();
    for (JsonNode h : result.get("hits")) {
      for (JsonNode host : h.get("hosts")) {
        out.add(host.get("platform").asText());
      }
    }
    return out;
  }

  private static String peerOf(JsonNode result, String platform) {
    for (JsonNode n : result.get("nodes")) {
      if (platform.equals(n.path("platform").asText())) {
        return n.get("peer").asText();
      }
    }
    throw new AssertionError("no node for " + platform + " in " + result.get("nodes"));
  }
}
