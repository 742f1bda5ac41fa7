package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "javscript" found nothing and suggested nothing. Now a query whose words no node has is answered with the closest
 * words some node has (here only a peer has them), says so, and lets the person search for what they typed.
 */
@Timeout(120)
class SpellingTest {
  @TempDir
  Path dir;

  @Test
  void aTypoIsCorrectedFromTheFederatedVocabularyAndSaidSo() throws Exception {
    try (NodeFixture a = NodeFixture.start(dir.resolve("a"), "alpha")
        .holding("{\"id\":\"k\",\"title\":\"Copper kettle\",\"description\":\"hammered copper\"}\n")) {
      TestHttp http = a.http;
      a.peer(dir.resolve("b"), "beta", """
          {"id":"js1","title":"javascript parser","description":"parses javascript source"}
          {"id":"js2","title":"javascript bundler","description":"bundles javascript modules"}
          """);

      // The peer's vocabulary is fetched in the background after the first query that needs it.
      AtomicReference<JsonNode> answer = new AtomicReference<>();
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
        answer.set(http.get("/api/search?q=javscript").json());
        return answer.get().has("corrected_from");
      });
      JsonNode r = answer.get();
      assertThat(r.get("corrected_from").asText()).isEqualTo("javscript");
      assertThat(r.get("did_you_mean").asText()).isEqualTo("javascript");
      assertThat(r.get("hits")).hasSize(2).allMatch(h -> h.at("/entry/platform").asText().equals("beta"));

      // A word of this node's own index is corrected too (DirectSpellChecker), and known words are left alone.
      JsonNode local = http.get("/api/search?q=coper+kettle").json();
      assertThat(local.get("did_you_mean").asText()).isEqualTo("copper kettle");

      // The page says what it did and links to exactly what was typed, which then is not corrected.
      TestHttp.Reply page = http.get("/?q=javscript");
      assertThat(page.body()).contains("Showing results for <b>javascript</b>")
          .contains("href=\"/?q=javscript&amp;exact=1\"");
      TestHttp.Reply exact = http.get("/?q=javscript&exact=1");
      assertThat(exact.body()).contains("Did you mean").doesNotContain("Showing results for");
    }
  }
}
