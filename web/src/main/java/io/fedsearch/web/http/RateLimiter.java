package io.fedsearch.web.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-client token bucket (client = remote IP address; forwarded-for headers are not trusted, the node is meant to
 * be reached directly). A refused request gets 429 with {@code Retry-After} in seconds — a JSON error under
 * {@code /api}, a small HTML page otherwise. Defaults: 20 requests/s, bursts of 40; system properties
 * {@code fedsearch.rate.per_second} and {@code fedsearch.rate.burst} (or env {@code FEDSEARCH_RATE_PER_SECOND},
 * {@code FEDSEARCH_RATE_BURST}) change them. Pages read the API in process ({@link NodeViews}), so a page view
 * counts once.
 */
public final class RateLimiter implements Filter {
  public static final double DEFAULT_PER_SECOND = 20;
  public static final int DEFAULT_BURST = 40;
  /** Beyond this many tracked clients, idle (full) buckets are dropped: memory stays bounded under a spray of IPs. */
  static final int MAX_CLIENTS = 50_000;

  private final double perSecond;
  private final int burst;
  private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double perSecond, int burst) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("rate limit: per_second must be > 0 and burst ≥ 1, got " + perSecond
          + " and " + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** The limits from system properties or environment, else the defaults. */
  public static RateLimiter configured() {
    return new RateLimiter(Double.parseDouble(setting("fedsearch.rate.per_second", "FEDSEARCH_RATE_PER_SECOND",
        String.valueOf(DEFAULT_PER_SECOND))),
        Integer.parseInt(setting("fedsearch.rate.burst", "FEDSEARCH_RATE_BURST", String.valueOf(DEFAULT_BURST))));
  }

  private static String setting(String property, String env, String dflt) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? dflt : v.strip();
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    InetAddress client = ((InetSocketAddress) req.remotePeer().address()).getAddress();
    long now = System.nanoTime();
    if (buckets.size() > MAX_CLIENTS) {
      evictIdle(now);
    }
    long waitNanos = buckets.computeIfAbsent(client, c -> new Bucket(burst, now)).take(now, perSecond, burst);
    if (waitNanos == 0) {
      chain.proceed();
      return;
    }
    long retryAfter = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    res.status(429);
    res.header(HeaderNames.RETRY_AFTER, String.valueOf(retryAfter));
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    String message = "too many requests from " + client.getHostAddress() + ": at most " + fmt(perSecond)
        + " per second (bursts of " + burst + "); retry in " + retryAfter + " s";
    if (req.path().path().startsWith("/api/") || req.path().path().equals("/api")) {
      Json.send(res, 429, Json.error(429, "rate_limited", message));
    } else {
      res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
      res.send(("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Slow down</title>"
          + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          + "<link rel=\"stylesheet\" href=\"/static/ui.css\"></head><body><main class=\"error\"><h1>429 — slow down"
          + "</h1><p>" + message.replace("<", "&lt;") + "</p><p><a href=\"/\">Back to search</a></p></main></body></html>")
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  private void evictIdle(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      if (it.next().full(now, perSecond, burst)) {
        it.remove();
      }
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  /** One client's tokens, refilled continuously. */
  private static final class Bucket {
    private double tokens;
    private long last;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.last = now;
    }

    /** Takes a token: 0 when granted, else the nanoseconds until one is available. */
    synchronized long take(long now, double perSecond, int burst) {
      refill(now, perSecond, burst);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / perSecond * 1e9);
    }

    synchronized boolean full(long now, double perSecond, int burst) {
      refill(now, perSecond, burst);
      return tokens >= burst;
    }

    private void refill(long now, double perSecond, int burst) {
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
      last = now;
    }
  }
}
