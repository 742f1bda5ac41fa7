package io.fedsearch.web.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Headers on every response. The policy allows scripts, styles and images from the node itself only (no inline
 * script or style, no external CDN: the pages need none), no framing (clickjacking), forms posting only back to the
 * node; MIME sniffing is off and no referrer leaks a search query to other sites.
 *
 * <p>As a filter it covers what routes answer. Error handlers start from a reset response (Helidon drops the
 * headers a filter set), and Helidon answers some requests before any route runs; both call {@link #set} themselves
 * ({@link NodeServer}'s error handlers, {@link TransportErrors}, {@link RequestBody}).
 */
public final class SecurityHeaders implements Filter {
  public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    set(res.headers());
    chain.proceed();
  }

  /** Puts the four headers on {@code headers}, replacing any earlier value. */
  public static void set(ServerResponseHeaders headers) {
    headers.set(HeaderValues.create(HeaderNames.create("Content-Security-Policy"), CSP));
    headers.set(HeaderValues.create(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff"));
    headers.set(HeaderValues.create(HeaderNames.create("Referrer-Policy"), "no-referrer"));
    headers.set(HeaderValues.create(HeaderNames.create("X-Frame-Options"), "DENY"));
  }
}
