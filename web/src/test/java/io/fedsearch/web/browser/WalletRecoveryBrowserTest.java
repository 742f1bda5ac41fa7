package io.fedsearch.web.browser;

import static io.fedsearch.web.browser.WalletMarket.COST;
import static io.fedsearch.web.browser.WalletMarket.FEE_BPS;
import static io.fedsearch.web.browser.WalletMarket.FEE_DROPS;
import static io.fedsearch.web.browser.WalletMarket.PRICE;
import static io.fedsearch.web.browser.WalletMarket.sales;
import static io.fedsearch.web.browser.WalletUser.xrp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

/**
 * The browser wallet when things go wrong, in Chromium against a hub and two platforms ({@link WalletMarket}): a
 * platform's refusal becomes a credit note the next purchase spends; an answer lost, or a 5xx after the hub journaled
 * the request, is recovered on the next visit; two tabs buying at once keep every receipt and claim; a changed hub fee
 * is shown and paid on the next Buy; a purchase beyond the channel asks for a top-up; the hub's own listing is
 * bought through the hub like any other. Top up and close are signed in the page and checked by xrpl.js.
 */
@Timeout(420)
class WalletRecoveryBrowserTest {
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

  /**
   * A page showing a stale price (the platform asks another) is refused by the platform; the page says the amount
   * stays as credit, My wallet lists the credit note, and the next purchase is paid from the credit with no claim
   * sent. Then top up and close: signed in the page, kept, and verified by xrpl.js.
   */
  @Test
  @SuppressWarnings("unchecked")
  void aRefusedPurchaseBecomesCreditTheNextPurchaseSpends() throws Exception {
    try (Browser browser = new Browser(dir.resolve("profile-credit"))) {
      WalletUser user = new WalletUser(browser, market.base);
      var driver = user.driver;
      user.createAndOpen("10");
      driver.get(market.entry(market.books, "Kettle book"));
      WebElement buy = user.waitFor(WalletUser.BUY);
      long stale = PRICE + 200_000;
      driver.executeScript("document.querySelector(\"li.listing form.buy-listing\").dataset.price = arguments[0]",
          String.valueOf(stale));
      buy.click();
      user.waitFor(WalletUser.CONFIRM).click();
      long staleCost = stale + FEE_DROPS + stale * FEE_BPS / 10_000;
      assertThat(user.waitText(WalletUser.NOTICE)).startsWith("Not delivered")
          .contains(xrp(staleCost) + " stays with you as credit");

      driver.get(market.base + "/wallet");
      assertThat(user.waitText(By.id("w-credits"))).isEqualTo("Credit notes (1)");
      assertThat(driver.findElement(By.id("wallet-spent")).getText()).isEqualTo("0 XRP");

      assertThat(user.buy(market.entry(market.shop, "Copper kettle"))).startsWith("Bought");
      List<Map<String, Object>> sent = user.purchaseBodies();
      assertThat(sent).hasSize(2);
      assertThat(sent.get(0)).containsKey("claim");
      assertThat(sent.get(1)).as("paid from the credit: no claim").doesNotContainKey("claim");
      Map<String, Object> st = (Map<String, Object>) user.stored(
          "({ claims: r.state.claims.length, consumed: r.state.consumed })");
      assertThat(((Number) st.get("claims")).intValue()).isEqualTo(1);
      assertThat(((Number) st.get("consumed")).longValue()).isEqualTo(COST);

      driver.get(market.base + "/wallet");
      WebElement top = user.waitFor(By.id("topup-amount"));
      top.clear();
      top.sendKeys("2.5");
      driver.findElement(By.cssSelector("#topup-amount + button")).click();
      assertThat(user.waitText(By.cssSelector("#wallet-status .notice"))).startsWith("Top-up of 2.5 XRP signed");
      user.waitFor(By.id("close-channel")).click();
      Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
          .until(() -> { driver.switchTo().alert().accept(); return true; });
      assertThat(user.waitText(By.cssSelector("#wallet-status .notice"))).startsWith("Close signed");
      List<Map<String, Object>> txs = (List<Map<String, Object>>) user.stored(
          "r.state.transactions.map(t => ({ kind: t.kind, blob: t.blob, hash: t.hash }))");
      assertThat(txs).extracting(t -> t.get("kind")).containsExactly("create", "fund", "close");
      List<JsonNode> checked = XrplJsVerify.run(txs.stream()
          .map(t -> Map.<String, Object>of("kind", "tx", "blob", t.get("blob"))).toList());
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
    try (Browser browser = new Browser(dir.resolve(profile))) {
      WalletUser user = new WalletUser(browser, market.base);
      var driver = user.driver;
      user.createAndOpen("10");
      long before = sales(market.books);
      WebElement confirm = user.openBuy(market.entry(market.books, "Kettle book"));
      // The request reaches the hub; its answer never reaches the page as it should.
      driver.executeScript("const real = window.fetch; window.fetch = (url, opts) => url === '/api/hub/purchases'"
          + " ? " + answer + " : real(url, opts);");
      confirm.click();
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> sales(market.books) == before + 1);
      assertThat(user.stored("!!r.state.pending")).as("stored as pending before it was sent").isEqualTo(true);

      driver.get(market.base + "/wallet");
      Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> driver.findElements(By.cssSelector("tr.purchase")).size() == 1);
      assertThat(driver.findElement(By.id("wallet-spent")).getText()).isEqualTo(xrp(COST));
      Map<String, Object> st = (Map<String, Object>) user.stored(
          "({ pending: !!r.state.pending, claims: r.state.claims.length })");
      assertThat(st.get("pending")).isEqualTo(false);
      assertThat(((Number) st.get("claims")).intValue()).as("the claim was signed once").isEqualTo(1);
      assertThat(sales(market.books)).as("bought once").isEqualTo(before + 1);
    }
  }

  /**
   * A hub that answers a purchase with the receipt of an earlier one (valid signature, same work, price and holder)
   * is caught: the purchase is recorded with its signed ack (the money moved) but marked, and My wallet shows it.
   */
  @Test
  void aReplayedReceiptIsMarkedNotTaken() throws Exception {
    try (Browser browser = new Browser(dir.resolve("profile-replay"))) {
      WalletUser user = new WalletUser(browser, market.base);
      user.createAndOpen("10");
      assertThat(user.buy(market.entry(market.books, "Kettle book"))).startsWith("Bought");
      WebElement confirm = user.openBuy(market.entry(market.books, "Kettle book"));
      // The hub's answer reaches the page with the first purchase's receipt in place of the new one.
      user.driver.executeScript("""
          const real = window.fetch;
          window.fetch = (url, opts) => url === '/api/hub/purchases'
            ? real(url, opts).then(r => r.json()).then(async a => {
                const old = (await FedsearchWalletStore.load()).state.receipts[0].receipt;
                return new Response(JSON.stringify(Object.assign(a, { receipt: old })), { status: 200 });
              })
            : real(url, opts);""");
      confirm.click();
      assertThat(user.waitText(WalletUser.NOTICE)).contains("replayed");
      assertThat(user.stored("r.state.receipts.map(x => x.receipt_check)"))
          .isEqualTo(List.of("ok", "receipt: the same receipt as an earlier purchase (replayed by the hub)"));
      user.driver.get(market.base + "/wallet");
      assertThat(user.waitText(By.cssSelector("tr.purchase td.bad"))).contains("replayed");
    }
  }

  /** A purchase the channel cannot cover is refused on the page, before any claim is signed or sent. */
  @Test
  void aPurchaseBeyondTheChannelAsksForATopUpAndSendsNothing() throws Exception {
    try (Browser browser = new Browser(dir.resolve("profile-small"))) {
      WalletUser user = new WalletUser(browser, market.base);
      user.createAndOpen("2");
      assertThat(user.buy(market.entry(market.books, "Kettle book"))).startsWith("Bought");
      assertThat(user.buy(market.entry(market.shop, "Copper kettle"))).contains("top up the channel first");
      assertThat(user.purchaseBodies()).hasSize(1);
      assertThat(((Number) user.stored("r.state.signed_max")).longValue()).isEqualTo(COST);
      assertThat(user.stored("!!r.state.pending")).isEqualTo(false);
    }
  }

  /**
   * The hub's fee changed after the page learned it: the hub refuses {@code fee_changed} before taking anything, the
   * page says the new fee, and pressing Buy again shows and pays the hub's current fee (the terms are asked afresh).
   */
  @Test
  void aChangedHubFeeIsShownAndTheNextBuyPaysIt() throws Exception {
    try (Browser browser = new Browser(dir.resolve("profile-fee"))) {
      WalletUser user = new WalletUser(browser, market.base);
      var driver = user.driver;
      user.createAndOpen("10");
      // The terms the entry page reads on arrival and for the first Buy carry an older, lower fee (as if the hub
      // raised it since); later reads get the hub's own answer.
      driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
          if (location.pathname.startsWith('/entry/')) {
            const real = window.fetch;
            let reads = 0;
            window.fetch = (url, opts) => url === '/api/hub' && ++reads <= 2
              ? real(url, opts).then(r => r.json()).then(t => {
                  t.fee_drops = t.fee_drops - 500;
                  return new Response(JSON.stringify(t), { status: 200 });
                })
              : real(url, opts);
          }"""));
      long before = sales(market.books);
      WebElement confirm = user.openBuy(market.entry(market.books, "Kettle book"));
      assertThat(driver.findElement(By.cssSelector(".wallet-panel .hub-fee")).getText())
          .isEqualTo(xrp(COST - PRICE - 500));
      confirm.click();
      assertThat(user.waitText(WalletUser.NOTICE)).contains("The hub fee is now " + xrp(COST - PRICE));
      assertThat(sales(market.books)).as("nothing bought").isEqualTo(before);

      user.waitFor(WalletUser.BUY).click();
      WebElement again = user.waitFor(WalletUser.CONFIRM);
      assertThat(driver.findElement(By.cssSelector(".wallet-panel .hub-fee")).getText()).isEqualTo(xrp(COST - PRICE));
      again.click();
      assertThat(user.waitText(WalletUser.NOTICE)).startsWith("Bought for " + xrp(COST));
      assertThat(sales(market.books)).isEqualTo(before + 1);
    }
  }

  /**
   * Two tabs of the same wallet confirm purchases at the same moment: the wallet's operations take turns (one Web
   * Lock per wallet), so both purchases go through, both receipts are kept, and the claims are signed once each, each
   * above the one before — no tab works from a copy of the state the other is changing. The hub's own listing is
   * then bought through the hub like any other, with the next claim.
   */
  @Test
  @SuppressWarnings("unchecked")
  void twoTabsBuyingAtOnceKeepEveryReceiptAndClaim() throws Exception {
    try (Browser browser = new Browser(dir.resolve("profile-tabs"))) {
      WalletUser user = new WalletUser(browser, market.base);
      var driver = user.driver;
      user.createAndOpen("10");
      long shopBefore = sales(market.shop);
      long booksBefore = sales(market.books);
      user.openBuy(market.entry(market.shop, "Copper kettle"));
      String first = driver.getWindowHandle();
      driver.switchTo().newWindow(WindowType.TAB);
      String second = driver.getWindowHandle();
      user.openBuy(market.entry(market.books, "Kettle book"));
      // Press both confirms as close together as the driver can: each click only starts the purchase.
      String press = "document.querySelector('.wallet-panel .confirm-hub-buy').click()";
      driver.switchTo().window(first);
      driver.executeScript(press);
      driver.switchTo().window(second);
      driver.executeScript(press);
      assertThat(user.waitText(WalletUser.NOTICE)).startsWith("Bought");
      driver.switchTo().window(first);
      assertThat(user.waitText(WalletUser.NOTICE)).startsWith("Bought");
      assertThat(sales(market.shop)).isEqualTo(shopBefore + 1);
      assertThat(sales(market.books)).isEqualTo(booksBefore + 1);
      Map<String, Object> st = (Map<String, Object>) user.stored("({ receipts: r.state.receipts.length,"
          + " claims: r.state.claims.map(c => c.amount), consumed: r.state.consumed })");
      assertThat(((Number) st.get("receipts")).intValue()).isEqualTo(2);
      assertThat((List<Number>) st.get("claims")).extracting(Number::longValue).containsExactly(COST, 2 * COST);
      assertThat(((Number) st.get("consumed")).longValue()).isEqualTo(2 * COST);

      // the hub's own listing, bought over the same channel with the next claim (no hub fee)
      long hubBefore = sales(market.hub);
      assertThat(user.buy(market.entry(market.hub, "Hub kettle"))).startsWith("Bought");
      assertThat(sales(market.hub)).isEqualTo(hubBefore + 1);
      Map<String, Object> after = (Map<String, Object>) user.stored("({ claims: r.state.claims.map(c => c.amount),"
          + " consumed: r.state.consumed })");
      assertThat((List<Number>) after.get("claims")).extracting(Number::longValue)
          .containsExactly(COST, 2 * COST, 2 * COST + PRICE);
      assertThat(((Number) after.get("consumed")).longValue()).isEqualTo(2 * COST + PRICE);
    }
  }
}
