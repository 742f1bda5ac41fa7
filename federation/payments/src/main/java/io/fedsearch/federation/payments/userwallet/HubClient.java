package io.fedsearch.federation.payments.userwallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The wallet's HTTP JSON client for a hub ({@code /api/hub…}) and for the node a search came from ({@code /api/search},
 * {@code /api/entries}). Answers are bounded ({@value #MAX_BODY} bytes) and parsed as JSON; errors keep the API's
 * {@code {"error":{"code","message"}}} so the wallet can act on the code. No Origin header is sent: the hub treats
 * the wallet as the non-browser client it is.
 */
public final class HubClient {
  static final int MAX_BODY = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final Duration timeout;

  public HubClient(Duration timeout) {
    this.timeout = timeout;
  }

  /** An answer: HTTP status and JSON body (an empty object when the body was not JSON). */
  public record Reply(int status, JsonNode body) {
    public boolean ok() {
      return status / 100 == 2;
    }

    public String errorCode() {
      return body.path("error").path("code").asText("http_" + status);
    }

    public String errorMessage() {
      return body.path("error").path("message").asText("");
    }
  }

  public Reply get(String base, String path) throws IOException {
    return send(HttpRequest.newBuilder(uri(base, path)).GET());
  }

  public Reply post(String base, String path, JsonNode body) throws IOException {
    return send(HttpRequest.newBuilder(uri(base, path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  public static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static URI uri(String base, String path) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    URI u = URI.create(b + path);
    if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
      throw new IllegalArgumentException("not an http(s) URL: " + base);
    }
    return u;
  }

  private Reply send(HttpRequest.Builder b) throws IOException {
    try {
      HttpResponse<InputStream> r = http.send(b.timeout(timeout).header("Accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofInputStream());
      byte[] bytes;
      try (InputStream in = r.body()) {
        bytes = in.readNBytes(MAX_BODY + 1);
      }
      if (bytes.length > MAX_BODY) {
        throw new IOException("answer longer than " + MAX_BODY + " bytes");
      }
      JsonNode body;
      try {
        body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
      } catch (IOException e) {
        body = JSON.createObjectNode();
      }
      return new Reply(r.statusCode(), body == null ? JSON.createObjectNode() : body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
