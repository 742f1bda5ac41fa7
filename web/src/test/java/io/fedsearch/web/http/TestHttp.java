package io.fedsearch.web.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for tests: every call has a timeout, bodies come back as JSON. */
public final class TestHttp implements AutoCloseable {
  public record Reply(int status, JsonNode json, String body) {}

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public TestHttp(String base) {
    this.base = base;
  }

  public String base() {
    return base;
  }

  public Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Reply getAdmin(String path, String token) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().header("Authorization", "Bearer " + token));
  }

  public Reply post(String path, String body, String token) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b);
  }

  /** A POST with the given headers (name, value, name, value, …), as a browser or another site would send it. */
  public Reply postWith(String path, String body, String... headers) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .headers(headers));
  }

  public Reply delete(String path, String token) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().header("Authorization", "Bearer " + token));
  }

  private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpRequest request = b.timeout(Duration.ofSeconds(30)).build();
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    // A well-behaved client: when the node's per-client rate limit answers 429, wait as told and retry (bounded).
    for (int retry = 0; retry < 10 && r.statusCode() == 429; retry++) {
      long seconds = r.headers().firstValue("retry-after").map(Long::parseLong).orElse(1L);
      Thread.sleep(Math.min(5, Math.max(1, seconds)) * 1000);
      r = client.send(request, HttpResponse.BodyHandlers.ofString());
    }
    JsonNode json = null;
    if (r.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
      json = Json.MAPPER.readTree(r.body());
    }
    return new Reply(r.statusCode(), json, r.body());
  }

  @Override
  public void close() {
    client.close();
  }
}
