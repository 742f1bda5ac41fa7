package io.fedsearch.web.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A snippet of a description with the query's words marked. Works on the raw text and escapes every piece, so the
 * marks are the only markup in the result. Words match at word starts and case-insensitively, which also marks the
 * inflected forms the stemming search matched ("parser" marks "parsers").
 */
public final class Highlight {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]{2,}");

  private Highlight() {}

  public static Html snippet(String text, String query, int maxChars) {
    List<String> words = new ArrayList<>();
    Matcher w = WORD.matcher(query == null ? "" : query);
    while (w.find() && words.size() < 12) {
      words.add(Pattern.quote(w.group().toLowerCase(Locale.ROOT)));
    }
    String window = text;
    Pattern p = words.isEmpty() ? null
        : Pattern.compile("(?<![\\p{L}\\p{N}])(" + String.join("|", words) + ")[\\p{L}\\p{N}]*",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    if (text.length() > maxChars) {
      int start = 0;
      if (p != null) {
        Matcher first = p.matcher(text);
        if (first.find()) {
          start = Math.max(0, first.start() - maxChars / 4);
        }
      }
      int end = Math.min(text.length(), start + maxChars);
      window = (start > 0 ? "…" : "") + text.substring(start, end) + (end < text.length() ? "…" : "");
    }
    if (p == null) {
      return Html.text(window);
    }
    StringBuilder b = new StringBuilder();
    Matcher m = p.matcher(window);
    int at = 0;
    while (m.find()) {
      b.append(Html.escape(window.substring(at, m.start()))).append("<mark>")
          .append(Html.escape(m.group())).append("</mark>");
      at = m.end();
    }
    return new Html(b.append(Html.escape(window.substring(at))).toString());
  }
}
