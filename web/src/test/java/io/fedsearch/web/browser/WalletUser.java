package io.fedsearch.web.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * A person at a browser using the wallet pages of a {@link WalletMarket}'s hub: the steps they take (create, open a
 * channel, buy), what the page stored (read through the page's own store), and the requests it sent (Chromium's
 * network log). Waits poll generously: the machine is loaded.
 */
final class WalletUser {
  static final By BUY = By.cssSelector("li.listing form.buy-listing button");
  static final By CONFIRM = By.cssSelector(".wallet-panel .confirm-hub-buy");
  static final By NOTICE = By.cssSelector(".wallet-panel .notice");
  private static final ObjectMapper JSON = new ObjectMapper();

  final ChromeDriver driver;
  private final String base;
  private final List<JsonNode> network = new ArrayList<>();

  WalletUser(Browser browser, String base) {
    this.driver = browser.driver;
    this.base = base;
  }

  /** Creates a wallet on My wallet and opens a channel of {@code xrp} to the hub; returns the address. */
  String createAndOpen(String xrp) {
    driver.get(base + "/wallet");
    waitFor(By.id("create-wallet")).click();
    String address = waitText(By.id("wallet-address"));
    WebElement amount = waitFor(By.id("channel-amount"));
    amount.clear();
    amount.sendKeys(xrp);
    waitFor(By.id("open-channel")).click();
    waitText(By.id("wallet-remaining"));
    return address;
  }

  /** Opens {@code entryUrl} and presses its listing's Buy; returns the confirm button shown. */
  WebElement openBuy(String entryUrl) {
    driver.get(entryUrl);
    waitFor(BUY).click();
    return waitFor(CONFIRM);
  }

  /** Buys the listing of {@code entryUrl} with the mouse; returns what the page then says. */
  String buy(String entryUrl) {
    openBuy(entryUrl).click();
    return waitText(NOTICE);
  }

  /** {@code expression} over the stored wallet record {@code r}, evaluated in the page (a promise is awaited). */
  Object stored(String expression) {
    return driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + " FedsearchWalletStore.load().then(r => (" + expression + ")).then(done, e => done('error: ' + e));");
  }

  /** Every network event the browser logged so far (kept: reading the log empties it). */
  List<JsonNode> network() throws Exception {
    for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
      network.add(JSON.readTree(e.getMessage()).path("message"));
    }
    return network;
  }

  /** The bodies of the page's {@code POST /api/hub/purchases}, in order, as sent. */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> purchaseBodies() throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode m : network()) {
      JsonNode r = m.at("/params/request");
      if (m.path("method").asText().equals("Network.requestWillBeSent")
          && r.path("url").asText().endsWith("/api/hub/purchases") && r.path("method").asText().equals("POST")) {
        out.add(JSON.readValue(r.path("postData").asText(), Map.class));
      }
    }
    return out;
  }

  WebElement waitFor(By by) {
    return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> driver.findElement(by), e -> e.isDisplayed());
  }

  String waitText(By by) {
    return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> driver.findElement(by).getText(), t -> !t.isBlank());
  }

  /** Drops as the pages show them. */
  static String xrp(long drops) {
    return java.math.BigDecimal.valueOf(drops, 6).stripTrailingZeros().toPlainString() + " XRP";
  }
}
