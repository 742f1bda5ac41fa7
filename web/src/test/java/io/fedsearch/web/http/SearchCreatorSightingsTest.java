package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsearch.reputation.store.ReputationStore;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A federated search tells reputation which creator made each work it verified, in the background: the search
 * answers even while another writer holds the reputation database, and the creator becomes known afterwards.
 */
@Timeout(180)
class SearchCreatorSightingsTest {
  @Test
  void aSearchAnswersWhileReputationsDatabaseIsLockedAndTheCreatorIsLearnedAfter(@TempDir Path dir)
      throws Exception {
    NodeDirectory nodeDir = NodeDirectory.init(dir.resolve("node"), "shop");
    RunningNode node = RunningNode.start(nodeDir, RunningNode.Options.defaults());
    try (NodeServer server = NodeServer.start(node, "127.0.0.1", 0, 4096)) {
      TestHttp http = new TestHttp("http://127.0.0.1:" + server.port());
      node.local().importLines(new BufferedReader(new StringReader("""
          {"id":"a","title":"Oak chair","description":"a chair","creator":"Chair Maker","price":100}
          """)), "t", (l, b) -> {});
      assertThat(node.reputation().creatorNames()).doesNotContain("Chair Maker");
      Path db = nodeDir.root().resolve(ReputationStore.FILE);
      assertThat(db).exists();
      // Another writer holds the database's write lock (as a long ingest would), past the store's busy timeout.
      try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
          Statement st = other.createStatement()) {
        st.execute("BEGIN IMMEDIATE");
        TestHttp.Reply r = http.get("/api/search?q=chair");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("hits")).hasSize(1);
        assertThat(r.body()).contains("\"creator\":\"Chair Maker\"");
        st.execute("ROLLBACK");
      }
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
          .until(() -> node.reputation().creatorNames().contains("Chair Maker"));
      http.close();
    } finally {
      node.close();
    }
    // Learned durably: a reopened node knows the creator without searching.
    RunningNode again = RunningNode.start(nodeDir, RunningNode.Options.defaults());
    try {
      assertThat(again.reputation().creatorNames()).contains("Chair Maker");
    } finally {
      again.close();
    }
  }
}
