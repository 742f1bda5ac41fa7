package io.fedsearch.web.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks {@code Authorization: Bearer <admin token>} on endpoints that change data or move money. */
public final class AdminAuth {
  private final byte[] token;

  public AdminAuth(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** @throws ApiException 401 without a bearer token, 403 with a wrong one */
  public void require(ServerRequest req) {
    String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      throw new ApiException(401, "unauthorized",
          "this endpoint needs the node's admin token: Authorization: Bearer <contents of admin-token>");
    }
    byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token)) { // constant time: no timing oracle on the token
      throw new ApiException(403, "forbidden", "wrong admin token");
    }
  }
}
