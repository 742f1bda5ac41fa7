package io.fedsearch.web.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.core.keys.NodePublicKey;
import io.fedsearch.reputation.model.SignalObservation;
import io.fedsearch.reputation.service.ReputationService;
import io.fedsearch.web.http.TestHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The product end to end in a real browser, against the demo federation (npm, debian, bazaar) started in-process:
 * search with suggestions → results from all three platforms with node timings → creator page (score, SVG history,
 * attestation verified through the form) → entry page with every hosting platform → buy from a wallet in the browser
 * through the node as hub → the dashboard of the node that served the search (payouts, outbox, or "payments not configured" where the node has none) → the same search
 * with one node stopped shows partial results naming the missing node. Screenshots of every page are saved under
 * {@code target/screenshots/}.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class FederationBrowserTest {
  static final String QUERY = "cache";
  @TempDir static Path dir;
  private static DemoFederation demo;
  private static Browser browser;
  private static WebDriverWait wait;
  private static TestHttp npm;
  /** A debian creator given reputation on the npm node (the node whose pages the browser uses). */
  private static String creator;

  @BeforeAll
  static void start() throws Exception {
    demo = new DemoFederation(dir.resolve("demo"));
    npm = new TestHttp(demo.url(0));
    awaitFederation();
    creator = seedReputation();
    browser = new Browser(dir.resolve("profile"));
    wait = new WebDriverWait(browser.driver, Duration.ofSeconds(25));
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

  /** Bounded wait until the npm node's federated search hears from all three nodes. */
  private static void awaitFederation() throws Exception {
    await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          TestHttp.Reply r = npm.get("/api/search?limit=5&q=" + QUERY);
          long ok = 0;
          for (JsonNode n : r.json().path("nodes")) {
            ok += "ok".equals(n.path("status").asText()) ? 1 : 0;
          }
          if (ok != 3) {
            for (var n : demo.nodes) {
              n.federation().peers().refresh();
            }
          }
          assertThat(ok).as("federation of 3 nodes formed within 60 s; last: " + r.body()).isEqualTo(3);
        });
  }

  /**
   * Gives a debian creator from the query's results a reputation on the npm node: six epochs of the npm node's own
   * (self-trusted) signal releases for that creator's works, then a recompute — what the demo's simulated buyers
   * produce over time, compressed.
   */
  private static String seedReputation() throws Exception {
    JsonNode hits = npm.get("/api/search?limit=20&q=" + QUERY).json().path("hits");
    String name = null;
    for (JsonNode h : hits) {
      if (!h.at("/entry/creator").asText("").isEmpty()) {
        name = h.at("/entry/creator").asText();
        break;
      }
    }
    assertThat(name).as("a result with a named creator").isNotNull();
    JsonNode works = npm.get("/api/search?limit=50&q=&creator=" + URLEncoder.encode(name, StandardCharsets.UTF_8))
        .json().path("hits");
    Map<String, String> cids = new HashMap<>();
    works.forEach(w -> cids.put(w.path("cid").asText(), w.at("/entry/creator").asText()));
    assertThat(cids).isNotEmpty();
    ReputationService reputation = demo.nodes.getFirst().reputation();
    reputation.putCreators(cids);
    NodePublicKey self = reputation.issuer().orElseThrow();
    long current = demo.nodes.getFirst().privacy().currentEpoch();
    long first = Math.max(0, current - 6);
    for (long e = first; e < current; e++) {
      List<SignalObservation> rows = new ArrayList<>();
      double payers = 20 + 12 * (e - first);
      for (String cid : cids.keySet()) {
        rows.add(new SignalObservation(self, e, cid, payers, payers * 2_000_000, 2.7, 28_000, 25));
      }
      reputation.ingestRelease(self, e, rows);
    }
    reputation.recompute(current - 1);
    assertThat(reputation.lookup(name)).isPresent();
    return name;
  }

  private static List<WebElement> all(String css) {
    return browser.driver.findElements(By.cssSelector(css));
  }

  private static WebElement one(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  @Test
  @Order(1)
  void searchShowsResultsFromAllPlatformsWithNodeTimings() throws Exception {
    browser.driver.get(demo.url(0) + "/");
    WebElement box = one("#q");
    assertThat(browser.driver.switchTo().activeElement()).isEqualTo(box); // autofocus: type at once
    assertThat(one("section.intro").getText()).contains("3 platforms: bazaar, debian, npm");
    browser.screenshot("01-search-home");

    box.sendKeys("cach");
    wait.until(d -> !all("#suggestions li").isEmpty() && one("#suggestions").isDisplayed());
    assertThat(all("#suggestions li")).allSatisfy(li -> assertThat(li.getText().toLowerCase()).contains("cach"));
    box.sendKeys(Keys.ARROW_DOWN);
    assertThat(all("#suggestions li").getFirst().getAttribute("aria-selected")).isEqualTo("true");
    browser.screenshot("02-suggestions");
    box.sendKeys(Keys.ESCAPE);
    box.clear();
    box.sendKeys(QUERY, Keys.ENTER);

    one("section.nodes");
    List<WebElement> answered = all("li.node.ok");
    Set<String> platforms = new TreeSet<>();
    for (WebElement n : answered) {
      platforms.add(n.getAttribute("data-platform"));
      assertThat(n.getText()).matches("(?s).*\\d+ hits? · \\d+(\\.\\d+)? ms.*");
    }
    assertThat(platforms).containsExactly("bazaar", "debian", "npm");
    assertThat(all("li.node.down")).isEmpty();
    Set<String> hosts = new TreeSet<>();
    all("ul.hosts .platform").forEach(p -> hosts.add(p.getText()));
    assertThat(hosts).containsExactlyInAnyOrder("bazaar", "debian", "npm");
    assertThat(all("li.hit")).hasSizeGreaterThan(5);
    assertThat(all("li.hit .verified")).hasSameSizeAs(all("li.hit"));
    assertThat(all("li.hit .snippet mark")).isNotEmpty();
    // The seeded creator carries a reputation badge.
    assertThat(all("span.creator .badge.high, span.creator .badge.mid, span.creator .badge.low")).isNotEmpty();

    // Keyboard: j selects and focuses the first result.
    browser.driver.findElement(By.tagName("body")).click();
    browser.driver.switchTo().activeElement().sendKeys("j");
    wait.until(d -> !all("li.hit.selected").isEmpty());
    assertThat(browser.driver.switchTo().activeElement().getAttribute("class")).isEqualTo("open");
    browser.screenshot("03-results");

    browser.resize(390, 844); // a phone
    browser.screenshot("04-results-phone");
    assertThat((Long) browser.driver.executeScript("return document.documentElement.scrollWidth"))
        .as("no horizontal scrolling on a phone").isLessThanOrEqualTo(390L);
    browser.resize(1280, 1000);
  }

  @Test
  @Order(2)
  void creatorPageShowsScoreHistoryAndVerifiesTheAttestation() throws Exception {
    WebElement link = wait.until(d -> all("span.creator a").stream().filter(a -> a.getText().equals(creator))
        .findFirst().orElse(null));
    link.click();
    assertThat(one("h1").getText()).startsWith(creator);
    assertThat(one(".score .value").getText()).matches("\\d+(\\.\\d+)?");
    assertThat(one(".score .interval").getText()).contains("interval");
    assertThat(all("figure.chart svg path.line")).hasSize(1);
    assertThat(all("figure.chart svg circle.dot")).hasSizeGreaterThanOrEqualTo(5);
    assertThat(all("table tbody tr")).isNotEmpty(); // per-platform breakdown
    // the evidence came from the npm node's own releases: the row names the platform, not its key
    assertThat(all("table tbody tr td:first-child").stream().map(WebElement::getText)).contains("npm");
    assertThat(all("ul.works li")).isNotEmpty();

    String href = one("a[download]").getAttribute("href");
    TestHttp.Reply attestation = npm.get(href.substring(demo.url(0).length()));
    assertThat(attestation.status()).isEqualTo(200);
    assertThat(attestation.json().path("creator").asText()).isEqualTo(creator);

    WebElement area = one("#attestation");
    setValue(area, attestation.body());
    area.submit();
    assertThat(one("#verification").getText()).contains("Valid attestation");
    browser.screenshot("05-creator");

    // Tampered: the score raised by hand no longer matches the signature.
    String tampered = attestation.body().replaceFirst("\"score\":\\s*[0-9.]+", "\"score\":99.5");
    assertThat(tampered).isNotEqualTo(attestation.body());
    setValue(one("#attestation"), tampered);
    one("#attestation").submit();
    assertThat(one("#verification").getText()).contains("Not valid");
  }

  private static void setValue(WebElement area, String text) {
    browser.driver.executeScript("arguments[0].value = arguments[1];", area, text);
  }

  @Test
  @Order(3)
  void entryPageListsEveryPlatformAndBuys() throws Exception {
    browser.driver.get(demo.url(0) + "/?q=" + QUERY);
    one("section.nodes");
    // A work listed on more than one platform (a bazaar re-listing).
    WebElement multi = all("li.hit").stream().filter(h -> h.findElements(By.cssSelector("ul.hosts li")).size() > 1)
        .findFirst().orElseThrow(() -> new AssertionError("no work listed on two platforms"));
    multi.findElement(By.cssSelector("a.open")).click();
    one("article.entry");
    List<WebElement> listings = all("ul.listings li");
    assertThat(listings).hasSizeGreaterThanOrEqualTo(2);
    Set<String> platforms = new TreeSet<>();
    listings.forEach(l -> platforms.add(l.findElement(By.cssSelector(".platform")).getText()));
    assertThat(platforms).contains("bazaar");
    String page = browser.driver.getPageSource();
    assertThat(page).contains("Listing CID").contains("Signed by").contains("✓ CID recomputed");
    assertThat(one("dl.fields").getText()).containsPattern("node \\(peer id\\) 12D3KooW\\w+");
    browser.screenshot("06-entry");

    // Buy where another platform sells it, from a wallet in this browser through the npm node as hub: that
    // platform then owes the npm node (which served the search) a fee.
    String entryUrl = browser.driver.getCurrentUrl();
    WalletUser user = new WalletUser(browser, demo.url(0));
    user.createAndOpen("10");
    walletChannel = (String) user.stored("r.state.channel.id");
    browser.driver.get(entryUrl);
    WebElement elsewhere = all("ul.listings li").stream()
        .filter(l -> !l.findElement(By.cssSelector(".platform")).getText().equals("npm")).findFirst().orElseThrow();
    boughtPrice = Long.parseLong(elsewhere.findElement(By.cssSelector("form.buy-listing")).getDomAttribute("data-price"));
    String sellingPlatform = elsewhere.findElement(By.cssSelector(".platform")).getText();
    // Where that platform serves the work: its listing's own page, signed with the listing.
    String listingPage = elsewhere.findElement(By.cssSelector("form.buy-listing")).getDomAttribute("data-url");
    assertThat(listingPage).startsWith("https://");
    elsewhere.findElement(By.cssSelector("button.buy")).click();
    // A step before paying: for how much, and what the hub and the finder get (issue 23).
    WebElement panel = one(".wallet-panel");
    one(".wallet-panel .confirm-hub-buy");
    String price = java.math.BigDecimal.valueOf(boughtPrice, 6).stripTrailingZeros().toPlainString();
    assertThat(panel.getText()).contains("Price").contains(price).contains("Discovery fee")
        .doesNotContain("already bought");
    browser.screenshot("07a-confirm");
    one(".wallet-panel .confirm-hub-buy").click();
    WebElement result = one(".wallet-panel .notice");
    wait.until(d -> !result.getText().isBlank());
    browser.screenshot("07-purchase");
    assertThat(result.getText()).startsWith("Bought for " + price).contains("receipt");
    WebElement getIt = one(".wallet-panel a.get-it");
    assertThat(getIt.getDomAttribute("href")).isEqualTo(listingPage);
    assertThat(getIt.getText()).isEqualTo("Get it on " + sellingPlatform);
    // The receipt names the work and the platform: it is kept in the wallet, checked in the page.
    assertThat(user.stored("r.state.receipts.map(x => x.receipt_check).join()")).isEqualTo("ok");
    // Buying the same listing again asks first.
    browser.driver.get(entryUrl);
    all("ul.listings li").stream()
        .filter(l -> l.findElement(By.cssSelector(".platform")).getText().equals(sellingPlatform)).findFirst()
        .orElseThrow().findElement(By.cssSelector("button.buy")).click();
    assertThat(one("#bought-before").getText()).contains("You already bought this listing");
    assertThat(one(".wallet-panel .confirm-hub-buy").getText()).startsWith("Buy again");
  }

  /** The browser wallet's channel to the npm node (a payee channel of the npm node, beside its payout channels). */
  private static String walletChannel = "";

  /** Price (drops) of the listing bought in the entry test. */
  private static long boughtPrice;

  /** Waits (bounded) until the npm node holds the discovery fee in a payout channel; returns the fee in drops. */
  private static long awaitDiscoveryFee() throws Exception {
    String token = demo.dirs.getFirst().adminToken();
    long fee = await("discovery fee paid to the npm node within 60 s").atMost(Duration.ofSeconds(60))
        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
        .until(() -> payeeChannelUsed(token), used -> used > 0);
    assertThat(fee).isLessThan(boughtPrice); // a share of the price, not the price
    return fee;
  }

  /**
   * What the first payee channel with anything paid into it holds (drops), or 0 if none has; the browser wallet's
   * channel to the npm node as hub is not a payout channel and is left out.
   */
  private static long payeeChannelUsed(String token) throws Exception {
    for (JsonNode c : npm.getAdmin("/api/channels", token).json().path("channels")) {
      if ("payee".equals(c.path("role").asText()) && c.path("used").asLong() > 0
          && !c.path("id").asText().equalsIgnoreCase(walletChannel)) {
        return c.path("used").asLong();
      }
    }
    return 0;
  }

  private static boolean paymentsConfigured() throws Exception {
    TestHttp.Reply r = npm.get("/api/channels");
    return !(r.status() == 404 && r.json() != null && "no_route".equals(r.json().at("/error/code").asText()));
  }

  @Test
  @Order(4)
  void dashboardNeedsLoginAndShowsPeersBudgetAndPayments() throws Exception {
    browser.driver.get(demo.url(0) + "/dashboard");
    WebElement token = one("#token");
    browser.screenshot("08-login");
    token.sendKeys(demo.dirs.getFirst().adminToken(), Keys.ENTER);
    one("#peers");
    List<WebElement> peerRows = all("#peers tbody tr");
    assertThat(peerRows).hasSize(2);
    Set<String> peers = new TreeSet<>();
    peerRows.forEach(r -> peers.add(r.findElement(By.tagName("td")).getText()));
    assertThat(peers).containsExactly("bazaar", "debian");
    assertThat(one("#index").getText()).contains("1500 entries").contains("demo/npm.jsonl");
    assertThat(one("#privacy").getText()).contains("ε spent");
    if (paymentsConfigured()) {
      // The selling platform owes the npm node (its token) the discovery fee, pays it over a payout channel at its
      // next payments tick, and the npm node settles that channel: a claim transaction in its outbox.
      long fee = awaitDiscoveryFee();
      String admin = demo.dirs.getFirst().adminToken();
      await("a settlement in the npm node's outbox within 60 s").atMost(Duration.ofSeconds(60))
          .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
          .until(() -> !npm.getAdmin("/api/outbox", admin).json().path("transactions").isEmpty());
      browser.driver.navigate().refresh();
      WebElement channels = one("#channels");
      assertThat(channels.findElements(By.cssSelector("tr.channel.payee"))).isNotEmpty();
      assertThat(channels.getText()).contains("paid to us").contains(
          java.math.BigDecimal.valueOf(fee, 6).stripTrailingZeros().toPlainString() + " XRP");
      assertThat(one("#outbox").findElements(By.cssSelector("tr.tx"))).isNotEmpty();
      assertThat(one("#outbox").getText()).contains("claim");
      assertThat(one("#wallet").getText()).contains("XRPL address").doesNotContain("Demo buyer wallet");
    } else {
      assertThat(one("#payments").getText()).contains("Payments not configured");
    }
    browser.screenshot("09-dashboard");
  }

  @Test
  @Order(5)
  void filtersNarrowByPlatformPriceAndCreatorScore() throws Exception {
    browser.driver.get(demo.url(0) + "/?q=" + QUERY);
    one("section.nodes");
    one("details.filters summary").click();
    one("input[name=platform][value=bazaar]").click();
    one("input[name=max_price]").sendKeys("2");
    one("input[name=max_price]").submit();
    one("section.nodes");
    assertThat(one("details.filters").getAttribute("open")).isNotNull(); // filters in use stay visible
    List<WebElement> hosts = all("ul.hosts li");
    assertThat(hosts).isNotEmpty();
    for (WebElement h : hosts) {
      assertThat(h.findElement(By.cssSelector(".platform")).getText()).isEqualTo("bazaar");
      double xrp = Double.parseDouble(h.findElement(By.cssSelector(".price")).getText().replace(" XRP", ""));
      assertThat(xrp).isLessThanOrEqualTo(2.0);
    }
    browser.screenshot("11-filters");

    // Creator score: only results whose creator has at least that score remain (the seeded one).
    browser.driver.get(demo.url(0) + "/?q=" + QUERY + "&min_score=1");
    one("#summary");
    List<WebElement> creators = all("li.hit span.creator a");
    assertThat(creators).isNotEmpty().allSatisfy(a -> assertThat(a.getText()).isEqualTo(creator));
    assertThat(all("li.hit")).hasSameSizeAs(creators);
    assertThat(one("#summary").getText()).contains("hidden by the creator-score filter");
  }

  @Test
  @Order(6)
  void withOneNodeStoppedTheSearchIsPartialAndNamesTheMissingNode() throws Exception {
    demo.stop(1); // debian
    browser.driver.get(demo.url(0) + "/?q=http"); // a query not in the node's result cache
    one("section.nodes");
    List<WebElement> down = all("li.node.down");
    assertThat(down).hasSize(1);
    assertThat(down.getFirst().getAttribute("data-platform")).isEqualTo("debian");
    assertThat(down.getFirst().getText()).contains("debian did not answer");
    assertThat(one("section.nodes h2").getText()).contains("partial results");
    Set<String> answered = new TreeSet<>();
    all("li.node.ok").forEach(n -> answered.add(n.getAttribute("data-platform")));
    assertThat(answered).containsExactly("bazaar", "npm");
    assertThat(all("li.hit")).isNotEmpty();
    browser.screenshot("10-partial");
  }
}
