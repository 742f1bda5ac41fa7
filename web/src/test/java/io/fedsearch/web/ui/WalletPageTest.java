package io.fedsearch.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.web.http.NodeFixture;
import io.fedsearch.web.http.TestHttp;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The "My wallet" shell over HTTP: served, linked from every page, its help panel there, no inline script. */
@Timeout(60)
class WalletPageTest {
  @TempDir static Path dir;
  private static NodeFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = NodeFixture.start(dir.resolve("node"), "shop");
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  @Test
  void theWalletPageExplainsChannelsClaimsSettlementAndClosing() throws Exception {
    TestHttp.Reply page = fixture.http.get("/wallet");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<h1>My wallet</h1>").contains("id=\"wallet-help\"")
        .contains("<h3>Channels</h3>").contains("<h3>Claims</h3>").contains("<h3>Settlement</h3>")
        .contains("<h3>When a channel closes or expires</h3>").contains("goes back to your account")
        .contains("aria-current=\"page\">My wallet</a>")
        .doesNotContain("<script>").doesNotContain("style=");
  }

  @Test
  void everyPageLinksToIt() throws Exception {
    for (String path : new String[] {"/", "/dashboard", "/no/such/page"}) {
      assertThat(fixture.http.get(path).body()).as(path).contains("<a href=\"/wallet\">My wallet</a>");
    }
  }
}
