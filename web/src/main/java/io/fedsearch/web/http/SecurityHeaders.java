package io.fedsearch.web.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Headers on every response. The policy allows scripts, styles and images from the node itself only (no inline
 * script or style, no external CDN: the pages need none), no framing (clickjacking), forms posting only back to the
 * node; MIME sniffing is off and no referrer leaks a search query to other sites.
 */
public final class SecurityHeaders implements Filter {
  public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    res.header(HeaderNames.create("Content-Security-Policy"), CSP);
    res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
    res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
    res.header(HeaderNames.create("X-Frame-Options"), "DENY");
    chain.proceed();
  }
}
