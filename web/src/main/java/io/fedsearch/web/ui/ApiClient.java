package io.fedsearch.web.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedsearch.web.http.RateLimiter;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The pages are clients of the node's own JSON API, called over the socket the page request arrived on: a page
 * shows exactly what the API serves (same shapes, same errors), and an API a node does not have (payments not
 * configured, say) is simply a 404 the page renders as "not available". Calls carry the rate limiter's internal
 * pass so one page view counts once against the visitor.
 */
public final class ApiClient implements AutoCloseable {
  /** A reply: status and JSON body (null when the body is not JSON). */
  public record Reply(int status, JsonNode json) {
    public boolean ok() {
      return status / 100 == 2 && json != null;
    }

    /** The node serves no such API route (a feature it does not have, such as payments not configured). */
    public boolean noRoute() {
      return status == 404 && (json == null || "no_route".equals(json.at("/error/code").asText()));
    }

    /** The API's error code ({@code error.code}), or "" when the body is not a JSON error. */
    public String code() {
      return json == null ? "" : json.at("/error/code").asText("");
    }

    /** The API's error message, or a generic one. */
    public String error() {
      if (json != null && json.at("/error/message").isTextual()) {
        return json.at("/error/message").asText();
      }
      return "the node's API answered " + status;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final String internalPass;
  private final String adminToken;

  public ApiClient(RateLimiter limiter, String adminToken) {
    this.internalPass = limiter.internalPass();
    this.adminToken = adminToken;
  }

  public Reply get(ServerRequest page, String pathAndQuery) {
    return send(page, pathAndQuery, null, false);
  }

  /** A GET with the node's admin token (only for pages that checked the visitor is the admin). */
  public Reply adminGet(ServerRequest page, String pathAndQuery) {
    return send(page, pathAndQuery, null, true);
  }

  public Reply post(ServerRequest page, String path, String jsonBody, boolean admin) {
    return send(page, path, jsonBody, admin);
  }

  private Reply send(ServerRequest page, String pathAndQuery, String body, boolean admin) {
    if (!pathAndQuery.startsWith("/api/")) {
      throw new IllegalArgumentException("not an API path: " + pathAndQuery);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(base(page).resolve(pathAndQuery))
        .timeout(Duration.ofSeconds(35))
        .header("Accept", "application/json")
        .header(RateLimiter.INTERNAL_HEADER, internalPass);
    if (admin) {
      b.header("Authorization", "Bearer " + adminToken);
    }
    if (body == null) {
      b.GET();
    } else {
      b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      if (r.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
        json = JSON.readTree(r.body());
      }
      return new Reply(r.statusCode(), json);
    } catch (IOException e) {
      throw new UiException(502, "the node's API did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UiException(503, "interrupted");
    }
  }

  /** The listener the page request came in on; a wildcard bind is reached through loopback. */
  private static URI base(ServerRequest page) {
    InetSocketAddress local = (InetSocketAddress) page.localPeer().address();
    InetAddress a = local.getAddress();
    String host = a == null || a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host.replaceFirst("%.*$", "") + "]";
    }
    return URI.create("http://" + host + ":" + local.getPort());
  }

  @Override
  public void close() {
    client.close();
  }
}
