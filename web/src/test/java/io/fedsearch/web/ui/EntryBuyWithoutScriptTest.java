package io.fedsearch.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.web.http.NodeFixture;
import io.fedsearch.web.http.TestHttp;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry page as a browser without JavaScript gets it: each listing's Buy carries the listing for the browser
 * wallet (CID, platform node, price, attribution token) and, without script, only opens My wallet; the page says
 * buying uses the wallet in this browser and needs JavaScript. No form posts a purchase to the server, which holds
 * no wallet to buy with (the old buy route is gone).
 */
@Timeout(60)
class EntryBuyWithoutScriptTest {
  @TempDir Path dir;

  @Test
  void buyingExplainsTheBrowserWalletAndPostsNothing() throws Exception {
    try (NodeFixture f = NodeFixture.start(dir.resolve("a"), "alpha")
        .holding("{\"id\":\"lamp\",\"title\":\"Brass lamp\",\"description\":\"an oil lamp\",\"price\":700}\n")) {
      TestHttp http = f.http;
      String cid = http.get("/api/search?mode=local&q=lamp").json().at("/hits/0/cid").asText();
      TestHttp.Reply page = http.get("/entry/" + cid + "?q=Brass+lamp");
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      String html = page.body();
      Matcher form = Pattern.compile("<form class=\"buy-listing\" method=\"get\" action=\"/wallet\"([^>]*)>")
          .matcher(html);
      assertThat(form.find()).as(html).isTrue();
      String attributes = form.group(1);
      assertThat(attributes).contains("data-listing=\"" + cid + "\"")
          .contains("data-node=\"" + f.node.host().peerId() + "\"").contains("data-price=\"700\"")
          .containsPattern("data-token=\"[^\"]{20,}\"");
      assertThat(html).contains("needs JavaScript").contains("<a href=\"/wallet\">My wallet</a>")
          .doesNotContain("method=\"post\" action=\"/entry/");
      assertThat(http.get("/wallet").status()).isEqualTo(200); // where the button goes without script
      TestHttp.Reply old = http.postWith("/entry/" + cid + "/buy", "listing=" + cid, "Content-Type",
          "application/x-www-form-urlencoded");
      assertThat(old.status()).isBetween(403, 405);
    }
  }
}
