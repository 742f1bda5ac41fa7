package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.SignalObservation;
import io.fedsearch.web.node.RunningNode;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages, orders and filters of a federated answer over HTTP: pages continue each other exactly (together they are
 * the single deep answer, in its order), sorting by price orders across pages, and the creator-score filter applies
 * before the page is cut, so a filtered page is full when enough works pass.
 */
@Timeout(120)
class SearchPagingTest {
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
    StringBuilder lines = new StringBuilder();
    Map<String, String> creators = new HashMap<>();
    for (int i = 0; i < 45; i++) {
      // "Ida" made the five works that rank lowest for "lantern" (one mention in a long description).
      boolean ida = i >= 40;
      String description = ida ? "a lantern and " + "many other words about brass and glass ".repeat(5)
          : "lantern lantern brass lantern number " + i;
      lines.append(String.format("{\"id\":\"l%02d\",\"title\":\"Item %d\",\"description\":\"%s\",\"price\":%d,"
          + "\"creator\":\"%s\",\"tags\":[\"%s\"]}%n", i, i, description, 1000 + (i * 7919) % 97 * 1000,
          ida ? "Ida" : "Maker " + i, i % 2 == 0 ? "brass" : "glass"));
    }
    node.local().importLines(new BufferedReader(new StringReader(lines.toString())), "test", (l, b) -> {});
    for (var e : node.local().index().search(io.fedsearch.indexer.search.SearchRequest.of("", 100)).hits()) {
      creators.put(e.entry().cid().toString(), e.entry().entry().creator());
    }
    NodePublicKey self = NodePublicKey.of(node.local().key().publicKey().bytes());
    node.reputation().putCreators(creators);
    List<SignalObservation> rows = new ArrayList<>();
    creators.forEach((cid, creator) -> {
      if (creator.equals("Ida")) {
        rows.add(new SignalObservation(self, 0, cid, 90, 180_000, 2.7, 28_000, 25));
      }
    });
    for (long e = 0; e < 3; e++) {
      long epoch = e;
      node.reputation().ingestRelease(self, e, rows.stream()
          .map(r -> new SignalObservation(self, epoch, r.cid(), 90, 180_000, 2.7, 28_000, 25)).toList());
    }
    node.reputation().recompute(2);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  private static List<String> works(JsonNode r) {
    List<String> out = new ArrayList<>();
    r.get("hits").forEach(h -> out.add(h.get("work").asText()));
    return out;
  }

  @Test
  void pagesContinueEachOtherExactly() throws Exception {
    List<String> deep = works(http.get("/api/search?q=lantern&limit=45").json());
    assertThat(deep).hasSize(45);
    List<String> paged = new ArrayList<>();
    for (int offset = 0; offset < 60; offset += 20) {
      JsonNode page = http.get("/api/search?q=lantern&limit=20&offset=" + offset).json();
      assertThat(page.get("offset").asInt()).isEqualTo(offset);
      assertThat(page.get("has_more").asBoolean()).isEqualTo(offset + 20 < 45);
      paged.addAll(works(page));
    }
    assertThat(paged).containsExactlyElementsOf(deep);
    assertThat(http.get("/api/search?q=lantern&limit=20&offset=490").status()).isEqualTo(400);
  }

  @Test
  void sortingByPriceOrdersAcrossPages() throws Exception {
    List<Long> prices = new ArrayList<>();
    for (int offset = 0; offset < 45; offset += 20) {
      http.get("/api/search?q=lantern&sort=price&limit=20&offset=" + offset).json().get("hits")
          .forEach(h -> prices.add(h.at("/entry/price").asLong()));
    }
    assertThat(prices).hasSize(45).isSorted();
    assertThat(http.get("/api/search?q=lantern&sort=cheapest-first-please").status()).isEqualTo(400);
  }

  @Test
  void theCreatorScoreFilterAppliesBeforeThePageIsCut() throws Exception {
    JsonNode r = http.get("/api/search?q=lantern&limit=20&min_score=1").json();
    // Ida's five works rank 41-45 by text, yet they fill the first filtered page.
    assertThat(r.get("hits")).hasSize(5)
        .allMatch(h -> h.at("/entry/creator").asText().equals("Ida"));
    assertThat(r.get("hidden_by_score").asInt()).isEqualTo(40);
  }

  @Test
  void thePageLinksToTheNextPageKeepsItsFiltersAndTagsAreLinks() throws Exception {
    TestHttp.Reply first = http.get("/?q=lantern&sort=price");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).contains("rel=\"next\" href=\"/?q=lantern&amp;sort=price&amp;page=2\"")
        .contains("href=\"/?q=lantern&amp;tag=brass\"");
    TestHttp.Reply third = http.get("/?q=lantern&sort=price&page=3");
    assertThat(third.body()).contains("start=\"41\"").contains("rel=\"prev\"").doesNotContain("rel=\"next\"");
    Set<String> tagged = new LinkedHashSet<>();
    http.get("/api/search?q=lantern&tag=brass&limit=50").json().get("hits")
        .forEach(h -> h.at("/entry/tags").forEach(t -> tagged.add(t.asText())));
    assertThat(tagged).containsExactly("brass");
  }
}
