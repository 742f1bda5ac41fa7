package io.fedsearch.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.web.http.NodeServer;
import io.fedsearch.web.http.SecurityHeaders;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages' hardening over real HTTP: security headers, escaping of hostile entries, the admin login (cookie,
 * CSRF), HTML error pages and JSON errors without stack traces, request size limits and the rate limit.
 */
class PageSecurityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOSTILE_TITLE = "<script>alert('t')</script> kettle";
  private static final String HOSTILE_DESC = "\"><img src=x onerror=alert(1)> copper kettle & <b>bold</b>";

  @TempDir static Path dir;
  private static RunningNode node;
  private static NodeServer server;
  private static String base;
  private static String token;
  private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void start() throws Exception {
    NodeDirectory d = NodeDirectory.init(dir.resolve("node"), "shop");
    node = RunningNode.start(d, RunningNode.Options.defaults());
    server = NodeServer.start(node, "127.0.0.1", 0, 4096);
    base = "http://127.0.0.1:" + server.port();
    token = d.adminToken();
    String lines = JSON.createObjectNode().put("id", "evil").put("title", HOSTILE_TITLE).put("description", HOSTILE_DESC)
        .put("creator", "<img src=x onerror=alert(2)>").put("url", "javascript:alert(4)").put("price", 1_500_000)
        + "\n";
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/entries"))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(lines)));
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    node.close();
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return client.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b);
  }

  private static HttpResponse<String> postForm(String path, String cookie, String... fields) throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < fields.length; i += 2) {
      body.append(i == 0 ? "" : "&").append(fields[i]).append('=')
          .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return send(b);
  }

  private static String cookie(HttpResponse<?> r, String name) {
    for (String c : r.headers().allValues("set-cookie")) {
      if (c.startsWith(name + "=")) {
        return c.substring(name.length() + 1, c.indexOf(';'));
      }
    }
    return null;
  }

  private static String hidden(String html, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
    assertThat(m.find()).as("hidden field " + name).isTrue();
    return m.group(1);
  }

  private static void assertNoStackTrace(String body) {
    assertThat(body).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(".java:");
  }

  @Test
  void pagesCarryCspWithoutUnsafeInlineAndTheOtherSecurityHeaders() throws Exception {
    for (String path : List.of("/", "/?q=kettle", "/dashboard", "/static/ui.css", "/api/node", "/no/such/page")) {
      HttpResponse<String> r = get(path);
      String csp = r.headers().firstValue("content-security-policy").orElse("");
      assertThat(csp).as(path).isEqualTo(SecurityHeaders.CSP).contains("frame-ancestors 'none'")
          .contains("script-src 'self'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
      assertThat(r.headers().firstValue("x-content-type-options")).as(path).contains("nosniff");
      assertThat(r.headers().firstValue("referrer-policy")).as(path).contains("no-referrer");
    }
    // The pages hold no inline script or style that the policy would block.
    String page = get("/?q=kettle").body();
    assertThat(page).doesNotContain("<script>").doesNotContain("style=").doesNotContain("onclick")
        .containsPattern("<script src=\"/static/ui\\.js\\?v=[0-9a-f]{12}\" defer></script>");
  }

  @Test
  void hostileEntryFieldsShowAsTextOnEveryPage() throws Exception {
    HttpResponse<String> search = get("/?q=kettle");
    assertThat(search.statusCode()).isEqualTo(200);
    String body = search.body();
    assertThat(body).contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;")
        .doesNotContain("<script>alert").doesNotContain("<img src=x").doesNotContain("<b>bold</b>")
        .contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    Matcher link = Pattern.compile("href=\"(/entry/[^\"]+)\"").matcher(body);
    assertThat(link.find()).isTrue();
    String entry = get(link.group(1).replace("&amp;", "&")).body();
    assertThat(entry).contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; kettle").doesNotContain("<script>alert")
        .doesNotContain("<img src=x");
    // A url that is no web address is never a link target: not the entry's link, not its Buy form's data-url.
    assertThat(entry).contains("data-url=\"\"").doesNotContain("href=\"javascript:");
    // The hostile creator name in a path is data too.
    HttpResponse<String> creator = get("/creator/" + URLEncoder.encode("<img src=x onerror=alert(2)>",
        StandardCharsets.UTF_8).replace("+", "%20"));
    assertThat(creator.body()).contains("&lt;img src=x onerror=alert(2)&gt;").doesNotContain("<img src=x");
    // A reflected query is escaped in the search box and the summary.
    String reflected = get("/?q=" + URLEncoder.encode("\"><svg onload=alert(3)>", StandardCharsets.UTF_8)).body();
    assertThat(reflected).doesNotContain("<svg onload").contains("&quot;&gt;&lt;svg onload=alert(3)&gt;");
  }

  @Test
  void dashboardNeedsTheAdminTokenAndLoginIsCsrfProtected() throws Exception {
    HttpResponse<String> anon = get("/dashboard");
    assertThat(anon.statusCode()).isEqualTo(401);
    assertThat(anon.body()).contains("Admin token").doesNotContain("Peers and standing");
    String csrf = cookie(anon, Forms.CSRF_COOKIE);
    assertThat(csrf).isNotNull();
    assertThat(anon.headers().allValues("set-cookie").getFirst()).contains("HttpOnly").contains("SameSite=Strict");
    assertThat(hidden(anon.body(), "csrf")).isEqualTo(csrf);

    // Without the matching CSRF cookie (a cross-site post), the login is refused even with the right token.
    HttpResponse<String> forged = postForm("/dashboard/login", null, "csrf", csrf, "token", token);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(cookie(forged, AdminSession.COOKIE)).isNull();
    HttpResponse<String> wrong = postForm("/dashboard/login", Forms.CSRF_COOKIE + "=" + csrf, "csrf", csrf,
        "token", "not-the-token");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.body()).contains("not this node");

    HttpResponse<String> ok = postForm("/dashboard/login", Forms.CSRF_COOKIE + "=" + csrf, "csrf", csrf, "token", token);
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(ok.headers().firstValue("location")).contains("/dashboard");
    String session = cookie(ok, AdminSession.COOKIE);
    assertThat(session).isEqualTo(token);
    assertThat(ok.headers().allValues("set-cookie").stream().filter(c -> c.startsWith(AdminSession.COOKIE)).findFirst()
        .orElseThrow()).contains("HttpOnly").contains("SameSite=Strict");

    HttpResponse<String> dash = get("/dashboard", "Cookie", AdminSession.COOKIE + "=" + session);
    assertThat(dash.statusCode()).isEqualTo(200);
    assertThat(dash.body()).contains("Peers and standing").contains("Privacy budget").contains("1 <small>entries")
        .contains("POST /api/entries");
    HttpResponse<String> bearer = get("/dashboard", "Authorization", "Bearer " + token);
    assertThat(bearer.statusCode()).isEqualTo(200);
    assertThat(bearer.body()).contains("nothing yet"); // no release yet: an empty budget chart

    // A signal release spends privacy budget: the API lists it in the ledger and the dashboard charts it per epoch.
    long epoch = node.privacy().currentEpoch() - 1;
    node.privacy().release(epoch);
    HttpResponse<String> budget = get("/api/privacy/budget");
    assertThat(budget.statusCode()).isEqualTo(200);
    JsonNode ledger = JSON.readTree(budget.body()).path("ledger");
    // One budget line per released unit (issue 18): the per-CID rows and the per-creator rows.
    assertThat(ledger).hasSize(2);
    assertThat(ledger).extracting(l -> l.at("/spend/unit").asText()).containsExactlyInAnyOrder("CID", "CREATOR");
    assertThat(ledger).allSatisfy(l -> {
      assertThat(l.at("/spend/epoch").asLong()).isEqualTo(epoch);
      assertThat(l.path("spentAt").asText()).isNotEmpty();
    });
    assertThat(JSON.readTree(budget.body()).at("/units/creators/releases").asInt()).isEqualTo(1);
    String charted = get("/dashboard", "Authorization", "Bearer " + token).body();
    assertThat(charted).contains("<rect class=\"bar\"").contains("<title>" + epoch + ":");
    assertThat(get("/dashboard", "Cookie", AdminSession.COOKIE + "=wrong").statusCode()).isEqualTo(401);

    // Submitting the outbox from the dashboard: CSRF-checked, admin only, and says what the submitter did (this
    // node has no ledger configured, so the API's 409 and its reason come back).
    String both = Forms.CSRF_COOKIE + "=" + csrf + "; " + AdminSession.COOKIE + "=" + session;
    assertThat(postForm("/dashboard/outbox/submit", both, "csrf", "forged").statusCode()).isEqualTo(403);
    assertThat(postForm("/dashboard/outbox/submit", Forms.CSRF_COOKIE + "=" + csrf, "csrf", csrf).statusCode())
        .isEqualTo(401);
    HttpResponse<String> submitted = postForm("/dashboard/outbox/submit", both, "csrf", csrf);
    assertThat(submitted.statusCode()).isEqualTo(409);
    assertThat(submitted.body()).contains("no rippled URL configured").contains("Back to the dashboard");
  }

  @Test
  void errorsAreHtmlPagesForBrowsersAndJsonForTheApiNeverStackTraces() throws Exception {
    HttpResponse<String> missing = get("/no/such/page");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("content-type").orElse("")).startsWith("text/html");
    assertThat(missing.body()).contains("Not found");
    assertNoStackTrace(missing.body());

    HttpResponse<String> badCid = get("/entry/not-a-cid!");
    assertThat(badCid.statusCode()).isEqualTo(400);
    assertThat(badCid.headers().firstValue("content-type").orElse("")).startsWith("text/html");
    assertNoStackTrace(badCid.body());
    HttpResponse<String> unknownCid = get("/entry/bafyreie3bjz4k4brk3kqnk7x2djqlbtx6aq5manozg4dapvoolvaakanjy");
    assertThat(unknownCid.statusCode()).isEqualTo(404);
    assertNoStackTrace(unknownCid.body());
    HttpResponse<String> badPrice = get("/?q=x&min_price=lots");
    assertThat(badPrice.statusCode()).isEqualTo(400);
    assertThat(badPrice.body()).contains("minimum price: not a number of XRP");

    for (String path : List.of("/api/search?limit=0", "/api/search?mode=sideways", "/api/entries/zzz",
        "/api/no/such/route", "/api/suggest?q=" + "a".repeat(300), "/api/reputation/nobody")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isBetween(400, 499);
      assertThat(r.headers().firstValue("content-type").orElse("")).as(path).startsWith("application/json");
      JsonNode e = JSON.readTree(r.body());
      assertThat(e.at("/error/message").asText()).as(path).isNotEmpty();
      assertNoStackTrace(r.body());
    }
    // A form post without its CSRF pair is refused with a page, not an exception.
    HttpResponse<String> noCsrf = postForm("/creator/x/verify", null, "attestation", "{}");
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(noCsrf.body()).contains("CSRF");
    // The server holds no wallet: there is no form that buys (the browser wallet pays through the hub API, whose
    // cross-site refusals PurchaseRoutesTest checks).
    HttpResponse<String> buy = postForm("/entry/bafyreie3bjz4k4brk3kqnk7x2djqlbtx6aq5manozg4dapvoolvaakanjy/buy", null,
        "csrf", "forged-token-forged-token", "listing", "bafyreie3bjz4k4brk3kqnk7x2djqlbtx6aq5manozg4dapvoolvaakanjy",
        "node", "x", "price", "1", "token", "t");
    assertThat(buy.statusCode()).isBetween(403, 405);
    assertNoStackTrace(buy.body());
  }

  @Test
  void requestBodiesAreLimited() throws Exception {
    String big = "{\"id\":\"x\",\"title\":\"" + "a".repeat(10_000) + "\"}\n";
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/entries"))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(big)));
    assertThat(r.statusCode()).isEqualTo(413);
    assertNoStackTrace(r.body());
    HttpResponse<String> form = postForm("/dashboard/login", null, "token", "a".repeat(10_000));
    assertThat(form.statusCode()).isEqualTo(413);
  }

  @Test
  void burstBeyondTheLimitGets429WithRetryAfter() throws Exception {
    System.setProperty("fedsearch.rate.per_second", "1");
    System.setProperty("fedsearch.rate.burst", "5");
    NodeServer limited;
    try {
      limited = NodeServer.start(node, "127.0.0.1", 0, 4096);
    } finally {
      System.clearProperty("fedsearch.rate.per_second");
      System.clearProperty("fedsearch.rate.burst");
    }
    try {
      String b = "http://127.0.0.1:" + limited.port();
      int ok = 0;
      HttpResponse<String> refused = null;
      long started = System.nanoTime();
      for (int i = 0; i < 20 && refused == null; i++) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(b + "/api/node")).GET());
        if (r.statusCode() == 429) {
          refused = r;
        } else {
          assertThat(r.statusCode()).isEqualTo(200);
          ok++;
        }
      }
      assertThat(refused).as("a 429 within 20 requests").isNotNull();
      // The burst, plus one token per second the loop took (a stalled machine refills more).
      long refilled = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + 1;
      assertThat(ok).isBetween(5, 5 + (int) refilled);
      assertThat(Integer.parseInt(refused.headers().firstValue("retry-after").orElseThrow())).isBetween(1, 2);
      assertThat(JSON.readTree(refused.body()).at("/error/code").asText()).isEqualTo("rate_limited");
      HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(b + "/")).GET());
      assertThat(page.statusCode()).isEqualTo(429);
      assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
      assertThat(page.headers().firstValue("retry-after")).isPresent();
      assertThat(page.body()).contains("slow down");
    } finally {
      limited.close();
    }
  }
}
