package io.fedsearch.web.ui;

import io.helidon.webserver.http.ServerRequest;
import java.util.List;

/**
 * One page of a long table on the dashboard (the outbox holds hundreds of rows after minutes of demo traffic):
 * {@value #SIZE} rows, newest first, with previous/next links that keep the page's other parameters.
 *
 * @param param the query parameter holding this table's page number (each table pages on its own)
 */
record TablePage<T>(List<T> rows, int page, int pages, int total, String param) {
  static final int SIZE = 25;

  /** The page {@code req} asks for in {@code param} (1 when absent or out of range) of {@code all}, newest last. */
  static <T> TablePage<T> of(ServerRequest req, String param, List<T> all) {
    return of(req.query().first(param).asOptional(), param, all);
  }

  static <T> TablePage<T> of(java.util.Optional<String> asked, String param, List<T> all) {
    int pages = Math.max(1, (all.size() + SIZE - 1) / SIZE);
    int page = asked.map(v -> {
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        return 1;
      }
    }).filter(p -> p >= 1 && p <= pages).orElse(1);
    // Newest first: the rows come oldest first (journal order), so page 1 is the end of the list.
    List<T> newestFirst = all.reversed();
    int from = (page - 1) * SIZE;
    return new TablePage<>(newestFirst.subList(from, Math.min(all.size(), from + SIZE)), page, pages, all.size(), param);
  }

  /** "Rows 26–50 of 300 · ← newer · older →", or nothing when one page holds every row. */
  Html nav(ServerRequest req, String anchor) {
    return nav(req.query().rawValue(), anchor);
  }

  /** As {@link #nav(ServerRequest, String)}, for the page's raw query string. */
  Html nav(String rawQuery, String anchor) {
    if (pages == 1) {
      return Html.EMPTY;
    }
    String base = "/dashboard?" + String.join("&", rawQuery.isEmpty() ? List.of()
        : java.util.Arrays.stream(rawQuery.split("&")).filter(kv -> !kv.startsWith(param + "=")).toList());
    String sep = base.endsWith("?") ? "" : "&";
    int from = (page - 1) * SIZE + 1;
    return Html.f("<nav class=\"pager\" aria-label=\"{} pages\">{}<span>rows {}–{} of {}</span>{}</nav>", anchor,
        page > 1 ? Html.f("<a href=\"{}#{}\">← newer</a>", base + sep + param + "=" + (page - 1), anchor) : Html.EMPTY,
        from, from + rows.size() - 1, total,
        page < pages ? Html.f("<a href=\"{}#{}\">older →</a>", base + sep + param + "=" + (page + 1), anchor) : Html.EMPTY);
  }
}
