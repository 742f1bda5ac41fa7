package io.fedsearch.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.web.http.NodeServer;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages stay light over real HTTP: assets linked by versioned URLs that a browser keeps for a year, everything else
 * revalidated by ETag (304, no body), text sent gzipped to browsers that take it, and the browser wallet's scripts
 * only on the pages that use them.
 */
class StaticAssetsTest {
  @TempDir static Path dir;
  private static RunningNode node;
  private static NodeServer server;
  private static String base;
  private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    node = RunningNode.start(NodeDirectory.init(dir.resolve("node"), "shop"), RunningNode.Options.defaults());
    server = NodeServer.start(node, "127.0.0.1", 0, 4096);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    node.close();
  }

  private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String page(String path) throws Exception {
    HttpResponse<byte[]> r = get(path);
    assertThat(r.statusCode()).as(path).isIn(200, 401, 404); // the log-in and not-found pages are pages too
    return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The versioned URL a page links {@code name} by. */
  private static String href(String page, String name) {
    Matcher m = Pattern.compile("\"(/static/" + Pattern.quote(name) + "\\?v=[0-9a-f]{12})\"").matcher(page);
    assertThat(m.find()).as(name + " linked by a versioned URL").isTrue();
    return m.group(1);
  }

  @Test
  void theWalletScriptsComeOnlyWithThePagesThatUseThem() throws Exception {
    for (String path : new String[] {"/", "/?q=kettle", "/dashboard", "/no/such/page"}) {
      String p = page(path);
      href(p, "ui.js");
      href(p, "ui.css");
      assertThat(p).as(path).doesNotContain("xrpl-bundle.js").doesNotContain("wallet.js");
    }
    String wallet = page("/wallet");
    for (String name : new String[] {"ui.js", "xrpl-bundle.js", "wallet-core.js", "wallet-store.js",
        "wallet-receipt.js", "wallet-hub.js", "wallet.js"}) {
      href(wallet, name);
    }
    // They still run in order: the bundle first, the page's own script last.
    assertThat(wallet.indexOf("xrpl-bundle.js")).isLessThan(wallet.indexOf("wallet-core.js"));
    assertThat(wallet.indexOf("wallet-hub.js")).isLessThan(wallet.indexOf("/static/wallet.js"));
  }

  @Test
  void aVersionedUrlIsKeptForAYearAndSentGzippedToBrowsersThatTakeIt() throws Exception {
    String url = href(page("/wallet"), "xrpl-bundle.js");
    HttpResponse<byte[]> plain = get(url);
    HttpResponse<byte[]> gz = get(url, "Accept-Encoding", "gzip, deflate, br");
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
    assertThat(plain.headers().firstValue("cache-control")).contains("public, max-age=31536000, immutable");
    assertThat(gz.headers().firstValue("content-encoding")).contains("gzip");
    assertThat(gz.headers().firstValue("vary")).contains("Accept-Encoding");
    assertThat(gz.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
      assertThat(in.readAllBytes()).isEqualTo(plain.body());
    }
    assertThat(gz.body().length).isLessThan(plain.body().length * 2 / 5);
    assertThat(gz.headers().firstValue("etag")).isNotEqualTo(plain.headers().firstValue("etag"));

    // A weight of zero refuses gzip: the file comes as it is.
    HttpResponse<byte[]> refused = get(url, "Accept-Encoding", "br, gzip;q=0");
    assertThat(refused.headers().firstValue("content-encoding")).isEmpty();
    assertThat(refused.body()).isEqualTo(plain.body());
  }

  @Test
  void anUnversionedOrStaleUrlIsRevalidatedAndAnsweredWith304WhenUnchanged() throws Exception {
    for (String path : new String[] {"/static/ui.css", "/static/ui.css?v=000000000000"}) {
      HttpResponse<byte[]> first = get(path, "Accept-Encoding", "gzip");
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("cache-control")).as(path).contains("no-cache");
      String etag = first.headers().firstValue("etag").orElseThrow();

      HttpResponse<byte[]> again = get(path, "Accept-Encoding", "gzip", "If-None-Match", "W/\"x\", " + etag);
      assertThat(again.statusCode()).as(path).isEqualTo(304);
      assertThat(again.body()).isEmpty();
      assertThat(again.headers().firstValue("etag")).contains(etag);

      HttpResponse<byte[]> changed = get(path, "Accept-Encoding", "gzip", "If-None-Match", "\"0123456789ab-gz\"");
      assertThat(changed.statusCode()).isEqualTo(200);
      assertThat(changed.body()).isEqualTo(first.body());
    }
    assertThat(get("/static/no-such.js").statusCode()).isEqualTo(404);
  }

  @Test
  void acceptEncodingIsReadWithItsWeights() {
    assertThat(StaticAssets.acceptsGzip("gzip")).isTrue();
    assertThat(StaticAssets.acceptsGzip("deflate, GZIP;q=0.5")).isTrue();
    assertThat(StaticAssets.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(StaticAssets.acceptsGzip("gzip; q=0.000")).isFalse();
    assertThat(StaticAssets.acceptsGzip("*")).isTrue();
    assertThat(StaticAssets.acceptsGzip("*;q=0.1, gzip;q=0")).isFalse();
    assertThat(StaticAssets.acceptsGzip("*;q=0")).isFalse();
    assertThat(StaticAssets.acceptsGzip("identity, br")).isFalse();
    assertThat(StaticAssets.acceptsGzip("")).isFalse();
    assertThat(StaticAssets.acceptsGzip("gzip;q=nonsense")).isFalse();
  }
}
