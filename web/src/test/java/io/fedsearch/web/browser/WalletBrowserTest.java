package io.fedsearch.web.browser;

import static io.fedsearch.web.browser.WalletMarket.COST;
import static io.fedsearch.web.browser.WalletMarket.PRICE;
import static io.fedsearch.web.browser.WalletMarket.sales;
import static io.fedsearch.web.browser.WalletUser.xrp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.payments.userwallet.WalletExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
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
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The browser wallet end to end in Chromium, against a hub node paying two platform nodes over libp2p
 * ({@link WalletMarket}): a new user creates a wallet on "My wallet", opens a channel to the hub, buys from both
 * platforms through it (the first purchase by keyboard only) and from the hub node's own catalog (no hub fee), and
 * sees every receipt and the balance go down; a
 * reload keeps the wallet. Every request the page sent (Chromium's network log) is searched for the private key and
 * seed in every encoding; xrpl.js checks the create and each claim exactly as the page sent them; the platforms
 * journaled the sales; no CSP violation; axe-core finds nothing serious; screenshots at 1280 and 390 px under
 * {@code target/screenshots/wallet-*}. And the export file moves the wallet between browser and CLI both ways.
 */
@Timeout(420)
class WalletBrowserTest {
  @TempDir static Path dir;
  static WalletMarket market;

  @BeforeAll
  static void start() throws Exception {
    market = new WalletMarket(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (market != null) {
      market.close();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aNewUserPaysTwoPlatformsFromTheBrowserThroughOneChannel() throws Exception {
    try (Browser browser = new Browser(dir.resolve("profile"))) {
      WalletUser user = new WalletUser(browser, market.base);
      var driver = user.driver;
      // Every CSP violation (an eval, an inline script) of every page is kept in sessionStorage, recorded by a
      // script the browser runs before the page's own (DevTools-injected: the page's CSP does not apply to it).
      driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
          document.addEventListener('securitypolicyviolation', e => {
            const v = JSON.parse(sessionStorage.getItem('csp') || '[]');
            v.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
            sessionStorage.setItem('csp', JSON.stringify(v));
          });"""));
      long shopBefore = sales(market.shop);
      long booksBefore = sales(market.books);
      // Buy before having a wallet: the page points to My wallet (and sends nothing).
      driver.get(market.entry(market.shop, "Copper kettle"));
      user.waitFor(WalletUser.BUY).click();
      assertThat(user.waitText(By.cssSelector(".wallet-panel .notice"))).startsWith("Buying pays from a wallet");
      driver.findElement(By.cssSelector(".wallet-panel a[href='/wallet']")).click();
      user.waitFor(By.id("create-wallet"));
      assertThat(new Axe().seriousViolations(driver)).as("axe on My wallet before a wallet exists").isEmpty();
      browser.screenshot("wallet-new-1280");
      String address = user.createAndOpen("10");
      assertThat(address).startsWith("r");
      assertThat(driver.findElement(By.id("wallet-remaining")).getText()).isEqualTo("10 XRP");
      driver.navigate().refresh(); // the wallet is the browser's: a reload keeps it
      assertThat(user.waitText(By.id("wallet-address"))).isEqualTo(address);

      // First purchase by keyboard only: Tab to the listing's Buy, Enter, then Enter on the focused confirm button.
      driver.get(market.entry(market.shop, "Copper kettle"));
      WebElement buy = user.waitFor(WalletUser.BUY);
      Actions keys = new Actions(driver);
      for (int i = 0; i < 60 && !buy.equals(driver.switchTo().activeElement()); i++) {
        keys.sendKeys(Keys.TAB).perform();
      }
      assertThat(driver.switchTo().activeElement()).as("Buy reachable by Tab").isEqualTo(buy);
      keys.sendKeys(Keys.ENTER).perform();
      WebElement confirm = user.waitFor(WalletUser.CONFIRM);
      assertThat(driver.findElement(By.cssSelector(".wallet-panel .hub-fee")).getText()).isEqualTo(xrp(COST - PRICE));
      assertThat(driver.findElement(By.cssSelector(".wallet-panel")).getText()).contains("Discovery fee");
      assertThat(driver.switchTo().activeElement()).as("confirm takes focus").isEqualTo(confirm);
      browser.screenshot("wallet-confirm-1280");
      keys.sendKeys(Keys.ENTER).perform();
      assertThat(user.waitText(WalletUser.NOTICE)).startsWith("Bought for " + xrp(COST));

      // Second platform, with the mouse.
      assertThat(user.buy(market.entry(market.books, "Kettle book"))).startsWith("Bought for " + xrp(COST));

      // The hub node's own catalog, over the same channel: the node sells it itself, with no hub fee.
      long hubBefore = sales(market.hub);
      user.openBuy(market.entry(market.hub, "Hub kettle"));
      assertThat(driver.findElement(By.cssSelector(".wallet-panel .hub-fee")).getText()).startsWith(xrp(0));
      driver.findElement(WalletUser.CONFIRM).click();
      assertThat(user.waitText(WalletUser.NOTICE)).startsWith("Bought for " + xrp(PRICE));

      driver.get(market.base + "/wallet");
      user.waitText(By.id("wallet-remaining"));
      assertThat(driver.findElements(By.cssSelector("tr.purchase"))).hasSize(3);
      assertThat(driver.findElement(By.id("wallet-spent")).getText()).isEqualTo(xrp(2 * COST + PRICE));
      assertThat(driver.findElement(By.id("wallet-remaining")).getText())
          .isEqualTo(xrp(10_000_000 - 2 * COST - PRICE));
      assertThat(driver.findElements(By.cssSelector("code.receipt-wire"))).hasSize(3)
          .allSatisfy(e -> assertThat(e.getDomProperty("textContent")).isNotBlank());
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sales(market.shop) == shopBefore + 1
          && sales(market.books) == booksBefore + 1 && sales(market.hub) == hubBefore + 1);
      // The platforms' receipts (signed in Java) verify in the page: signature under the platform's peer id key,
      // the work, the price and the user's receipt key as holder.
      assertThat((List<Object>) user.stored("r.state.receipts.map(x => x.receipt_check)"))
          .containsExactly("ok", "ok", "ok");
      assertThat(driver.findElements(By.cssSelector("tr.purchase td.bad"))).isEmpty();

      // Settlement as the user sees it: accepted until the hub queues its claim over the channel, then pending
      // settlement with that claim transaction's hash (this hub has no ledger, so it goes no further).
      assertThat(driver.findElements(By.cssSelector("tr.purchase td[data-state=accepted]"))).hasSize(3);
      market.hub.payments().settlement().run(true);
      driver.navigate().refresh();
      user.waitText(By.id("wallet-remaining"));
      String channel = (String) user.stored("r.state.channel.id");
      String hash = market.http.get("/api/hub/channels/" + channel + "/settlement").json().at("/claims/0/hash")
          .asText();
      assertThat(hash).matches("[0-9A-F]{64}");
      assertThat(driver.findElements(By.cssSelector("tr.purchase td[data-state=pending_settlement]"))).hasSize(3)
          .allSatisfy(td -> assertThat(td.findElement(By.cssSelector("code.tx-hash")).getText()).isEqualTo(hash));

      List<Map<String, Object>> sent = user.purchaseBodies();
      assertThat(sent).as("purchase requests the page sent").hasSizeGreaterThanOrEqualTo(2);
      noSecretInAnyRequest(user);
      xrplJsVerifiesWhatThePageSent(user, sent);
      assertThat(driver.executeScript("return sessionStorage.getItem('csp') || '[]'")).as("CSP violations")
          .isEqualTo("[]");
      for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
        assertThat(e.getMessage()).as("console").doesNotContain("Content Security Policy").doesNotContain("Uncaught");
      }

      assertThat(new Axe().seriousViolations(driver)).as("axe on My wallet").isEmpty();
      browser.screenshot("wallet-1280");
      browser.resize(390, 844);
      driver.navigate().refresh();
      user.waitText(By.id("wallet-remaining"));
      assertThat(new Axe().seriousViolations(driver)).as("axe on My wallet at 390 px").isEmpty();
      assertThat(driver.executeScript(
          "return document.documentElement.scrollWidth > document.documentElement.clientWidth"))
          .as("no sideways scroll at 390 px").isEqualTo(false);
      browser.screenshot("wallet-390");
      user.openBuy(market.entry(market.shop, "Copper kettle"));
      assertThat(new Axe().seriousViolations(driver)).as("axe on the confirm panel").isEmpty();
      browser.screenshot("wallet-confirm-390");
    }
  }

  /**
   * The export file moves the wallet between browser and CLI both ways: the CLI wallet ({@code WalletExport}) imports
   * what the page's Export button downloaded (same account, channel, signed floor, receipt), and the page imports the
   * CLI's export of it and continues the same channel with a claim above every one signed before.
   */
  @Test
  @SuppressWarnings("unchecked")
  void theExportFileMovesTheWalletBetweenBrowserAndCli() throws Exception {
    try (Browser browser = new Browser(dir.resolve("profile-export"))) {
      WalletUser user = new WalletUser(browser, market.base);
      var driver = user.driver;
      String address = user.createAndOpen("10");
      assertThat(user.buy(market.entry(market.books, "Kettle book"))).startsWith("Bought");

      driver.get(market.base + "/wallet");
      WebElement top = user.waitFor(By.id("topup-amount"));
      top.clear();
      top.sendKeys("2.5");
      driver.findElement(By.cssSelector("#topup-amount + button")).click();
      assertThat(user.waitText(By.cssSelector("#wallet-status .notice"))).startsWith("Top-up of 2.5 XRP signed");
      user.waitFor(By.id("export-pass")).sendKeys("browser to cli");
      user.waitFor(By.cssSelector("#export-form button[type=submit]")).click();
      Path downloads = Files.createDirectories(dir.resolve("downloads"));
      driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath",
          downloads.toAbsolutePath().toString()));
      user.waitFor(By.id("export-link")).click(); // what the user does: the file is downloaded
      Path exported = downloads.resolve("fedsearch-wallet.json");
      Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> Files.isRegularFile(exported) && Files.size(exported) > 0);
      Map<String, Object> st = (Map<String, Object>) user.stored(
          "({ channel: r.state.channel.id, signed_max: r.state.signed_max })");
      long floor = ((Number) st.get("signed_max")).longValue();
      assertThat(floor).isEqualTo(COST);

      Path back = dir.resolve("from-cli.json");
      try (var cli = WalletExport.importInto(dir.resolve("cli-wallet"), exported, "browser to cli".toCharArray())) {
        assertThat(cli.key().address().value()).isEqualTo(address);
        assertThat(cli.state().channel.id).isEqualTo(st.get("channel"));
        assertThat(cli.state().signedMax).isEqualTo(floor);
        assertThat(cli.state().receipts).hasSize(1);
        // The transactions the page signed are the CLI's kept ones, which `fedsearch wallet submit` puts on a ledger.
        assertThat(cli.state().transactions).extracting(t -> t.kind).containsExactly("create", "fund");
        assertThat(cli.state().transactions).allSatisfy(t -> assertThat(t.status).startsWith("kept"));
        assertThat(cli.state().transactions.get(0).hash).isEqualTo(cli.state().channel.createHash);
        assertThat(cli.state().transactions.get(1).drops).isEqualTo(2_500_000);
        WalletExport.export(cli, back, "cli to browser".toCharArray());
      }

      user.stored("FedsearchWalletStore.remove().then(() => true)");
      driver.navigate().refresh();
      user.waitFor(By.id("import-file")).sendKeys(back.toAbsolutePath().toString());
      driver.findElement(By.id("import-pass")).sendKeys("cli to browser");
      driver.findElement(By.cssSelector("#import-form button[type=submit]")).click();
      assertThat(user.waitText(By.id("wallet-address"))).isEqualTo(address);

      assertThat(user.buy(market.entry(market.shop, "Copper kettle"))).startsWith("Bought");
      Map<String, Object> after = (Map<String, Object>) user.stored("({ channel: r.state.channel.id,"
          + " signed_max: r.state.signed_max, claims: r.state.claims.map(c => c.amount),"
          + " receipts: r.state.receipts.length })");
      assertThat(after.get("channel")).as("the same channel continues").isEqualTo(st.get("channel"));
      assertThat(((Number) after.get("signed_max")).longValue()).isEqualTo(2 * COST);
      assertThat((List<Number>) after.get("claims")).extracting(Number::longValue).containsExactly(COST, 2 * COST);
      assertThat(((Number) after.get("receipts")).intValue()).isEqualTo(2);
    }
  }

  /**
   * An export imported in a second browser while the first copy went on buying never signs an amount at or below one
   * already signed: after an import (and in the exporting copy, after an export) the wallet asks the hub with no claim
   * first and signs what the hub says it needs. Both copies go on buying through the same channel.
   */
  @Test
  @SuppressWarnings("unchecked")
  void aStaleImportNeverSignsAnAmountAlreadySigned() throws Exception {
    try (Browser first = new Browser(dir.resolve("profile-copy-a"));
        Browser second = new Browser(dir.resolve("profile-copy-b"))) {
      WalletUser a = new WalletUser(first, market.base);
      a.createAndOpen("10");
      assertThat(a.buy(market.entry(market.books, "Kettle book"))).startsWith("Bought");
      Path file = export(a, "copy-a", "stale copy pass");
      assertThat(a.stored("r.state.needs_sync")).as("the exporting copy syncs too").isEqualTo(true);
      assertThat(a.buy(market.entry(market.shop, "Copper kettle"))).startsWith("Bought"); // the file is stale now
      long signedBefore = claims(a).stream().mapToLong(Long::longValue).max().orElseThrow();
      assertThat(signedBefore).isEqualTo(2 * COST);

      WalletUser b = new WalletUser(second, market.base);
      b.driver.get(market.base + "/wallet");
      b.waitFor(By.id("import-file")).sendKeys(file.toAbsolutePath().toString());
      b.driver.findElement(By.id("import-pass")).sendKeys("stale copy pass");
      b.driver.findElement(By.cssSelector("#import-form button[type=submit]")).click();
      b.waitText(By.id("wallet-address"));
      assertThat(b.buy(market.entry(market.books, "Kettle book"))).startsWith("Bought");
      assertThat(claims(b)).as("the imported copy's claims").isNotEmpty()
          .allSatisfy(amount -> assertThat(amount).isGreaterThan(signedBefore));
      assertThat(b.purchaseBodies().get(0)).as("asked with no claim first").doesNotContainKey("claim");
      // The first copy goes on too: it asks first, takes the hub's figures (the other copy spent), signs above them.
      assertThat(a.buy(market.entry(market.shop, "Copper kettle"))).startsWith("Bought");
      List<Long> all = new ArrayList<>(claims(a));
      all.addAll(claims(b));
      assertThat(all).as("claims sent by both copies").doesNotHaveDuplicates()
          .containsExactlyInAnyOrder(COST, 2 * COST, 3 * COST, 4 * COST);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Long> claims(WalletUser user) throws Exception {
    List<Long> out = new ArrayList<>();
    for (Map<String, Object> body : user.purchaseBodies()) {
      Map<String, Object> claim = (Map<String, Object>) body.get("claim");
      if (claim != null) {
        out.add(((Number) claim.get("amount")).longValue());
      }
    }
    return out;
  }

  /** Exports {@code user}'s wallet with the page's Export button; returns the downloaded file. */
  private static Path export(WalletUser user, String name, String passphrase) throws Exception {
    user.driver.get(market.base + "/wallet");
    user.waitFor(By.id("export-pass")).sendKeys(passphrase);
    user.waitFor(By.cssSelector("#export-form button[type=submit]")).click();
    Path downloads = Files.createDirectories(dir.resolve("downloads-" + name));
    user.driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath",
        downloads.toAbsolutePath().toString()));
    user.waitFor(By.id("export-link")).click();
    Path exported = downloads.resolve("fedsearch-wallet.json");
    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> Files.isRegularFile(exported) && Files.size(exported) > 0);
    return exported;
  }

  /** The page's own secret, read by the test through the page's store (the page itself never sends it). */
  @SuppressWarnings("unchecked")
  private static void noSecretInAnyRequest(WalletUser user) throws Exception {
    Map<String, String> s = (Map<String, String>) user.driver.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        FedsearchWalletStore.load().then(r => FedsearchWalletStore.withKey(r, async (k, e) => ({
          priv: k.privateKey, entropy: FedsearchWalletCore.hex(e),
          seed: FedsearchXrpl.encodeSeed(e, 'ed25519') }))).then(done, err => done({ error: String(err) }));
        """);
    assertThat(s).doesNotContainKey("error");
    List<String> needles = new ArrayList<>();
    String priv = s.get("priv");
    needles.add(priv.toLowerCase(Locale.ROOT));
    needles.add(priv.substring(2).toLowerCase(Locale.ROOT)); // without the ED prefix
    needles.add(s.get("entropy").toLowerCase(Locale.ROOT));
    needles.add(s.get("seed").toLowerCase(Locale.ROOT));
    needles.add(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(s.get("entropy"))).toLowerCase(Locale.ROOT));
    int requests = 0;
    for (JsonNode m : user.network()) {
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

  @SuppressWarnings("unchecked")
  private static void xrplJsVerifiesWhatThePageSent(WalletUser user, List<Map<String, Object>> sent)
      throws Exception {
    Map<String, Object> account = (Map<String, Object>) user.stored("({ public_key: r.public_key,"
        + " address: r.address, channel: r.state.channel.id, hub: r.state.hub.account,"
        + " sequence: r.state.channel.sequence })");
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
    List<JsonNode> out = XrplJsVerify.run(checks);
    for (int i = 0; i < checks.size() - 2; i++) {
      assertThat(out.get(i).path("ok").asBoolean()).as("xrpl.js verifies claim " + checks.get(i)).isTrue();
    }
    JsonNode tx = out.get(checks.size() - 2);
    assertThat(tx.path("ok").asBoolean()).as("xrpl.js verifies the create").isTrue();
    assertThat(tx.path("type").asText()).isEqualTo("PaymentChannelCreate");
    assertThat(tx.path("account").asText()).isEqualTo(account.get("address"));
    assertThat(out.get(checks.size() - 1).path("id").asText()).isEqualTo(account.get("channel"));
    assertThat(market.http.get("/api/hub").json().path("account").asText()).isEqualTo(account.get("hub"));
  }
}
