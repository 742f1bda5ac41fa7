package io.fedsearch.web.ui;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders API JSON the page has no dedicated layout for (the payments endpoints, a purchase receipt): scalars as a
 * definition list, arrays of objects as a table whose columns are the objects' keys. Everything is escaped text.
 */
final class JsonView {
  static final int MAX_ROWS = 200;

  private JsonView() {}

  /** The scalar fields of an object, and each array field as a table under its name. */
  static Html object(JsonNode o) {
    if (o == null || !o.isObject()) {
      return Html.text(o == null ? "" : o.toString());
    }
    List<Html> scalars = new ArrayList<>();
    List<Html> tables = new ArrayList<>();
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      JsonNode v = o.get(k);
      if (v.isArray()) {
        tables.add(Html.f("<h3>{} <small>({})</small></h3>{}", label(k), v.size(), table(v)));
      } else {
        scalars.add(Html.f("<dt>{}</dt><dd>{}</dd>", label(k), cell(v)));
      }
    }
    return Html.f("{}{}", scalars.isEmpty() ? Html.EMPTY : Html.f("<dl class=\"fields\">{}</dl>", Html.join(scalars)),
        Html.join(tables));
  }

  static Html table(JsonNode array) {
    if (array.isEmpty()) {
      return Html.f("<p class=\"empty\">none</p>");
    }
    Set<String> cols = new LinkedHashSet<>();
    for (JsonNode row : array) {
      if (row.isObject()) {
        row.fieldNames().forEachRemaining(cols::add);
      }
    }
    if (cols.isEmpty()) {
      List<Html> items = new ArrayList<>();
      array.forEach(v -> items.add(Html.f("<li>{}</li>", cell(v))));
      return Html.f("<ul>{}</ul>", Html.join(items));
    }
    List<Html> rows = new ArrayList<>();
    int n = 0;
    for (JsonNode row : array) {
      if (n++ >= MAX_ROWS) {
        break;
      }
      rows.add(Html.f("<tr>{}</tr>", Html.each(cols, c -> Html.f("<td>{}</td>", cell(row.path(c))))));
    }
    return Html.f("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"table (scrolls sideways)\"><table><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>{}",
        Html.each(cols, c -> Html.f("<th scope=\"col\">{}</th>", label(c))), Html.join(rows),
        array.size() > MAX_ROWS ? Html.f("<p class=\"note\">first {} of {}</p>", MAX_ROWS, array.size()) : Html.EMPTY);
  }

  static Html cell(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return Html.f("<span class=\"muted\">—</span>");
    }
    if (v.isValueNode()) {
      String s = v.asText();
      return s.length() > 24 && !s.contains(" ") ? Html.f("<code class=\"long\" title=\"{}\">{}</code>", s, s) : Html.text(s);
    }
    String s = v.toString();
    return Html.f("<code class=\"long\">{}</code>", s.length() > 300 ? s.substring(0, 300) + "…" : s);
  }

  static String label(String key) {
    return key.replace('_', ' ');
  }
}
