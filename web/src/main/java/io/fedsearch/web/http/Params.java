package io.fedsearch.web.http;

import io.helidon.webserver.http.ServerRequest;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Typed query parameters with errors that name the parameter. */
final class Params {
  private Params() {}

  static Optional<String> text(ServerRequest req, String name) {
    return req.query().first(name).map(String::strip).filter(s -> !s.isEmpty());
  }

  static int integer(ServerRequest req, String name, int dflt, int min, int max) {
    Optional<String> v = text(req, name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n < min || n > max) {
        throw ApiException.badRequest(name + ": must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + ": not an integer: '" + v.get() + "'");
    }
  }

  static Long optionalLong(ServerRequest req, String name) {
    Optional<String> v = text(req, name);
    if (v.isEmpty()) {
      return null;
    }
    try {
      long n = Long.parseLong(v.get());
      if (n < 0) {
        throw ApiException.badRequest(name + ": must be ≥ 0, got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + ": not an integer: '" + v.get() + "'");
    }
  }

  /** A repeatable parameter, also accepting comma-separated values. */
  static Set<String> set(ServerRequest req, String name) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : req.query().all(name, java.util.List::of)) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }

  static <E extends Enum<E>> E choice(ServerRequest req, String name, Class<E> type, E dflt) {
    Optional<String> v = text(req, name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      return Enum.valueOf(type, v.get().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(name + ": must be one of " + java.util.Arrays.toString(type.getEnumConstants())
          .toLowerCase(java.util.Locale.ROOT) + ", got '" + v.get() + "'");
    }
  }
}
