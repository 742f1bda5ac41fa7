package io.fedsearch.web.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.Locale;
import java.util.Optional;

/**
 * CSRF protection for a state-changing JSON route that takes no admin token (a hub purchase from a browser wallet): the
 * request must be JSON ({@code Content-Type: application/json}, which a page on another site cannot send without a
 * CORS preflight this node never grants), and when the browser says where it comes from ({@code Origin},
 * {@code Sec-Fetch-Site}) it must be this node. Non-browser clients (the CLI, the pages' own API client) send
 * neither header and pass on the content type alone.
 */
final class SameOrigin {
  private SameOrigin() {}

  /** @throws ApiException 415 for a body that is not declared JSON, 403 for a request from another site */
  static void require(ServerRequest req) {
    String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("").toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/json")) {
      throw new ApiException(415, "json_required",
          "send the body as Content-Type: application/json (cross-site forms cannot, so this guards the wallet)");
    }
    Optional<String> site = req.headers().first(HeaderNames.create("Sec-Fetch-Site"));
    if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
      throw new ApiException(403, "cross_origin", "this request came from another site (Sec-Fetch-Site: "
          + site.get() + "); buy from this node's own pages");
    }
    Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
    if (origin.isPresent()) {
      String host = req.headers().first(HeaderNames.HOST).orElse("");
      if (!origin.get().equals("http://" + host) && !origin.get().equals("https://" + host)) {
        throw new ApiException(403, "cross_origin", "Origin " + origin.get() + " is not this node (" + host
            + "); buy from this node's own pages");
      }
    }
  }
}
