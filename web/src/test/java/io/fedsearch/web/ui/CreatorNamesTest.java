package io.fedsearch.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.SignalObservation;
import io.fedsearch.web.http.NodeFixture;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Creator names are free text: "Debian Qt/KDE Maintainers" (about 1,950 Debian entries) has a slash. Search results
 * link to {@code /creator/<name>} with the slash percent-encoded; the page, its attestation and the API must answer
 * for such a name as for any other, over real HTTP.
 */
@Timeout(60)
class CreatorNamesTest {
  private static final String SLASHED = "Debian Qt/KDE Maintainers";
  private static final String ENCODED = Html.url(SLASHED);

  @TempDir
  static Path dir;

  private static NodeFixture fixture;
  private static RunningNode node;
  private static TestHttp http;

  @BeforeAll
  static void start() throws Exception {
    fixture = NodeFixture.start(dir.resolve("node"), "debian");
    node = fixture.node;
    http = fixture.http;
    NodePublicKey self = NodePublicKey.of(node.local().key().publicKey().bytes());
    node.reputation().putCreators(Map.of("bafy-qt", SLASHED, "bafy-games", "Debian Games Team"));
    for (long e = 0; e < 3; e++) {
      node.reputation().ingestRelease(self, e, List.of(
          new SignalObservation(self, e, "bafy-qt", 90, 180_000, 2.7, 28_000, 25),
          new SignalObservation(self, e, "bafy-games", 40, 80_000, 2.7, 28_000, 25)));
    }
    node.reputation().recompute(2);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  @Test
  void theApiAnswersForANameWithASlash() throws Exception {
    TestHttp.Reply r = http.get("/api/reputation/" + ENCODED);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("creator").asText()).isEqualTo(SLASHED);
    // A name without a slash still routes exactly as before.
    assertThat(http.get("/api/reputation/" + Html.url("Debian Games Team")).status()).isEqualTo(200);
  }

  @Test
  void theCreatorPageAndItsAttestationAnswerForANameWithASlash() throws Exception {
    TestHttp.Reply page = http.get("/creator/" + ENCODED);
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(page.body()).contains("Debian Qt/KDE Maintainers");
    TestHttp.Reply attestation = http.get("/creator/" + ENCODED + "/attestation");
    assertThat(attestation.status()).as(attestation.body()).isEqualTo(200);
    assertThat(attestation.body()).contains("Debian Qt/KDE Maintainers");
  }
}
