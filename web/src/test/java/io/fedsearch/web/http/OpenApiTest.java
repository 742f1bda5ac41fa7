package io.fedsearch.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /openapi} describes every {@code /api} route: the routes registered in {@link NodeServer} (and in the
 * services it registers under a prefix) are read from the source and each must appear, with its method, in
 * {@code openapi.yaml}; every documented route must be served (no "no API route" 404), and the served document is
 * the resource.
 */
class OpenApiTest {
  private static final Pattern ROUTE = Pattern.compile("\\.(get|post|put|delete|patch)\\(\"(/api[^\"]*)\"");
  private static final Pattern SERVICE = Pattern.compile("\\.register\\(\"(/api[^\"]*)\",\\s*new\\s+(\\w+)\\(");
  private static final Pattern SUB_ROUTE = Pattern.compile("\\.(get|post|put|delete|patch)\\(\"(/[^\"]*)\"");
  private static final Pattern DOC_PATH = Pattern.compile("^  (/\\S+):\\s*$");
  private static final Pattern DOC_METHOD = Pattern.compile("^    (get|post|put|delete|patch):\\s*$");

  private static Path httpSources() {
    return Path.of(System.getProperty("fedsearch.root", "..")).resolve("web/src/main/java/io/fedsearch/web/http");
  }

  /** Method + path of every API route NodeServer registers, as written in the source. */
  static Map<String, Set<String>> registeredRoutes() throws Exception {
    String server = Files.readString(httpSources().resolve("NodeServer.java"));
    Map<String, Set<String>> routes = new TreeMap<>();
    Matcher m = ROUTE.matcher(server);
    while (m.find()) {
      // Helidon's {+name} (the rest of the path, slashes included) is OpenAPI's {name}.
      routes.computeIfAbsent(m.group(2).replace("{+", "{"), k -> new TreeSet<>()).add(m.group(1));
    }
    Matcher s = SERVICE.matcher(server);
    while (s.find()) {
      String service = Files.readString(httpSources().resolve(s.group(2) + ".java"));
      Matcher sub = SUB_ROUTE.matcher(service);
      while (sub.find()) {
        String path = sub.group(2).equals("/") ? s.group(1) : s.group(1) + sub.group(2);
        routes.computeIfAbsent(path, k -> new TreeSet<>()).add(sub.group(1));
      }
    }
    return routes;
  }

  static Map<String, Set<String>> documentedRoutes(String yaml) {
    Map<String, Set<String>> doc = new TreeMap<>();
    String current = null;
    for (String line : yaml.split("\n")) {
      Matcher p = DOC_PATH.matcher(line);
      if (p.matches()) {
        current = p.group(1);
        doc.put(current, new TreeSet<>());
        continue;
      }
      Matcher m = DOC_METHOD.matcher(line);
      if (m.matches() && current != null) {
        doc.get(current).add(m.group(1).toLowerCase(Locale.ROOT));
      }
    }
    return doc;
  }

  private static String resource() throws Exception {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void everyRegisteredApiRouteIsDocumentedWithItsMethod() throws Exception {
    Map<String, Set<String>> registered = registeredRoutes();
    assertThat(registered).containsKeys("/api/search", "/api/entries/{cid}", "/api/suggest", "/api/reputation/{creator}");
    Map<String, Set<String>> documented = documentedRoutes(resource());
    assertThat(resource()).startsWith("openapi: 3.");
    for (Map.Entry<String, Set<String>> r : registered.entrySet()) {
      assertThat(documented).as("openapi.yaml documents " + r.getKey()).containsKey(r.getKey());
      assertThat(documented.get(r.getKey())).as("methods of " + r.getKey()).containsAll(r.getValue());
    }
    // And nothing documented that the node does not route.
    for (Map.Entry<String, Set<String>> d : documented.entrySet()) {
      assertThat(registered).as("NodeServer routes " + d.getKey()).containsKey(d.getKey());
      assertThat(registered.get(d.getKey())).as("methods of " + d.getKey()).containsAll(d.getValue());
    }
  }

  @Test
  void theNodeServesTheDocumentAndEveryDocumentedGetRoute(@TempDir Path dir) throws Exception {
    NodeDirectory d = NodeDirectory.init(dir.resolve("node"), "shop");
    try (RunningNode node = RunningNode.start(d, RunningNode.Options.defaults());
        NodeServer server = NodeServer.start(node, "127.0.0.1", 0, 4096);
        TestHttp http = new TestHttp("http://127.0.0.1:" + server.port())) {
      TestHttp.Reply doc = http.get("/openapi");
      assertThat(doc.status()).isEqualTo(200);
      assertThat(doc.body()).isEqualTo(resource());
      for (Map.Entry<String, Set<String>> r : documentedRoutes(resource()).entrySet()) {
        if (!r.getValue().contains("get")) {
          continue;
        }
        String path = r.getKey().replaceAll("\\{[^}]+}", "bafyreie3bjz4k4brk3kqnk7x2djqlbtx6aq5manozg4dapvoolvaakanjy");
        TestHttp.Reply reply = http.get(path);
        assertThat(reply.body()).as(path).doesNotContain("no API route");
        assertThat(reply.status()).as(path).isNotEqualTo(405).isLessThan(500);
      }
      TestHttp.Reply unknown = http.get("/api/not/a/route");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.body()).contains("no API route");
    }
  }
}
