package io.fedsearch.web.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.web.http.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fedsearch search --node URL "query"}: asks a running node, prints results. */
@Command(name = "search", mixinStandardHelpOptions = true, description = "Search through a running node.")
public final class SearchCommand implements Callable<Integer> {
  @Option(names = "--node", defaultValue = "http://127.0.0.1:8080", description = "Node URL (default ${DEFAULT-VALUE}).")
  String node;

  @Parameters(index = "0", paramLabel = "QUERY", description = "What to look for.")
  String query;

  @Option(names = "--limit", defaultValue = "10", description = "Number of results.")
  int limit;

  @Option(names = "--platform", description = "Only this platform (repeatable).")
  java.util.List<String> platforms = new java.util.ArrayList<>();

  @Option(names = "--mode", description = "federated or local (default: the node's default).")
  String mode;

  @Option(names = "--json", description = "Print the node's JSON response.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    StringBuilder url = new StringBuilder(node.replaceAll("/+$", "")).append("/api/search?q=")
        .append(URLEncoder.encode(query, StandardCharsets.UTF_8)).append("&limit=").append(limit);
    for (String p : platforms) {
      url.append("&platform=").append(URLEncoder.encode(p, StandardCharsets.UTF_8));
    }
    if (mode != null) {
      url.append("&mode=").append(URLEncoder.encode(mode, StandardCharsets.UTF_8));
    }
    HttpResponse<String> res;
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      res = client.send(HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new IllegalStateException("no node answering at " + node + " (start one with `fedsearch node start`)");
    }
    JsonNode body = Json.MAPPER.readTree(res.body());
    if (res.statusCode() != 200) {
      throw new IllegalStateException("node answered " + res.statusCode() + ": " + body.path("error").path("message").asText(res.body()));
    }
    if (json) {
      System.out.println(res.body());
      return 0;
    }
    System.out.printf("%d results for \"%s\" (%s, %.1f ms)%n", body.path("total").asLong(), query,
        body.path("mode").asText(), body.path("took_ms").asDouble());
    int i = 0;
    for (JsonNode h : body.path("hits")) {
      JsonNode e = h.path("entry");
      System.out.printf("%2d. %-40s %8.3f  %s/%s  %s%n", ++i, e.path("title").asText(), h.path("score").asDouble(),
          e.path("platform").asText(), e.path("id").asText(), h.path("cid").asText());
      if (!e.path("description").asText().isEmpty()) {
        System.out.println("    " + e.path("description").asText());
      }
    }
    return 0;
  }
}
