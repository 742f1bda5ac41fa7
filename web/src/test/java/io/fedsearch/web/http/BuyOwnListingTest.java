package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Buying a listing of the very node one is on: it used to answer 502 "cannot dial ourselves", since the purchase
 * went out over libp2p to the node's own peer id.
 */
@Timeout(60)
class BuyOwnListingTest {
  @TempDir
  Path dir;

  @Test
  void aNodesOwnListingCanBeBoughtFromItsOwnPage() throws Exception {
    try (RunningNode node = RunningNode.start(NodeDirectory.init(dir.resolve("npm"), "npm"),
            new RunningNode.Options(0, List.of(), null, true));
        NodeServer server = NodeServer.start(node, "127.0.0.1", 0, 4096);
        TestHttp http = new TestHttp("http://127.0.0.1:" + server.port());
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      node.local().importLines(new BufferedReader(new StringReader(
          "{\"id\":\"semver\",\"title\":\"semver\",\"description\":\"version parser\",\"price\":1500}\n")), "t",
          (l, b) -> {});
      JsonNode host = http.get("/api/search?q=semver").json().at("/hits/0/hosts/0");
      assertThat(host.get("node").asText()).isEqualTo(node.host().peerId().toString());
      String body = Json.object().put("cid", host.get("cid").asText()).put("node", host.get("node").asText())
          .put("price", host.get("price").asLong()).put("token", host.get("attribution_token").asText()).toString();
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
              + "/api/purchases")).header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode receipt = Json.MAPPER.readTree(r.body());
      assertThat(receipt.get("cid").asText()).isEqualTo(host.get("cid").asText());
      assertThat(receipt.get("price").asLong()).isEqualTo(1500);
      assertThat(receipt.get("platform").asText()).isEqualTo(node.local().key().publicKey().hex());
    }
  }
}
