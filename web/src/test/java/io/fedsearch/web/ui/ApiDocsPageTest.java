package io.fedsearch.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.fedsearch.web.http.NodeServer;
import io.fedsearch.web.node.NodeDirectory;
import io.fedsearch.web.node.RunningNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The nav's "API" link opens a readable page; programs still get the YAML at /openapi. */
@Timeout(60)
class ApiDocsPageTest {
  @Test
  void browsersGetAPageProgramsGetTheYaml(@TempDir Path dir) throws Exception {
    try (RunningNode node = RunningNode.start(NodeDirectory.init(dir.resolve("n"), "shop"),
            RunningNode.Options.defaults());
        NodeServer server = NodeServer.start(node, "127.0.0.1", 0, 4096);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/openapi");
      HttpResponse<String> page = client.send(HttpRequest.newBuilder(uri)
          .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
      assertThat(page.headers().firstValue("content-security-policy").orElse("")).doesNotContain("unsafe-inline");
      assertThat(page.body()).contains("<code>/api/search</code>").contains("<code>offset</code>")
          .contains("href=\"/openapi?format=yaml\"").doesNotContain("<script>");

      HttpResponse<String> yaml = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(yaml.headers().firstValue("content-type").orElse("")).startsWith("application/yaml");
      assertThat(yaml.body()).startsWith("openapi: 3.");
      HttpResponse<String> download = client.send(HttpRequest.newBuilder(URI.create(uri + "?format=yaml"))
          .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(download.body()).startsWith("openapi: 3.");
    }
  }
}
