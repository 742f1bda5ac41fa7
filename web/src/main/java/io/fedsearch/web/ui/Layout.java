package io.fedsearch.web.ui;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * The shell every page shares (head, navigation, skip link) and sending a page. Assets are linked by versioned URLs
 * ({@link StaticAssets}); the browser wallet's scripts (358 KB, 109 KB gzipped) only on the pages that buy or
 * show the wallet.
 */
public final class Layout {
  /** The browser wallet's scripts, in the order they must run. */
  private static final String[] WALLET_SCRIPTS = {
      "xrpl-bundle.js", "wallet-core.js", "wallet-store.js", "wallet-receipt.js", "wallet-hub.js", "wallet.js"};

  private final String platform;
  private final StaticAssets assets;

  public Layout(String platform, StaticAssets assets) {
    this.platform = platform;
    this.assets = assets;
  }

  /** What a page needs beyond the shell. */
  public enum Scripts {
    /** ui.js only: suggestions and keys. */
    PLAIN,
    /** ui.js and the browser wallet: an entry's page (its Buy form) and the wallet's own page. */
    WALLET
  }

  public Html page(String title, String active, Html body) {
    return page(title, active, body, Scripts.PLAIN);
  }

  public Html page(String title, String active, Html body, Scripts scripts) {
    java.util.List<Html> tags = new java.util.ArrayList<>();
    tags.add(script("ui.js"));
    if (scripts == Scripts.WALLET) {
      for (String name : WALLET_SCRIPTS) {
        tags.add(script(name));
      }
    }
    return Html.f("""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{} · fedsearch {}</title>
        <link rel="stylesheet" href="{}">
        <link rel="icon" href="{}" type="image/svg+xml">
        {}
        </head><body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top"><a class="brand" href="/">fed<span>search</span></a>
        <span class="node-name" title="the node serving these pages">{} node</span>
        <nav aria-label="main">{}{}{}<a href="/openapi">API</a></nav></header>
        <main id="main" tabindex="-1">{}</main>
        <footer>Served by the {} node · results verified against their signatures ·
        <a href="/openapi">OpenAPI</a> · <a href="/metrics">metrics</a></footer>
        </body></html>
        """, title, platform, assets.href("ui.css"), assets.href("favicon.svg"), Html.join(tags), platform,
        nav("/", "Search", active), nav("/wallet", "My wallet", active),
        nav("/dashboard", "Dashboard", active), body,
        platform);
  }

  private Html script(String name) {
    return Html.f("<script src=\"{}\" defer></script>", assets.href(name));
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
