package io.fedsearch.web.http;

import io.helidon.common.parameters.Parameters;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Typed query parameters (a request's, or a page's own) with errors that name the parameter. */
final class Params {
  private Params() {}

  static Optional<String> text(Parameters query, String name) {
    return query.first(name).map(String::strip).filter(s -> !s.isEmpty());
  }

  static int integer(Parameters query, String name, int dflt, int min, int max) {
    Optional<String> v = text(query, name);
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

  static Long optionalLong(Parameters query, String name) {
    Optional<String> v = text(query, name);
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
  static Set<String> set(Parameters query, String name) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : query.all(name, java.util.List::of)) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }

  static <E extends Enum<E>> E choice(Parameters query, String name, Class<E> type, E dflt) {
    Optional<String> v = text(query, name);
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
