package io.fedsearch.web.ui;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/** The shell every page shares (head, navigation, skip link) and sending a page. */
public final class Layout {
  private final String platform;

  public Layout(String platform) {
    this.platform = platform;
  }

  public Html page(String title, String active, Html body) {
    return Html.f("""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{} · fedsearch {}</title>
        <link rel="stylesheet" href="/static/ui.css">
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
        <script src="/static/ui.js" defer></script>
        <script src="/static/xrpl-bundle.js" defer></script><script src="/static/wallet-core.js" defer></script>
        <script src="/static/wallet-store.js" defer></script><script src="/static/wallet-receipt.js" defer></script>
        <script src="/static/wallet-hub.js" defer></script>
        <script src="/static/wallet.js" defer></script>
        </head><body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top"><a class="brand" href="/">fed<span>search</span></a>
        <span class="node-name" title="the node serving these pages">{} node</span>
        <nav aria-label="main">{}{}{}<a href="/openapi">API</a></nav></header>
        <main id="main" tabindex="-1">{}</main>
        <footer>Served by the {} node · results verified against their signatures ·
        <a href="/openapi">OpenAPI</a> · <a href="/metrics">metrics</a></footer>
        </body></html>
        """, title, platform, platform, nav("/", "Search", active), nav("/wallet", "My wallet", active),
        nav("/dashboard", "Dashboard", active), body,
        platform);
  }

  private static Html nav(String href, String label, String active) {
    return href.equals(active)
        ? Html.f("<a href=\"{}\" aria-current=\"page\">{}</a>", href, label)
        : Html.f("<a href=\"{}\">{}</a>", href, label);
  }

  public static void send(ServerResponse res, int status, Html page) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(page.markup().getBytes(StandardCharsets.UTF_8));
  }

  public void error(ServerResponse res, int status, String message) {
    String title = switch (status) {
      case 400 -> "Bad request";
      case 401 -> "Login needed";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 413 -> "Too large";
      case 429 -> "Slow down";
      case 502, 503 -> "Not available";
      default -> status >= 500 ? "Something went wrong" : "Cannot show this page";
    };
    send(res, status, page(title, "", Html.f("""
        <section class="error"><h1>{} <small>{}</small></h1><p>{}</p>
        <p><a href="/">Back to search</a></p></section>""", title, status, message)));
  }

  /** Prices are in drops (millionths of an XRP); shown in XRP, a zero price as "free". */
  public static String xrp(long drops) {
    return drops == 0 ? "free" : amount(drops);
  }

  /** An amount of drops in XRP. */
  public static String amount(long drops) {
    return java.math.BigDecimal.valueOf(drops, 6).stripTrailingZeros().toPlainString() + " XRP";
  }
}
