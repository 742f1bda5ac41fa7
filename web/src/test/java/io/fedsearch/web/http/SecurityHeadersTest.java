package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every response of a node carries the security headers — the pages and the API's successes, but also the JSON
 * errors (their handlers start from a reset response) and what Helidon answers by itself before any route runs
 * (a broken request line, an oversized URI or body). Checked over a raw socket, so nothing is normalised away.
 */
class SecurityHeadersTest {
  @TempDir static Path dir;
  private static RunningNode node;
  private static NodeServer server;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    NodeDirectory d = NodeDirectory.init(dir.resolve("node"), "shop");
    node = RunningNode.start(d, RunningNode.Options.defaults());
    server = NodeServer.start(node, "127.0.0.1", 0, 4096);
    token = d.adminToken();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    node.close();
  }

  private static String get(String target, String... headers) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + String.join("", headers) + "Connection: close\r\n\r\n";
  }

  private static String post(String target, String body, String... headers) {
    return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + String.join("", headers)
        + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() throws Exception {
    String auth = "Authorization: Bearer " + token + "\r\n";
    // Request → the status it must get. Most are errors; a few successes show the filter still runs.
    List<Object[]> cases = List.of(
        new Object[] {get("/api/search?q=x&mode=local"), 200},
        new Object[] {get("/"), 200},
        new Object[] {get("/health"), 200},
        new Object[] {get("/metrics"), 200},
        new Object[] {get("/openapi"), 200},
        new Object[] {get("/api/entries/bafynotacid"), 400},
        new Object[] {get("/api/search?q=x&limit=0"), 400},
        new Object[] {post("/api/entries", "{}"), 401},
        new Object[] {post("/api/entries", "{}", "Authorization: Bearer wrong\r\n"), 403},
        new Object[] {get("/api/entries/bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"), 404},
        new Object[] {get("/api/no-such-route"), 404},
        new Object[] {get("/no-such-page"), 404},
        new Object[] {post("/api/entries", "{\"id\":\"b\",\"title\":\"" + "x".repeat(5000) + "\"}", auth), 413},
        new Object[] {get("/api/search?q=" + "x".repeat(9000)), 414},
        new Object[] {"GARBAGE\r\n\r\n", 400},
        new Object[] {"GET /api/node HTTP/1.1\r\nBad Header: x\r\nConnection: close\r\n\r\n", 400});
    List<String> missing = new ArrayList<>();
    for (Object[] c : cases) {
      String request = (String) c[0];
      RawHttp.Reply r = RawHttp.exchange(server.port(), request, 10_000, false);
      String what = request.substring(0, Math.min(60, request.indexOf('\r') < 0 ? 60 : request.indexOf('\r')));
      assertThat(r.status()).as(what).isEqualTo((int) c[1]);
      for (String h : List.of("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")) {
        if (r.header(h) == null) {
          missing.add(r.status() + " " + what + ": no " + h);
        }
      }
      if (r.header("Content-Security-Policy") != null) {
        assertThat(r.header("Content-Security-Policy")).isEqualTo(SecurityHeaders.CSP);
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
      }
    }
    assertThat(missing).isEmpty();
  }
}
