package io.fedsearch.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.federation.p2p.Multiaddr;
import io.fedsearch.indexer.entry.SignedEntry;
import io.fedsearch.web.http.NodeFixture;
import io.fedsearch.web.http.NodeServer;
import io.fedsearch.web.http.TestHttp;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The browser wallet end to end in Chromium, against a hub node paying two platform nodes over libp2p: a new user
 * creates a wallet on "My wallet", opens a channel to the hub, buys from both platforms through it (the first purchase
 * by keyboard only), and sees both receipts and the balance go down; a reload keeps the wallet. Every request the
 * page sent (Chromium's network log) is searched for the private key and seed in every encoding; xrpl.js checks the
 * create and each claim exactly as the page sent them; the platforms journaled the sales; no CSP violation; axe-core
 * finds nothing serious; screenshots at 1280 and 390 px under {@code target/screenshots/wallet-*}.
 */
@Timeout(420)
class WalletBrowserTest {
  static final long PRICE = 1_500_000;
  static final long FEE_DROPS = 1000;
  static final int FEE_BPS = 100;
  static final long COST = PRICE + FEE_DROPS + PRICE * FEE_BPS / 10_000;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static RunningNode shop;
  static RunningNode books;
  static RunningNode hub;
  static NodeServer server;
  static TestHttp http;
  static Browser browser;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    shop = platform("shop", "{\"id\":\"k1\",\"title\":\"Copper kettle\",\"description\":\"a kettle\",\"price\":"
        + PRICE + "}\n", List.of());
    books = platform("books", "{\"id\":\"b1\",\"title\":\"Kettle book\",\"description\":\"about kettles\","
        + "\"price\":" + PRICE + "}\n", shop.host().listenAddresses());
    List<Multiaddr> both = new ArrayList<>(shop.host().listenAddresses());
    both.addAll(books.host().listenAddresses());
    NodeDirectory d = NodeDirectory.init(dir.resolve("hub"), "hub");
    d.putSettings("hub", Map.of("enabled", true, "fee_drops", FEE_DROPS, "fee_bps", FEE_BPS));
    hub = RunningNode.start(d, new RunningNode.Options(0, both, null, false));
    NodeFixture.importInto(hub, "{\"id\":\"h1\",\"title\":\"Hub kettle\",\"description\":\"sold by the hub\","
        + "\"price\":" + PRICE + "}\n");
    server = NodeServer.start(hub, "127.0.0.1", 0, NodeServer.DEFAULT_MAX_BODY);
    base = "http://127.0.0.1:" + server.port();
    http = new TestHttp(base);
    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      hub.federation().peers().refresh();
      java.util.Set<String> platforms = new java.util.HashSet<>();
      http.get("/api/search?q=kettle&limit=10").json().path("hits")
          .forEach(h -> platforms.add(h.at("/entry/platform").asText()));
      return platforms.containsAll(List.of("shop", "books"));
    });
    browser = new Browser(dir.resolve("profile"));
  }

  static RunningNode platform(String name, String jsonl, List<Multiaddr> bootstrap) throws Exception {
    RunningNode n = RunningNode.start(NodeDirectory.init(dir.resolve(name), name),
        new RunningNode.Options(0, bootstrap, null, false));
    NodeFixture.importInto(n, jsonl);
    return n;
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {http, server, hub, books, shop}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aNewUserPaysTwoPlatformsFromTheBrowserThroughOneChannel() throws Exception {
    var driver = browser.driver;
    // Every CSP violation (an eval, an inline script) of every page is kept in sessionStorage, recorded by a script
    // the browser runs before the page's own (DevTools-injected: the page's CSP does not apply to it).
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
        document.addEventListener('securitypolicyviolation', e => {
          const v = JSON.parse(sessionStorage.getItem('csp') || '[]');
          v.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
          sessionStorage.setItem('csp', JSON.stringify(v));
        });"""));
    driver.get(base + "/wallet");
    click(By.id("create-wallet"));
    String address = waitText(By.id("wallet-address"));
    assertThat(address).startsWith("r");

    WebElement amount = waitFor(By.id("channel-amount"));
    amount.clear();
    amount.sendKeys("10");
    click(By.id("open-channel"));
    waitText(By.id("wallet-remaining"));
    assertThat(driver.findElement(By.id("wallet-remaining")).getText()).isEqualTo("10 XRP");

    driver.navigate().refresh(); // the wallet is the browser's: a reload keeps it
    assertThat(waitText(By.id("wallet-address"))).isEqualTo(address);

    // First purchase by keyboard only: Tab to the listing's Buy, Enter, then Enter on the focused confirm button.
    driver.get(base + "/entry/" + cid(shop, "Copper kettle") + "?q=kettle");
    WebElement buy = waitFor(By.cssSelector("li.listing form[action$='/buy'] button"));
    Actions keys = new Actions(driver);
    for (int i = 0; i < 60 && !buy.equals(driver.switchTo().activeElement()); i++) {
      keys.sendKeys(Keys.TAB).perform();
    }
    assertThat(driver.switchTo().activeElement()).as("Buy reachable by Tab").isEqualTo(buy);
    keys.sendKeys(Keys.ENTER).perform();
    WebElement confirm = waitFor(By.cssSelector(".wallet-panel .confirm-hub-buy"));
    assertThat(driver.findElement(By.cssSelector(".wallet-panel .hub-fee")).getText())
        .isEqualTo(xrp(COST - PRICE));
    assertThat(driver.findElement(By.cssSelector(".wallet-panel")).getText()).contains("Discovery fee");
    assertThat(driver.switchTo().activeElement()).as("confirm takes focus").isEqualTo(confirm);
    browser.screenshot("wallet-confirm-1280");
    keys.sendKeys(Keys.ENTER).perform();
    assertThat(waitText(By.cssSelector(".wallet-panel .notice"))).startsWith("Bought for " + xrp(COST));

    // Second platform, with the mouse.
    driver.get(base + "/entry/" + cid(books, "Kettle book") + "?q=kettle");
    click(By.cssSelector("li.listing form[action$='/buy'] button"));
    click(By.cssSelector(".wallet-panel .confirm-hub-buy"));
    assertThat(waitText(By.cssSelector(".wallet-panel .notice"))).startsWith("Bought for " + xrp(COST));

    driver.get(base + "/wallet");
    waitText(By.id("wallet-remaining"));
    assertThat(driver.findElements(By.cssSelector("tr.purchase"))).hasSize(2);
    assertThat(driver.findElement(By.id("wallet-spent")).getText()).isEqualTo(xrp(2 * COST));
    assertThat(driver.findElement(By.id("wallet-remaining")).getText()).isEqualTo(xrp(10_000_000 - 2 * COST));
    assertThat(driver.findElements(By.cssSelector("code.receipt-wire"))).hasSize(2)
        .allSatisfy(e -> assertThat(e.getAttribute("textContent")).isNotBlank());
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sales(shop) == 1 && sales(books) == 1);
    // The platforms' receipts (signed in Java) verify in the page: signature under the platform's peer id key,
    // the work, the price and the user's receipt key as holder.
    assertThat((List<Object>) driver.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        FedsearchWalletStore.load().then(r => done(r.state.receipts.map(x => x.receipt_check)));"""))
        .containsExactly("ok", "ok");
    assertThat(driver.findElements(By.cssSelector("tr.purchase td.bad"))).isEmpty();

    List<Map<String, Object>> sent = purchaseBodies();
    assertThat(sent).as("purchase requests the page sent").hasSizeGreaterThanOrEqualTo(2);
    noSecretInAnyRequest();
    xrplJsVerifiesWhatThePageSent(sent);
    noCspViolation();

    List<String> violations = new Axe().seriousViolations(driver);
    assertThat(violations).as("axe on My wallet").isEmpty();
    browser.screenshot("wallet-1280");
    browser.resize(390, 844);
    driver.navigate().refresh();
    waitText(By.id("wallet-remaining"));
    assertThat(new Axe().seriousViolations(driver)).as("axe on My wallet at 390 px").isEmpty();
    Object overflow = driver.executeScript(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth");
    assertThat(overflow).as("no sideways scroll at 390 px").isEqualTo(false);
    browser.screenshot("wallet-390");
    driver.get(base + "/entry/" + cid(shop, "Copper kettle") + "?q=kettle");
    click(By.cssSelector("li.listing form[action$='/buy'] button"));
    waitFor(By.cssSelector(".wallet-panel .confirm-hub-buy"));
    assertThat(new Axe().seriousViolations(driver)).as("axe on the confirm panel").isEmpty();
    browser.screenshot("wallet-confirm-390");
    browser.resize(1280, 1000);
  }

  /**
   * The export file moves the wallet between browser and CLI both ways: the CLI wallet ({@code WalletExport}) imports
   * what the page's Export button wrote (same account, channel, signed floor, receipt), and the page imports the
   * CLI's export of it and continues the same channel with a claim above every one signed before.
   */
  @Test
  @SuppressWarnings("unchecked")
  void theExportFileMovesTheWalletBetweenBrowserAndCli() throws Exception {
    try (Browser b = new Browser(dir.resolve("profile-export"))) {
      var driver = b.driver;
      driver.get(base + "/wallet");
      waitFor(driver, By.id("create-wallet")).click();
      String address = waitText(driver, By.id("wallet-address"));
      WebElement amount = waitFor(driver, By.id("channel-amount"));
      amount.clear();
      amount.sendKeys("10");
      waitFor(driver, By.id("open-channel")).click();
      waitText(driver, By.id("wallet-remaining"));
      driver.get(base + "/entry/" + cid(books, "Kettle book") + "?q=kettle");
      waitFor(driver, By.cssSelector("li.listing form[action$='/buy'] button")).click();
      waitFor(driver, By.cssSelector(".wallet-panel .confirm-hub-buy")).click();
      assertThat(waitText(driver, By.cssSelector(".wallet-panel .notice"))).startsWith("Bought");

      driver.get(base + "/wallet");
      waitFor(driver, By.id("export-pass")).sendKeys("browser to cli");
      waitFor(driver, By.cssSelector("#export-form button[type=submit]")).click();
      Path downloads = java.nio.file.Files.createDirectories(dir.resolve("downloads"));
      driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath",
          downloads.toAbsolutePath().toString()));
      waitFor(driver, By.id("export-link")).click(); // what the user does: the file is downloaded
      Path exported = downloads.resolve("fedsearch-wallet.json");
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> java.nio.file.Files.isRegularFile(exported)
          && java.nio.file.Files.size(exported) > 0);
      Map<String, Object> st = (Map<String, Object>) driver.executeAsyncScript("""
          const done = arguments[arguments.length - 1];
          FedsearchWalletStore.load().then(r => done({ channel: r.state.channel.id, signed_max: r.state.signed_max }));
          """);
      long floor = ((Number) st.get("signed_max")).longValue();
      assertThat(floor).isEqualTo(COST);

      Path cliDir = dir.resolve("cli-wallet");
      Path back = dir.resolve("from-cli.json");
      try (var cli = io.fedsearch.federation.payments.userwallet.WalletExport.importInto(cliDir, exported,
          "browser to cli".toCharArray())) {
        assertThat(cli.key().address().value()).isEqualTo(address);
        assertThat(cli.state().channel.id).isEqualTo(st.get("channel"));
        assertThat(cli.state().signedMax).isEqualTo(floor);
        assertThat(cli.state().receipts).hasSize(1);
        io.fedsearch.federation.payments.userwallet.WalletExport.export(cli, back, "cli to browser".toCharArray());
      }

      driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
          + " FedsearchWalletStore.remove().then(() => done(true));");
      driver.navigate().refresh();
      waitFor(driver, By.id("import-file")).sendKeys(back.toAbsolutePath().toString());
      driver.findElement(By.id("import-pass")).sendKeys("cli to browser");
      driver.findElement(By.cssSelector("#import-form button[type=submit]")).click();
      assertThat(waitText(driver, By.id("wallet-address"))).isEqualTo(address);

      driver.get(base + "/entry/" + cid(shop, "Copper kettle") + "?q=kettle");
      waitFor(driver, By.cssSelector("li.listing form[action$='/buy'] button")).click();
      waitFor(driver, By.cssSelector(".wallet-panel .confirm-hub-buy")).click();
      assertThat(waitText(driver, By.cssSelector(".wallet-panel .notice"))).startsWith("Bought");
      Map<String, Object> after = (Map<String, Object>) driver.executeAsyncScript("""
          const done = arguments[arguments.length - 1];
          FedsearchWalletStore.load().then(r => done({ channel: r.state.channel.id, signed_max: r.state.signed_max,
            claims: r.state.claims.map(c => c.amount), receipts: r.state.receipts.length }));""");
      assertThat(after.get("channel")).as("the same channel continues").isEqualTo(st.get("channel"));
      assertThat(((Number) after.get("signed_max")).longValue()).isEqualTo(2 * COST);
      assertThat((List<Number>) after.get("claims")).extracting(Number::longValue).containsExactly(COST, 2 * COST);
      assertThat(((Number) after.get("receipts")).intValue()).isEqualTo(2);
    }
  }

  /**
   * A platform's refusal reaches the user as the hub's signed credit note: a page showing a stale price (the platform
   * asks another) is refused by the platform, the page says the amount stays as credit, My wallet lists the credit
   * note, and the next purchase is paid from the credit with no new claim sent. Then top up and close: signed in the
   * page, kept, and verified by xrpl.js.
   */
  @Test
  @SuppressWarnings("unchecked")
  void aRefusedPurchaseBecomesCreditTheNextPurchaseSpends() throws Exception {
    try (Browser b = new Browser(dir.resolve("profile-credit"))) {
      var driver = b.driver;
      driver.get(base + "/wallet");
      waitFor(driver, By.id("create-wallet")).click();
      WebElement amount = waitFor(driver, By.id("channel-amount"));
      amount.clear();
      amount.sendKeys("10");
      waitFor(driver, By.id("open-channel")).click();
      waitText(driver, By.id("wallet-remaining"));

      driver.get(base + "/entry/" + cid(books, "Kettle book") + "?q=kettle");
      WebElement buy = waitFor(driver, By.cssSelector("li.listing form[action$='/buy'] button"));
      long stale = PRICE + 200_000; // the page shows a price the platform does not ask (any more)
      driver.executeScript("document.querySelector(\"li.listing input[name=price]\").value = arguments[0]",
          String.valueOf(stale));
      buy.click();
      waitFor(driver, By.cssSelector(".wallet-panel .confirm-hub-buy")).click();
      String said = waitText(driver, By.cssSelector(".wallet-panel .notice"));
      long staleCost = stale + FEE_DROPS + stale * FEE_BPS / 10_000;
      assertThat(said).startsWith("Not delivered").contains(xrp(staleCost) + " stays with you as credit");

      driver.get(base + "/wallet");
      assertThat(waitText(driver, By.id("w-credits"))).isEqualTo("Credit notes (1)");
      assertThat(driver.findElement(By.id("wallet-spent")).getText()).isEqualTo("0 XRP");

      driver.get(base + "/entry/" + cid(shop, "Copper kettle") + "?q=kettle");
      waitFor(driver, By.cssSelector("li.listing form[action$='/buy'] button")).click();
      waitFor(driver, By.cssSelector(".wallet-panel .confirm-hub-buy")).click();
      assertThat(waitText(driver, By.cssSelector(".wallet-panel .notice"))).startsWith("Bought");
      List<Map<String, Object>> sent = new ArrayList<>();
      for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
        JsonNode m = JSON.readTree(e.getMessage()).path("message");
        JsonNode r = m.at("/params/request");
        if (m.path("method").asText().equals("Network.requestWillBeSent")
            && r.path("url").asText().endsWith("/api/hub/purchases")) {
          sent.add(JSON.readValue(r.path("postData").asText(), Map.class));
        }
      }
      assertThat(sent).hasSize(2);
      assertThat(sent.get(0)).containsKey("claim");
      assertThat(sent.get(1)).as("paid from the credit: no claim").doesNotContainKey("claim");
      Map<String, Object> st = (Map<String, Object>) driver.executeAsyncScript("""
          const done = arguments[arguments.length - 1];
          FedsearchWalletStore.load().then(r => done({ claims: r.state.claims.length, consumed: r.state.consumed }));
          """);
      assertThat(((Number) st.get("claims")).intValue()).isEqualTo(1);
      assertThat(((Number) st.get("consumed")).longValue()).isEqualTo(COST);

      // Top up and close: signed in the page and kept for the ledger; xrpl.js checks both transactions.
      driver.get(base + "/wallet");
      WebElement top = waitFor(driver, By.id("topup-amount"));
      top.clear();
      top.sendKeys("2.5");
      driver.findElement(By.cssSelector("#topup-amount + button")).click();
      assertThat(waitText(driver, By.cssSelector("#wallet-status .notice"))).startsWith("Top-up of 2.5 XRP signed");
      waitFor(driver, By.id("close-channel")).click();
      Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
          .until(() -> { driver.switchTo().alert().accept(); return true; });
      assertThat(waitText(driver, By.cssSelector("#wallet-status .notice"))).startsWith("Close signed");
      List<Map<String, Object>> txs = (List<Map<String, Object>>) driver.executeAsyncScript("""
          const done = arguments[arguments.length - 1];
          FedsearchWalletStore.load().then(r => done(r.state.transactions.map(t => ({ kind: t.kind, blob: t.blob,
            hash: t.hash }))));""");
      assertThat(txs).extracting(t -> t.get("kind")).containsExactly("create", "fund", "close");
      List<JsonNode> checked = xrplJs(txs.stream().map(t -> Map.<String, Object>of("kind", "tx", "blob",
          t.get("blob"))).toList());
      assertThat(checked).extracting(n -> n.path("type").asText())
          .containsExactly("PaymentChannelCreate", "PaymentChannelFund", "PaymentChannelClaim");
      for (int i = 0; i < txs.size(); i++) {
        assertThat(checked.get(i).path("ok").asBoolean()).as("xrpl.js verifies " + txs.get(i).get("kind")).isTrue();
        assertThat(checked.get(i).path("hash").asText()).isEqualTo(txs.get(i).get("hash"));
        assertThat(checked.get(i).path("sequence").asInt()).isEqualTo(i + 1);
      }
    }
  }

  /**
   * The page goes away while a purchase is in flight (the hub delivered it, the answer never came back): the wallet
   * had stored the request and its claim before sending, so on the next visit My wallet asks the hub and records the
   * receipt, and the claim is never signed again.
   */
  @Test
  void aPurchaseWhoseAnswerIsLostIsRecoveredOnTheNextVisit() throws Exception {
    lostAnswerRecovered("profile-lost", "real(url, opts).then(() => new Promise(() => {}))");
  }

  /** As above when the hub answers 500 after it journaled the request: the wallet keeps it pending and asks later. */
  @Test
  void aPurchaseAnsweredWithAServerErrorIsRecoveredOnTheNextVisit() throws Exception {
    lostAnswerRecovered("profile-500", "real(url, opts).then(() => new Response("
        + "'{\"error\":{\"code\":\"internal\",\"message\":\"the hub failed\"}}',"
        + " { status: 500, headers: { 'Content-Type': 'application/json' } }))");
  }

  @SuppressWarnings("unchecked")
  private void lostAnswerRecovered(String profile, String answer) throws Exception {
    try (Browser b = new Browser(dir.resolve(profile))) {
      var driver = b.driver;
      driver.get(base + "/wallet");
      waitFor(driver, By.id("create-wallet")).click();
      WebElement amount = waitFor(driver, By.id("channel-amount"));
      amount.clear();
      amount.sendKeys("10");
      waitFor(driver, By.id("open-channel")).click();
      waitText(driver, By.id("wallet-remaining"));

      long before = sales(books);
      driver.get(base + "/entry/" + cid(books, "Kettle book") + "?q=kettle");
      waitFor(driver, By.cssSelector("li.listing form[action$='/buy'] button")).click();
      WebElement confirm = waitFor(driver, By.cssSelector(".wallet-panel .confirm-hub-buy"));
      // The request reaches the hub; its answer never reaches the page (as if the tab were closed meanwhile).
      driver.executeScript("const real = window.fetch; window.fetch = (url, opts) => url === '/api/hub/purchases'"
          + " ? " + answer + " : real(url, opts);");
      confirm.click();
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> sales(books) == before + 1);
      Map<String, Object> mid = (Map<String, Object>) driver.executeAsyncScript("""
          const done = arguments[arguments.length - 1];
          FedsearchWalletStore.load().then(r => done({ pending: !!r.state.pending, claims: r.state.claims.length }));
          """);
      assertThat(mid.get("pending")).as("stored as pending before it was sent").isEqualTo(true);

      driver.get(base + "/wallet");
      Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> driver.findElements(By.cssSelector("tr.purchase")).size() == 1);
      assertThat(driver.findElement(By.id("wallet-spent")).getText()).isEqualTo(xrp(COST));
      Map<String, Object> st = (Map<String, Object>) driver.executeAsyncScript("""
          const done = arguments[arguments.length - 1];
          FedsearchWalletStore.load().then(r => done({ pending: !!r.state.pending, claims: r.state.claims.length }));
          """);
      assertThat(st.get("pending")).isEqualTo(false);
      assertThat(((Number) st.get("claims")).intValue()).as("the claim was signed once").isEqualTo(1);
      assertThat(sales(books)).as("bought once").isEqualTo(before + 1);
    }
  }

  /**
   * Two tabs of the same wallet confirm purchases at the same moment: the wallet's operations take turns (one Web
   * Lock per wallet), so both purchases go through, both receipts are kept, and the claims are signed once each, each
   * above the one before — no tab works from a copy of the state the other is changing.
   */
  @Test
  @SuppressWarnings("unchecked")
  void twoTabsBuyingAtOnceKeepEveryReceiptAndClaim() throws Exception {
    try (Browser b = new Browser(dir.resolve("profile-tabs"))) {
      var driver = b.driver;
      driver.get(base + "/wallet");
      waitFor(driver, By.id("create-wallet")).click();
      WebElement amount = waitFor(driver, By.id("channel-amount"));
      amount.clear();
      amount.sendKeys("10");
      waitFor(driver, By.id("open-channel")).click();
      waitText(driver, By.id("wallet-remaining"));

      long shopBefore = sales(shop);
      long booksBefore = sales(books);
      driver.get(base + "/entry/" + cid(shop, "Copper kettle") + "?q=kettle");
      waitFor(driver, By.cssSelector("li.listing form[action$='/buy'] button")).click();
      waitFor(driver, By.cssSelector(".wallet-panel .confirm-hub-buy"));
      String first = driver.getWindowHandle();
      driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
      String second = driver.getWindowHandle();
      driver.get(base + "/entry/" + cid(books, "Kettle book") + "?q=kettle");
      waitFor(driver, By.cssSelector("li.listing form[action$='/buy'] button")).click();
      waitFor(driver, By.cssSelector(".wallet-panel .confirm-hub-buy"));
      // Press both confirms as close together as the driver can: each click only starts the purchase.
      String press = "document.querySelector('.wallet-panel .confirm-hub-buy').click()";
      driver.switchTo().window(first);
      driver.executeScript(press);
      driver.switchTo().window(second);
      driver.executeScript(press);
      assertThat(waitText(driver, By.cssSelector(".wallet-panel .notice"))).startsWith("Bought");
      driver.switchTo().window(first);
      assertThat(waitText(driver, By.cssSelector(".wallet-panel .notice"))).startsWith("Bought");
      assertThat(sales(shop)).isEqualTo(shopBefore + 1);
      assertThat(sales(books)).isEqualTo(booksBefore + 1);
      Map<String, Object> st = (Map<String, Object>) driver.executeAsyncScript("""
          const done = arguments[arguments.length - 1];
          FedsearchWalletStore.load().then(r => done({ receipts: r.state.receipts.length,
            claims: r.state.claims.map(c => c.amount), consumed: r.state.consumed }));""");
      assertThat(((Number) st.get("receipts")).intValue()).isEqualTo(2);
      assertThat((List<Number>) st.get("claims")).extracting(Number::longValue).containsExactly(COST, 2 * COST);
      assertThat(((Number) st.get("consumed")).longValue()).isEqualTo(2 * COST);

      // The hub's own listing: the page says how to get it instead of sending a purchase the hub must refuse.
      driver.get(base + "/entry/" + cid(hub, "Hub kettle") + "?q=kettle");
      waitFor(driver, By.cssSelector("li.listing form[action$='/buy'] button")).click();
      assertThat(waitText(driver, By.cssSelector(".wallet-panel .notice"))).startsWith("This node sells this work");
      assertThat(driver.findElements(By.cssSelector(".wallet-panel .confirm-hub-buy"))).isEmpty();
    }
  }

  private static WebElement waitFor(org.openqa.selenium.WebDriver driver, By by) {
    return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> driver.findElement(by), e -> e.isDisplayed());
  }

  private static String waitText(org.openqa.selenium.WebDriver driver, By by) {
    return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> driver.findElement(by).getText(), t -> !t.isBlank());
  }

  /** The page's own secret, read through its store by the test (the page never sends it). */
  @SuppressWarnings("unchecked")
  private Map<String, String> secrets() {
    return (Map<String, String>) browser.driver.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        FedsearchWalletStore.load().then(r => FedsearchWalletStore.withKey(r, async (k, e) => ({
          priv: k.privateKey, entropy: FedsearchWalletCore.hex(e),
          seed: FedsearchXrpl.encodeSeed(e, 'ed25519') }))).then(done, err => done({ error: String(err) }));
        """);
  }

  private void noSecretInAnyRequest() {
    Map<String, String> s = secrets();
    assertThat(s).doesNotContainKey("error");
    List<String> needles = new ArrayList<>();
    String priv = s.get("priv");
    needles.add(priv.toLowerCase(Locale.ROOT));
    needles.add(priv.substring(2).toLowerCase(Locale.ROOT)); // without the ED prefix
    needles.add(s.get("entropy").toLowerCase(Locale.ROOT));
    needles.add(s.get("seed").toLowerCase(Locale.ROOT));
    needles.add(java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(s.get("entropy")))
        .toLowerCase(Locale.ROOT));
    int requests = 0;
    for (JsonNode m : networkLog) {
      if (m.path("method").asText().equals("Network.requestWillBeSent")) {
        requests++;
        String all = m.path("params").path("request").toString().toLowerCase(Locale.ROOT);
        for (String n : needles) {
          assertThat(all).as("request " + m.at("/params/request/url").asText() + " carries no key").doesNotContain(n);
        }
      }
    }
    assertThat(requests).as("requests seen in the network log").isGreaterThan(10);
  }

  private final List<JsonNode> networkLog = new ArrayList<>();

  private void readNetworkLog() throws Exception {
    for (LogEntry e : browser.driver.manage().logs().get(LogType.PERFORMANCE)) {
      networkLog.add(JSON.readTree(e.getMessage()).path("message"));
    }
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> purchaseBodies() throws Exception {
    readNetworkLog();
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode m : networkLog) {
      JsonNode r = m.at("/params/request");
      if (m.path("method").asText().equals("Network.requestWillBeSent")
          && r.path("url").asText().endsWith("/api/hub/purchases") && r.path("method").asText().equals("POST")) {
        assertThat(r.has("postData")).as("the log carries the body").isTrue();
        out.add(JSON.readValue(r.path("postData").asText(), Map.class));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private void xrplJsVerifiesWhatThePageSent(List<Map<String, Object>> sent) throws Exception {
    Map<String, Object> account = (Map<String, Object>) browser.driver.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        FedsearchWalletStore.load().then(r => done({ public_key: r.public_key, address: r.address,
          channel: r.state.channel.id, hub: r.state.hub.account, sequence: r.state.channel.sequence }));
        """);
    List<Map<String, Object>> checks = new ArrayList<>();
    String create = null;
    for (Map<String, Object> b : sent) {
      if (b.get("channel_create") != null) {
        create = (String) b.get("channel_create");
      }
      Map<String, Object> claim = (Map<String, Object>) b.get("claim");
      if (claim != null) {
        checks.add(Map.of("kind", "claim", "channel", b.get("channel"), "amount", claim.get("amount"),
            "signature", claim.get("signature"), "public_key", account.get("public_key")));
      }
      assertThat(b.get("channel")).isEqualTo(account.get("channel"));
    }
    assertThat(create).as("the page sent its signed create").isNotNull();
    assertThat(checks).as("claims the page sent").hasSizeGreaterThanOrEqualTo(2);
    checks.add(Map.of("kind", "tx", "blob", create));
    checks.add(Map.of("kind", "channel_id", "source", account.get("address"), "destination", account.get("hub"),
        "sequence", account.get("sequence")));
    List<JsonNode> out = xrplJs(checks);
    for (int i = 0; i < checks.size() - 2; i++) {
      assertThat(out.get(i).path("ok").asBoolean()).as("xrpl.js verifies claim " + checks.get(i)).isTrue();
    }
    JsonNode tx = out.get(checks.size() - 2);
    assertThat(tx.path("ok").asBoolean()).as("xrpl.js verifies the create").isTrue();
    assertThat(tx.path("type").asText()).isEqualTo("PaymentChannelCreate");
    assertThat(tx.path("account").asText()).isEqualTo(account.get("address"));
    assertThat(out.get(checks.size() - 1).path("id").asText()).isEqualTo(account.get("channel"));
    assertThat(http.get("/api/hub").json().path("account").asText()).isEqualTo(account.get("hub"));
  }

  private void noCspViolation() {
    assertThat(browser.driver.executeScript("return sessionStorage.getItem('csp') || '[]'"))
        .as("CSP violations").isEqualTo("[]");
    for (LogEntry e : browser.driver.manage().logs().get(LogType.BROWSER)) {
      assertThat(e.getMessage()).as("console").doesNotContain("Content Security Policy")
          .doesNotContain("Uncaught");
    }
  }

  static List<JsonNode> xrplJs(List<Map<String, Object>> requests) throws Exception {
    Path d = Path.of(System.getProperty("basedir", ".")).resolve("../federation/src/test/js/xrpl");
    assertThat(d.resolve("node_modules/xrpl")).as("xrpl.js installed: run .ci/npm-deps").isDirectory();
    Process p = new ProcessBuilder("node", "verify.mjs").directory(d.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
      for (Map<String, Object> r : requests) {
        w.write(JSON.writeValueAsString(r) + "\n");
      }
    }
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.add(JSON.readTree(line));
      }
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).hasSize(requests.size());
    return out;
  }

  static String cid(RunningNode platform, String title) {
    for (SignedEntry e : platform.local().index().entries(100)) {
      if (e.entry().title().equals(title)) {
        return e.cid().toString();
      }
    }
    throw new IllegalArgumentException("no listing titled " + title);
  }

  static long sales(RunningNode platform) {
    return platform.payments().db().read(c -> {
      try (var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM sales")) {
        return rs.getLong(1);
      }
    });
  }

  static String xrp(long drops) {
    return java.math.BigDecimal.valueOf(drops, 6).stripTrailingZeros().toPlainString() + " XRP";
  }

  private WebElement waitFor(By by) {
    return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> browser.driver.findElement(by), e -> e.isDisplayed());
  }

  private String waitText(By by) {
    return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> browser.driver.findElement(by).getText(), t -> !t.isBlank());
  }

  private void click(By by) {
    waitFor(by).click();
  }
}
