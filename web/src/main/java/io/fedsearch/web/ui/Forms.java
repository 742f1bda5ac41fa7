package io.fedsearch.web.ui;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Form posts and cookies: bounded urlencoded bodies, and CSRF protection by double submit — a random token in an
 * HttpOnly, SameSite=Strict cookie that every form repeats in a hidden field. Another site can neither read the
 * cookie nor make the browser send it, so it cannot produce a matching pair.
 */
public final class Forms {
  public static final String CSRF_COOKIE = "fs_csrf";
  static final int MAX_FORM_BYTES = 16 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Forms() {}

  public static Optional<String> cookie(ServerRequest req, String name) {
    for (String header : req.headers().all(HeaderNames.COOKIE, java.util.List::of)) {
      for (String part : header.split(";")) {
        int eq = part.indexOf('=');
        if (eq > 0 && part.substring(0, eq).strip().equals(name)) {
          return Optional.of(part.substring(eq + 1).strip());
        }
      }
    }
    return Optional.empty();
  }

  public static void setCookie(ServerResponse res, String name, String value, long maxAgeSeconds) {
    res.headers().add(HeaderValues.create(HeaderNames.SET_COOKIE, name + "=" + value
        + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds));
  }

  /** The visitor's CSRF token, issuing one (cookie) when they have none yet. */
  public static String csrfToken(ServerRequest req, ServerResponse res) {
    Optional<String> have = cookie(req, CSRF_COOKIE).filter(v -> v.matches("[A-Za-z0-9_-]{22,64}"));
    if (have.isPresent()) {
      return have.get();
    }
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    setCookie(res, CSRF_COOKIE, token, 12 * 3600);
    return token;
  }

  public static Html csrfField(String token) {
    return Html.f("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", token);
  }

  /** Reads a urlencoded form (at most 16 KiB) and checks its CSRF field against the cookie. */
  public static Map<String, String> post(ServerRequest req, ServerResponse res) {
    Map<String, String> form = read(req, res);
    String cookie = cookie(req, CSRF_COOKIE).orElse("");
    String field = form.getOrDefault("csrf", "");
    if (cookie.isEmpty() || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8),
        field.getBytes(StandardCharsets.UTF_8))) {
      throw new UiException(403, "this form expired or did not come from this node's pages (CSRF check failed);"
          + " reload the page and try again");
    }
    return form;
  }

  static Map<String, String> read(ServerRequest req, ServerResponse res) {
    byte[] body;
    try (InputStream in = io.fedsearch.web.http.RequestBody.open(req, res)) {
      body = in.readNBytes(MAX_FORM_BYTES + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (body.length > MAX_FORM_BYTES) {
      throw new UiException(413, "form larger than " + MAX_FORM_BYTES + " bytes");
    }
    Map<String, String> out = new HashMap<>();
    String text = new String(body, StandardCharsets.UTF_8);
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.putIfAbsent(k, v);
      } catch (IllegalArgumentException e) {
        throw new UiException(400, "malformed form field: " + e.getMessage());
      }
    }
    return out;
  }
}
