package io.fedsearch.web.ui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.function.Function;

/**
 * Markup that is safe by construction. {@link #f} fills {@code {}} holes in a trusted template: an argument that is
 * already {@code Html} goes in as it is, anything else is escaped for text and attribute context (the five XML
 * special characters), so an interpolated value can never open a tag or leave a quoted attribute. Templates are
 * compile-time literals; nothing from a request or a peer is ever a template.
 */
public record Html(String markup) {
  public static final Html EMPTY = new Html("");

  /** Escapes text for HTML element content and double- or single-quoted attribute values. */
  public static String escape(Object value) {
    String s = String.valueOf(value);
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = switch (c) {
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '&' -> "&amp;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (rep != null) {
        if (b == null) {
          b = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        b.append(rep);
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  public static Html text(Object value) {
    return new Html(escape(value));
  }

  /** Fills the {@code {}} holes of {@code template} with {@code args}, escaping every argument that is not Html. */
  public static Html f(String template, Object... args) {
    StringBuilder out = new StringBuilder(template.length() + 64);
    int arg = 0;
    int from = 0;
    for (int i = template.indexOf("{}"); i >= 0; i = template.indexOf("{}", from)) {
      out.append(template, from, i);
      if (arg >= args.length) {
        throw new IllegalArgumentException("template has more holes than arguments: " + template);
      }
      Object a = args[arg++];
      out.append(a instanceof Html h ? h.markup : escape(a));
      from = i + 2;
    }
    if (arg != args.length) {
      throw new IllegalArgumentException("template has fewer holes than arguments: " + template);
    }
    return new Html(out.append(template, from, template.length()).toString());
  }

  public static Html join(Collection<Html> parts) {
    StringBuilder b = new StringBuilder();
    parts.forEach(p -> b.append(p.markup));
    return new Html(b.toString());
  }

  public static <T> Html each(Iterable<T> items, Function<T, Html> render) {
    StringBuilder b = new StringBuilder();
    for (T t : items) {
      b.append(render.apply(t).markup);
    }
    return new Html(b.toString());
  }

  public static Html when(boolean condition, Html html) {
    return condition ? html : EMPTY;
  }

  /** A path segment or query value, percent-encoded (the result still goes through attribute escaping). */
  public static String url(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return markup;
  }
}
