package io.fedsearch.web.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.SignalObservation;
import io.fedsearch.web.http.NodeFixture;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.node.RunningNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the creator page says before the first release, and how it draws a history that starts late. */
@Timeout(60)
class CreatorPageTest {
  @TempDir
  static Path dir;

  private static NodeFixture fixture;
  private static RunningNode node;
  private static TestHttp http;

  @BeforeAll
  static void start() throws Exception {
    fixture = NodeFixture.start(dir.resolve("node"), "shop");
    node = fixture.node;
    http = fixture.http;
    node.local().importLines(new BufferedReader(new StringReader("""
        {"id":"a","title":"Oak chair","description":"a chair","creator":"New Maker","price":100}
        """)), "t", (l, b) -> {});
    NodePublicKey self = NodePublicKey.of(node.local().key().publicKey().bytes());
    // The node's first maintenance (5 s after start) recomputes at today's epoch, which would move the history away
    // from the old epochs this test scores: let it pass first (the next one is 30 s later; the test recomputes again).
    await().atMost(Duration.ofSeconds(60)).until(() -> node.reputation().epoch() == node.privacy().currentEpoch());
    node.reputation().putCreators(Map.of("bafy-old", "Old Maker"));
    // Evidence only from epoch 100 (1970-04-11 with daily epochs); the history asked for reaches back before it.
    for (long e = 100; e <= 102; e++) {
      node.reputation().ingestRelease(self, e, List.of(new SignalObservation(self, e, "bafy-old", 90, 180_000, 2.7,
          28_000, 25)));
    }
    node.reputation().recompute(102);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  @Test
  void beforeTheFirstReleaseTheCreatorPageSaysSoOnceAndOffersNoAttestation() throws Exception {
    TestHttp.Reply page = http.get("/creator/New%20Maker");
    assertThat(page.status()).as("a creator with works is a page, not a 404").isEqualTo(200);
    assertThat(page.body()).contains("No score for New Maker yet").doesNotContain("no reputation for creator")
        .doesNotContain("Download the signed attestation").contains("Oak chair");
    assertThat(http.get("/creator/New%20Maker/attestation").status()).isEqualTo(404);
    assertThat(http.get("/creator/Nobody%20At%20All").status()).isEqualTo(404);
  }

  @Test
  void historyStartsAtTheFirstEvidenceAndIsLabelledWithDays() throws Exception {
    node.reputation().recompute(102); // as of the last epoch with evidence, whatever maintenance did since
    TestHttp.Reply page = http.get("/creator/Old%20Maker");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("Apr 11").contains("Apr 13").doesNotContain("Apr 10")
        .contains("Why another node may show a different score");
  }
}
