package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.core.cid.Cid;
import io.fedsearch.indexer.entry.Entry;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.web.node.RunningNode;
import io.fedsearch.web.node.NodeDirectory;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's HTTP API over a real socket: search, entries, admin token, error statuses, observability. */
class NodeServerTest {
  @TempDir static Path dir;
  private static RunningNode node;
  private static NodeServer server;
  private static TestHttp http;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    NodeDirectory d = NodeDirectory.init(dir.resolve("node"), "shop");
    node = RunningNode.start(d, RunningNode.Options.defaults());
    server = NodeServer.start(node, "127.0.0.1", 0, 4096);
    http = new TestHttp("http://127.0.0.1:" + server.port());
    token = d.adminToken();
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    server.close();
    node.close();
  }

  @Test
  void importedEntriesAreSearchableAndVerifiable() throws Exception {
    TestHttp.Reply r = http.post("/api/entries",
        "{\"id\":\"k1\",\"title\":\"Copper kettle\",\"description\":\"hammered copper kettle\",\"price\":250}\n"
            + "{\"id\":\"k2\",\"title\":\"Steel pan\",\"description\":\"heavy steel frying pan\",\"creator\":\"Ida\"}\n",
        token);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("added").asInt()).isEqualTo(2);

    TestHttp.Reply s = http.get("/api/search?q=copper+kettle&limit=5&mode=local");
    assertThat(s.status()).isEqualTo(200);
    JsonNode hit = s.json().get("hits").get(0);
    assertThat(hit.at("/entry/id").asText()).isEqualTo("k1");
    assertThat(hit.at("/entry/price").asLong()).isEqualTo(250);

    // Anyone can check what the node served: CID from the entry, signature by the node's key.
    Entry e = new Entry("shop", "k1", "Copper kettle", "hammered copper kettle", "", java.util.List.of(), "", 250, null, null);
    assertThat(hit.get("cid").asText()).isEqualTo(e.cid().toString());
    SignedEntry served = new SignedEntry(e, Cid.parse(hit.get("cid").asText()),
        HexFormat.of().parseHex(hit.get("signature").asText()), NodePublicKey.fromHex(hit.get("public_key").asText()));
    assertThat(served.verify()).isTrue();

    TestHttp.Reply g = http.get("/api/entries/" + hit.get("cid").asText());
    assertThat(g.status()).isEqualTo(200);
    assertThat(g.json().at("/entry/title").asText()).isEqualTo("Copper kettle");

    TestHttp.Reply stats = http.get("/api/search?q=kettle&stats=true&mode=local");
    assertThat(stats.json().at("/stats/fields/description/doc_count").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(stats.json().at("/stats/terms").size()).isEqualTo(2);

    TestHttp.Reply filtered = http.get("/api/search?q=&creator=Ida&mode=local");
    assertThat(filtered.json().get("hits").size()).isEqualTo(1);
  }

  @Test
  void noFullMatchRelaxesToAnyWordAndSaysSo() throws Exception {
    http.post("/api/entries", "{\"id\":\"r1\",\"title\":\"Walnut table\",\"description\":\"solid walnut\"}\n", token);
    TestHttp.Reply s = http.get("/api/search?q=walnut+spaceship&mode=local");
    assertThat(s.json().get("relaxed").asBoolean()).isTrue();
    assertThat(s.json().get("hits").get(0).at("/entry/id").asText()).isEqualTo("r1");
    assertThat(http.get("/api/search?q=walnut+spaceship&operator=all&mode=local").json().get("hits").size()).isZero();
    // Federated mode (this node alone here) relaxes the same way and marks its results verified.
    TestHttp.Reply f = http.get("/api/search?q=walnut+spaceship");
    assertThat(f.json().get("mode").asText()).isEqualTo("federated");
    assertThat(f.json().get("relaxed").asBoolean()).isTrue();
    assertThat(f.json().at("/hits/0/verified").asBoolean()).isTrue();
    assertThat(f.json().at("/hits/0/hosts/0/attribution_token").asText()).isNotEmpty();
  }

  @Test
  void badInputGetsClearErrorsWithTheRightStatus() throws Exception {
    assertThat(http.post("/api/entries", "{\"id\":\"x\",\"title\":\"y\"}", null).status()).isEqualTo(401);
    TestHttp.Reply wrong = http.post("/api/entries", "{\"id\":\"x\",\"title\":\"y\"}", "not-the-token");
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.json().at("/error/message").asText()).contains("wrong admin token");

    TestHttp.Reply partial = http.post("/api/entries",
        "{\"id\":\"p1\",\"title\":\"Good\"}\n{\"id\":\"p2\",\"title\":\"Bad\",\"price\":-1}\n{oops\n", token);
    assertThat(partial.status()).isEqualTo(422);
    assertThat(partial.json().get("accepted").asInt()).isEqualTo(1);
    assertThat(partial.json().at("/errors/0/line").asInt()).isEqualTo(2);
    assertThat(partial.json().at("/errors/0/field").asText()).isEqualTo("price");
    assertThat(partial.json().at("/errors/1/line").asInt()).isEqualTo(3);
    assertThat(http.get("/api/search?q=good&mode=local").json().get("hits").size()).isEqualTo(1);

    TestHttp.Reply big = http.post("/api/entries", "{\"id\":\"b\",\"title\":\"" + "x".repeat(5000) + "\"}", token);
    assertThat(big.status()).isEqualTo(413);

    TestHttp.Reply badCid = http.get("/api/entries/bafynotacid");
    assertThat(badCid.status()).isEqualTo(400);
    assertThat(badCid.json().at("/error/message").asText()).startsWith("cid:");
    assertThat(http.get("/api/entries/" + Cid.ofDagCbor(new byte[] {(byte) 0xa0})).status()).isEqualTo(404);
    assertThat(http.get("/api/search?q=x&limit=0").json().at("/error/message").asText()).startsWith("limit:");
    assertThat(http.get("/api/search?q=x&min_price=-4").status()).isEqualTo(400);
    assertThat(http.get("/api/search?q=x&operator=maybe").json().at("/error/message").asText()).startsWith("operator:");
  }

  @Test
  void deleteWritesATombstoneThatIsServed() throws Exception {
    http.post("/api/entries", "{\"id\":\"d1\",\"title\":\"Doomed lamp\"}\n", token);
    TestHttp.Reply d = http.delete("/api/entries?id=d1", token);
    assertThat(d.status()).isEqualTo(200);
    TestHttp.Reply t = http.get("/api/entries/" + d.json().get("tombstone").asText());
    assertThat(t.json().get("kind").asText()).isEqualTo("tombstone");
    assertThat(http.get("/api/search?q=doomed&mode=local").json().get("hits").size()).isZero();
    assertThat(http.delete("/api/entries?id=d1", token).status()).isEqualTo(404);
  }

  @Test
  void healthAndPrometheusMetrics() throws Exception {
    assertThat(http.get("/health").body()).contains("UP");
    TestHttp.Reply m = http.get("/metrics");
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.body()).contains("# TYPE");
  }
}
