package io.fedsearch.web.ui;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may see the dashboard: a visitor presenting the node's admin token, either as {@code Authorization: Bearer}
 * (scripts) or in the {@code fs_admin} cookie the login form sets (HttpOnly, SameSite=Strict, so page scripts and
 * other sites cannot use it). Comparisons are constant time.
 */
public final class AdminSession {
  public static final String COOKIE = "fs_admin";
  static final long COOKIE_SECONDS = 8 * 3600;
  private final byte[] token;

  public AdminSession(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  public boolean isAdmin(ServerRequest req) {
    String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
    if (header.regionMatches(true, 0, "Bearer ", 0, 7) && matches(header.substring(7).strip())) {
      return true;
    }
    return Forms.cookie(req, COOKIE).map(this::matches).orElse(false);
  }

  public boolean matches(String given) {
    return !given.isEmpty() && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token);
  }

  public void logIn(ServerResponse res, String given) {
    Forms.setCookie(res, COOKIE, given, COOKIE_SECONDS);
  }

  public void logOut(ServerResponse res) {
    Forms.setCookie(res, COOKIE, "", 0);
  }
}
