package io.fedsearch.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.hub.WalletBuyer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Every page of a node, at a desktop (1280 px) and a phone (390 px) width, in Chromium: no serious or critical
 * accessibility violation (axe-core), nothing that scrolls sideways, and the keyboard hints work on arrival. The
 * pages include a creator with a score (what the next point costs), "My wallet", and, logged in, the dashboard and
 * its economics page.
 * Screenshots go to {@code target/screenshots/page-<name>-<width>.png}.
 */
@Timeout(300)
class PagesBrowserTest {
  @TempDir static Path dir;
  private static DemoFederation demo;
  private static Browser browser;
  private static Axe axe;
  private static TestHttp npm;

  @BeforeAll
  static void start() throws Exception {
    demo = new DemoFederation(dir.resolve("demo"));
    npm = new TestHttp(demo.url(0));
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
      demo.nodes.forEach(n -> n.federation().peers().refresh());
      return npm.get("/api/search?limit=5&q=cache").json().path("nodes").size() == 3;
    });
    browser = new Browser(dir.resolve("profile"));
    axe = new Axe();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (npm != null) {
      npm.close();
    }
    if (demo != null) {
      demo.close();
    }
  }

  /** The pages a visitor reaches, by name. */
  private static Map<String, String> pages() throws Exception {
    JsonNode hit = npm.get("/api/search?limit=1&q=cache").json().at("/hits/0");
    String remoteCid = null;
    for (JsonNode h : npm.get("/api/search?limit=20&q=cache").json().path("hits")) {
      if (!h.at("/entry/platform").asText().equals("npm")) {
        remoteCid = h.path("cid").asText();
        break;
      }
    }
    String creator = null;
    for (JsonNode h : npm.get("/api/search?limit=50&q=library").json().path("hits")) {
      if (!h.at("/entry/creator").asText("").isEmpty()) {
        creator = h.at("/entry/creator").asText();
        break;
      }
    }
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("home", "/");
    pages.put("results", "/?q=cache");
    pages.put("results-page2", "/?q=library&page=2");
    pages.put("no-results", "/?q=zzzzqqqq");
    pages.put("entry", "/entry/" + hit.path("cid").asText());
    if (remoteCid != null) {
      pages.put("entry-remote", "/entry/" + remoteCid);
    }
    if (creator != null) {
      pages.put("creator", "/creator/" + URLEncoder.encode(creator, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    pages.put("creator-point-cost", "/creator/" + URLEncoder.encode(scoredCreator(), StandardCharsets.UTF_8)
        .replace("+", "%20"));
    pages.put("wallet", "/wallet");
    pages.put("api-docs", "/openapi");
    pages.put("login", "/dashboard");
    pages.put("not-found", "/no/such/page");
    return pages;
  }

  /**
   * A creator with a score on the first node (one creator-unit release of its own), so the creator page shows what
   * the next point costs; the demo's own releases take a while to give anyone a score.
   */
  private static String scoredCreator() {
    String creator = "Browser Test Maker";
    var node = demo.nodes.getFirst();
    var self = io.fedsearch.core.keys.NodePublicKey.of(node.local().key().publicKey().bytes());
    // an epoch before the current one: the node's own release for the current epoch would replace this one
    long now = node.privacy().config().epochOf(java.time.Instant.now().getEpochSecond());
    long epoch = now - 2;
    node.reputation().putCreators(Map.of("bafy-browser-test", creator));
    node.reputation().ingestCreatorRelease(self, epoch, List.of(new io.fedsearch.reputation.model.CreatorObservation(
        self, epoch, creator, epoch, 1, 120, 400_000, 2.8, 28_000, 25)));
    node.reputation().recompute(now);
    return creator;
  }

  /**
   * One purchase each way between npm and debian, by users whose wallets pay through each node as their hub, so the
   * npm node's economics page has a sale, fees owed and paid, and a channel it funds to draw (an empty page hides
   * the charts' and tables' rows).
   */
  private static void purchases() throws Exception {
    try (TestHttp debian = new TestHttp(demo.url(1))) {
      buy(debian, "library", "npm", "debian-user");
      buy(npm, "library", "debian", "npm-user");
    }
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
        npm.getAdmin("/api/economics", demo.dirs.getFirst().adminToken()).json().at("/capital/payer_channels")
            .asLong() > 0);
  }

  /** A user of {@code via} buys, through it as hub, the first priced work its search finds on {@code platform}. */
  private static void buy(TestHttp via, String query, String platform, String user) throws Exception {
    JsonNode host = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> {
          for (JsonNode h : via.get("/api/search?limit=50&q=" + query).json().findValues("hosts")) {
            for (JsonNode listing : h) {
              if (listing.path("platform").asText().equals(platform) && listing.path("price").asLong() > 0) {
                return listing;
              }
            }
          }
          return null;
        }, java.util.Objects::nonNull);
    try (WalletBuyer wallet = WalletBuyer.open(dir.resolve(user), via.base(), 100_000_000)) {
      WalletBuyer.receipt(wallet.buy(host));
    }
  }

  @Test
  void everyPageIsAccessibleAndFitsAPhone() throws Exception {
    purchases();
    Map<String, String> pages = pages();
    List<String> problems = new ArrayList<>();
    for (int width : new int[] {1280, 390}) {
      browser.resize(width, width == 390 ? 844 : 1000);
      for (Map.Entry<String, String> p : pages.entrySet()) {
        check(p.getKey(), demo.url(0) + p.getValue(), width, problems);
      }
      // The dashboard, logged in.
      browser.driver.get(demo.url(0) + "/dashboard");
      browser.driver.findElement(By.id("token")).sendKeys(demo.dirs.getFirst().adminToken(), Keys.ENTER);
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> !browser.driver.findElements(By.id("peers")).isEmpty());
      check("dashboard", null, width, problems);
      browser.driver.findElement(By.cssSelector("a[href='/dashboard/economics']")).click();
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> !browser.driver.findElements(By.id("economics-daily")).isEmpty());
      check("economics", null, width, problems);
      browser.driver.get(demo.url(0) + "/dashboard");
      browser.driver.findElement(By.cssSelector("form[action='/dashboard/logout'] button")).click();
    }
    browser.resize(1280, 1000);
    assertThat(problems).as("accessibility and layout problems").isEmpty();
  }

  private static void check(String name, String url, int width, List<String> problems) throws Exception {
    if (url != null) {
      browser.driver.get(url);
    }
    browser.screenshot("page-" + name + "-" + width);
    for (String v : axe.seriousViolations(browser.driver)) {
      problems.add(name + " @" + width + ": " + v);
    }
    long scrollWidth = (Long) browser.driver.executeScript("return document.documentElement.scrollWidth");
    long viewport = (Long) browser.driver.executeScript("return document.documentElement.clientWidth");
    if (scrollWidth > viewport + 1) {
      problems.add(name + " @" + width + ": scrolls sideways (" + scrollWidth + " px wide in " + viewport + ")");
    }
  }

  @Test
  void jAndKWorkOnArrivalAtAResultsPage() {
    browser.driver.get(demo.url(0) + "/?q=cache");
    // No click first: the person just arrived and presses j.
    new Actions(browser.driver).sendKeys("j").perform();
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> !browser.driver.findElements(By.cssSelector("li.hit.selected")).isEmpty());
    WebElement active = browser.driver.switchTo().activeElement();
    assertThat(active.getAttribute("class")).isEqualTo("open");
    assertThat(browser.driver.findElement(By.id("q")).getAttribute("value")).isEqualTo("cache");
    new Actions(browser.driver).sendKeys("j").perform();
    new Actions(browser.driver).sendKeys("k").perform();
    assertThat(browser.driver.findElements(By.cssSelector("li.hit")).getFirst().getAttribute("class"))
        .contains("selected");
    // "/" still takes the person to the search box.
    new Actions(browser.driver).sendKeys("/").perform();
    assertThat(browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("q");
  }
}
