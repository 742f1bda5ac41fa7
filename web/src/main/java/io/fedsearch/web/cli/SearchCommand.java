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
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fedsearch search [--node URL] words…}: asks a running node, prints results and which nodes did not answer.
 * Without {@code --node} it asks {@code $FEDSEARCH_NODE}, else the first of a node on 8080 and the demo's first node
 * (8401) that answers, so the obvious command works right after {@code fedsearch demo}.
 */
@Command(name = "search", mixinStandardHelpOptions = true, description = "Search through a running node.")
public final class SearchCommand implements Callable<Integer> {
  /** Where a node usually is: `node start`'s example port, then the demo's first node. */
  static final List<String> USUAL_NODES = List.of("http://127.0.0.1:8080", "http://127.0.0.1:8401");

  @Option(names = "--node", defaultValue = "${env:FEDSEARCH_NODE}",
      description = "Node URL (default: $FEDSEARCH_NODE, else the first answering of " + "127.0.0.1:8080 and the "
          + "demo's 127.0.0.1:8401).")
  String node;

  @Parameters(arity = "1..*", paramLabel = "WORDS", description = "What to look for (the rest of the arguments).")
  List<String> words;

  @Option(names = "--limit", defaultValue = "10", description = "Number of results.")
  int limit;

  @Option(names = "--platform", description = "Only this platform (repeatable).")
  List<String> platforms = new java.util.ArrayList<>();

  @Option(names = "--mode", description = "federated or local (default: the node's default).")
  String mode;

  @Option(names = "--deadline-ms", description = "How long the node waits for other nodes (default: the node's, 1500).")
  Integer deadlineMs;

  @Mixin
  JsonOption output;

  @Override
  public Integer call() throws Exception {
    String query = String.join(" ", words);
    List<String> candidates = node != null && !node.isBlank() ? List.of(node) : USUAL_NODES;
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      for (String base : candidates) {
        try {
          return search(client, base, query);
        } catch (java.net.ConnectException e) {
          // try the next usual place; the message below names every place tried
        }
      }
    }
    throw new IllegalStateException("no node answering at " + String.join(" or ", candidates)
        + " (start one with `fedsearch node start` or `fedsearch demo`, or pass --node URL)");
  }

  private int search(HttpClient client, String base, String query) throws Exception {
    StringBuilder url = new StringBuilder(base.replaceAll("/+$", "")).append("/api/search?q=")
        .append(URLEncoder.encode(query, StandardCharsets.UTF_8)).append("&limit=").append(limit);
    for (String p : platforms) {
      url.append("&platform=").append(URLEncoder.encode(p, StandardCharsets.UTF_8));
    }
    if (deadlineMs != null) {
      url.append("&deadline_ms=").append(deadlineMs);
    }
    if (mode != null) {
      url.append("&mode=").append(URLEncoder.encode(mode, StandardCharsets.UTF_8));
    }
    HttpResponse<String> res = client.send(
        HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = Json.MAPPER.readTree(res.body());
    if (res.statusCode() != 200) {
      throw new IllegalStateException("node answered " + res.statusCode() + ": " + body.path("error").path("message").asText(res.body()));
    }
    if (output.json()) {
      System.out.println(res.body());
      return 0;
    }
    int shown = body.path("hits").size();
    long total = body.path("total").asLong();
    System.out.printf("%s for \"%s\" (%s, %.1f ms%s)%n",
        shown == total ? plural(total, "result") : "showing " + shown + " of " + plural(total, "matching entry"),
        query, body.path("mode").asText(), body.path("took_ms").asDouble(),
        body.path("cached").asBoolean() ? ", cached answer from " + body.path("age_ms").asLong() / 1000 + " s ago" : "");
    printIncompleteNodes(body.path("nodes"));
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

  /**
   * Names every node whose part of the answer is missing (timed out, failed, backed off), so "0 results" is never
   * read as "nothing matched" when a node simply did not answer.
   */
  private static void printIncompleteNodes(JsonNode nodes) {
    int asked = 0;
    int answered = 0;
    for (JsonNode n : nodes) {
      String status = n.path("status").asText();
      if (!"skipped".equals(status)) {
        asked++;
      }
      if ("ok".equals(status)) {
        answered++;
      } else if (!"skipped".equals(status)) {
        String who = n.path("platform").asText("").isEmpty() || n.path("platform").isNull()
            ? n.path("peer").asText() : n.path("platform").asText() + " (" + n.path("peer").asText() + ")";
        System.out.printf("  ! %s: %s%s%n", who, status.replace('_', ' '),
            n.path("error").asText("").isEmpty() ? "" : " - " + n.path("error").asText());
      }
    }
    if (answered < asked) {
      System.out.printf("  partial answer: %d of %d nodes asked answered; results from the others are missing%n",
          answered, asked);
    }
  }

  private static String plural(long n, String noun) {
    if (n == 1) {
      return "1 " + noun;
    }
    return n + " " + (noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s");
  }
}
