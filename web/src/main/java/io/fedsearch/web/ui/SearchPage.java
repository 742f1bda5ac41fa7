package io.fedsearch.web.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code GET /}: the search box (suggestions from {@code /api/suggest}), filters by platform, price and creator score,
 * the federated results, and a strip naming every node asked — how fast it answered, or that it did not.
 */
final class SearchPage {
  static final int LIMIT = 20;
  private final Ui ui;

  SearchPage(Ui ui) {
    this.ui = ui;
  }

  void handle(ServerRequest req, ServerResponse res) {
    String q = text(req, "q");
    List<String> chosen = req.query().all("platform", List::of).stream().filter(s -> !s.isBlank()).toList();
    String minPrice = text(req, "min_price");
    String maxPrice = text(req, "max_price");
    String minScore = text(req, "min_score");
    String tag = text(req, "tag");
    String sort = text(req, "sort");
    List<String> problems = new ArrayList<>();
    int page = page(text(req, "page"), problems);
    Long minDrops = drops("minimum price", minPrice, problems);
    Long maxDrops = drops("maximum price", maxPrice, problems);
    Double scoreFloor = score(minScore, problems);

    Html results = Html.EMPTY;
    boolean searched = !q.isEmpty() || !chosen.isEmpty() || minDrops != null || maxDrops != null || !tag.isEmpty();
    int status = 200;
    if (searched && problems.isEmpty()) {
      // Paging, sorting and the score filter are the API's (so counts and pages agree); the page only asks.
      StringBuilder api = new StringBuilder("limit=" + LIMIT + "&offset=" + (page - 1) * LIMIT
          + "&q=" + Html.url(q));
      chosen.forEach(p -> api.append("&platform=").append(Html.url(p)));
      if (!tag.isEmpty()) {
        api.append("&tag=").append(Html.url(tag));
      }
      if (!sort.isEmpty()) {
        api.append("&sort=").append(Html.url(sort));
      }
      if (!text(req, "exact").isEmpty()) {
        api.append("&correct=false"); // the person asked for exactly what they typed
      }
      if (scoreFloor != null) {
        api.append("&min_score=").append(scoreFloor);
      }
      if (minDrops != null) {
        api.append("&min_price=").append(minDrops);
      }
      if (maxDrops != null) {
        api.append("&max_price=").append(maxDrops);
      }
      PageApi.Reply r = ui.api().search(api.toString());
      if (r.ok()) {
        results = results(r.json(), q, page, req.query().rawValue());
      } else {
        status = r.status() >= 500 ? 502 : 400;
        problems.add(r.error());
      }
    } else if (!problems.isEmpty()) {
      status = 400;
    }
    Html errors = Html.each(problems, p -> Html.f("<p class=\"notice bad\" role=\"alert\">{}</p>", p));
    TreeSet<String> platforms = platforms(req, chosen);
    if (!searched && problems.isEmpty()) {
      results = Html.f("""
          <section class="intro"><p>One search box over {} {}: <b>{}</b>. Every result is checked against its
          platform's signature; works listed on several platforms appear once, with every price.</p></section>""",
          platforms.size(), platforms.size() == 1 ? "platform" : "platforms", String.join(", ", platforms));
    }
    Html body = Html.f("""
        <h1 class="visually-hidden">Search</h1>
        <form class="search" action="/" method="get" role="search">
        <div class="box"><label for="q" class="visually-hidden">Search the federation</label>
        <input id="q" name="q" type="search" value="{}" placeholder="Search every platform — e.g. parser"
         autocomplete="off"{} role="combobox" aria-autocomplete="list" aria-controls="suggestions"
         aria-expanded="false">
        <ul id="suggestions" role="listbox" hidden></ul>
        <button type="submit">Search</button></div>
        <details class="filters"{}><summary>Filters</summary><div class="filter-row">
        <fieldset><legend>Platforms</legend>{}</fieldset>
        <fieldset><legend>Price (XRP)</legend>
        <label>from <input name="min_price" inputmode="decimal" size="6" value="{}"></label>
        <label>to <input name="max_price" inputmode="decimal" size="6" value="{}"></label></fieldset>
        <fieldset><legend>Creator score</legend>
        <label>at least <input name="min_score" inputmode="decimal" size="4" value="{}"> / 100</label></fieldset>
        <fieldset><legend>Order</legend><label for="sort" class="visually-hidden">Sort by</label>
        <select id="sort" name="sort">{}</select></fieldset>{}
        </div></details></form>
        {}{}
        <p class="keys">Keys: <kbd>/</kbd> search box · <kbd>j</kbd>/<kbd>k</kbd> next/previous result ·
        <kbd>Enter</kbd> open</p>""",
        // Autofocus only where there is nothing to read yet: on a results page the keys (j/k) are the results'.
        q, new Html(searched ? "" : " autofocus"), new Html(chosen.isEmpty() && minPrice.isEmpty() && maxPrice.isEmpty() && minScore.isEmpty()
            && tag.isEmpty() && sort.isEmpty() ? "" : " open"),
        platformBoxes(platforms, chosen), minPrice, maxPrice, minScore, sortOptions(sort),
        tag.isEmpty() ? Html.EMPTY : Html.f("<fieldset><legend>Tag</legend><label><input type=\"checkbox\" name=\"tag\""
            + " value=\"{}\" checked> {}</label></fieldset>", tag, tag),
        errors, results);
    Layout.send(res, status, ui.layout().page(q.isEmpty() ? "Search" : q, "/", body));
  }

  /** This node's platform, its peers' and any the visitor chose. */
  private TreeSet<String> platforms(ServerRequest req, List<String> chosen) {
    TreeSet<String> platforms = new TreeSet<>(chosen);
    platforms.add(ui.platform());
    PageApi.Reply peers = ui.api().peers();
    if (peers.ok()) {
      for (JsonNode p : peers.json().path("peers")) {
        if (!p.path("platform").asText("").isEmpty()) {
          platforms.add(p.path("platform").asText());
        }
      }
    }
    return platforms;
  }

  private static Html platformBoxes(TreeSet<String> platforms, List<String> chosen) {
    return Html.each(platforms, p -> Html.f("<label class=\"check\"><input type=\"checkbox\" name=\"platform\""
        + " value=\"{}\"{}> {}</label>", p, new Html(chosen.contains(p) ? " checked" : ""), p));
  }

  private static final List<String[]> SORTS = List.of(new String[] {"", "Relevance"},
      new String[] {"price", "Price: low to high"}, new String[] {"price_desc", "Price: high to low"},
      new String[] {"recent", "Newest first"});

  private static Html sortOptions(String chosen) {
    return Html.each(SORTS, o -> Html.f("<option value=\"{}\"{}>{}</option>", o[0],
        new Html(o[0].equals(chosen) ? " selected" : ""), o[1]));
  }

  private static int page(String s, List<String> problems) {
    if (s.isEmpty()) {
      return 1;
    }
    try {
      int p = Integer.parseInt(s);
      if (p >= 1 && p * LIMIT <= 500) {
        return p;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    problems.add("page: a page number from 1 to " + 500 / LIMIT + ", got '" + s + "'");
    return 1;
  }

  private Html results(JsonNode r, String q, int page, String rawQuery) {
    List<JsonNode> hits = new ArrayList<>();
    r.path("hits").forEach(hits::add);
    int hidden = r.path("hidden_by_score").asInt();
    Html summary = Html.f("<p class=\"summary\" id=\"summary\">{} {} for “{}”{}{} · {} ms</p>",
        r.path("total").asLong(), r.path("total").asLong() == 1 ? "match" : "matches", q,
        new Html(r.path("relaxed").asBoolean() ? " <span class=\"note\">(no result had every word; showing any word)</span>" : ""),
        new Html(hidden > 0 ? " · " + hidden + " hidden by the creator-score filter" : ""),
        r.path("took_ms").asDouble());
    Html list = hits.isEmpty()
        ? Html.f("<p class=\"empty\">{}.</p>", page > 1 ? "No more results" : hidden > 0
            ? "Nothing found above that creator score" : "Nothing found")
        : Html.f("<ol class=\"hits\" id=\"hits\" start=\"{}\">{}</ol>", (page - 1) * LIMIT + 1,
            Html.each(hits, h -> hit(h, q)));
    return Html.f("{}{}{}{}{}", nodeStrip(r), spelling(r), summary, list, pager(r, page, rawQuery));
  }

  /** "Showing results for X — search instead for Y" after an automatic correction, else "Did you mean X?". */
  private static Html spelling(JsonNode r) {
    String suggestion = r.path("did_you_mean").asText("");
    String from = r.path("corrected_from").asText("");
    if (!from.isEmpty()) {
      return Html.f("<p class=\"notice\" id=\"spelling\">Showing results for <b>{}</b>. Search instead for "
          + "<a href=\"/?q={}&amp;exact=1\">{}</a>.</p>", suggestion, Html.url(from), from);
    }
    return suggestion.isEmpty() ? Html.EMPTY : Html.f("<p class=\"notice\" id=\"spelling\">Did you mean "
        + "<a href=\"/?q={}\">{}</a>?</p>", Html.url(suggestion), suggestion);
  }

  /** Previous / next links that keep every other parameter of this page's URL. */
  private static Html pager(JsonNode r, int page, String rawQuery) {
    boolean more = r.path("has_more").asBoolean();
    if (page == 1 && !more) {
      return Html.EMPTY;
    }
    String base = "/?" + java.util.Arrays.stream(rawQuery.split("&"))
        .filter(kv -> !kv.isEmpty() && !kv.startsWith("page=")).reduce((a, b) -> a + "&" + b).orElse("");
    String sep = base.endsWith("?") ? "" : "&";
    return Html.f("<nav class=\"pager\" aria-label=\"pages\">{}<span>Page {}</span>{}</nav>",
        page > 1 ? Html.f("<a rel=\"prev\" href=\"{}\">← Previous</a>", base + sep + "page=" + (page - 1)) : Html.EMPTY,
        page, more ? Html.f("<a rel=\"next\" href=\"{}\">Next →</a>", base + sep + "page=" + (page + 1)) : Html.EMPTY);
  }

  /**
   * Who was asked and what each did, counted as the chips below say it: skipped nodes were not asked. A reused
   * (cached) answer says so and when it was given, since its statuses are from then.
   */
  static Html nodeStrip(JsonNode r) {
    List<JsonNode> all = new ArrayList<>();
    r.path("nodes").forEach(all::add);
    long skipped = all.stream().filter(n -> "skipped".equals(n.path("status").asText())).count();
    long missing = all.stream().filter(n -> !answered(n)).count();
    long asked = all.size() - skipped;
    String counts = asked + " asked, " + (asked - missing) + " answered"
        + (skipped > 0 ? ", " + skipped + " skipped (no matching entries)" : "");
    Html cachedNote = r.path("cached").asBoolean()
        ? Html.f(" <span class=\"cached\" id=\"cached\">· cached answer from {} s ago; node status as of then"
            + "</span>", Math.round(r.path("age_ms").asDouble() / 1000.0))
        : new Html("");
    return Html.f("""
        <section class="nodes" aria-label="nodes asked"><h2>Nodes <small>{}{}{}</small></h2>
        <ul>{}</ul></section>""", counts,
        new Html(missing > 0 ? " — <strong class=\"partial\">partial results</strong>" : ""), cachedNote,
        Html.each(all, n -> {
          boolean ok = answered(n);
          String name = n.path("platform").asText("").isEmpty() ? "unknown platform" : n.path("platform").asText();
          String peer = n.path("peer").asText("");
          String shortPeer = peer.length() > 12 ? "…" + peer.substring(peer.length() - 8) : peer;
          if (ok) {
            return Html.f("<li class=\"node ok\" data-platform=\"{}\" title=\"peer {}\"><span class=\"dot\"></span>"
                + "<b>{}</b> {} {} · {}{}</li>", name, peer, name, n.path("hits").asInt(),
                n.path("hits").asInt() == 1 ? "hit" : "hits",
                "skipped".equals(n.path("status").asText()) ? "no matching entries (skipped)"
                    : n.path("took_ms").asDouble() + " ms",
                new Html(n.path("hedge").asBoolean() ? " · hedged" : ""));
          }
          String why = n.path("error").asText(n.path("status").asText());
          return Html.f("<li class=\"node down\" data-platform=\"{}\" title=\"peer {}: {}\"><span class=\"dot\">"
              + "</span><b>{}</b> did not answer: {} <small>(peer {})</small></li>", name, peer, why, name,
              n.path("status").asText().replace('_', ' '), shortPeer);
        }));
  }

  /** Answered, or skipped because it is known to hold no match (routing): either way its part is complete. */
  private static boolean answered(JsonNode n) {
    String status = n.path("status").asText();
    return "ok".equals(status) || "skipped".equals(status);
  }

  private static Html hit(JsonNode h, String q) {
    JsonNode e = h.path("entry");
    String cid = h.path("cid").asText();
    String title = e.path("title").asText();
    String creator = e.path("creator").asText("");
    JsonNode rep = h.path("creator_reputation");
    Html badge = rep.isMissingNode() ? Html.f("<span class=\"badge none\" title=\"no reputation yet\">new</span>")
        : Html.f("<span class=\"badge {}\" title=\"reputation {} (interval {}–{})\">{}</span>",
            band(rep.path("score").asDouble()), rep.path("score").asDouble(), rep.path("low").asDouble(),
            rep.path("high").asDouble(), Math.round(rep.path("score").asDouble()));
    Html by = creator.isEmpty() ? Html.f("<span class=\"creator\">creator not named</span>")
        : Html.f("<span class=\"creator\">by <a href=\"/creator/{}\">{}</a> {}</span>", Html.url(creator), creator, badge);
    Html verified = h.path("verified").asBoolean()
        ? Html.f("<span class=\"verified\" title=\"CID recomputed and signature checked\">✓ verified</span>")
        : Html.f("<span class=\"unverified\">unverified</span>");
    List<JsonNode> hosts = new ArrayList<>();
    h.path("hosts").forEach(hosts::add);
    return Html.f("""
        <li class="hit"><h3><a class="open" href="/entry/{}?q={}">{}</a> {}</h3>
        <p class="snippet">{}</p>
        <p class="meta">{} <span class="tags">{}</span></p>
        <ul class="hosts" aria-label="hosting platforms">{}</ul></li>""",
        Html.url(cid), Html.url(title), title, verified, Highlight.snippet(e.path("description").asText(""), q, 220),
        by, Html.each(tags(e), t -> Html.f("<a class=\"tag\" href=\"/?q={}&amp;tag={}\">{}</a> ", Html.url(q),
            Html.url(t), t)),
        Html.each(hosts, l -> Html.f("<li><span class=\"platform\">{}</span> <span class=\"price\">{}</span></li>",
            l.path("platform").asText(), Layout.xrp(l.path("price").asLong()))));
  }

  private static List<String> tags(JsonNode e) {
    List<String> t = new ArrayList<>();
    e.path("tags").forEach(x -> t.add(x.asText()));
    return t.size() > 5 ? t.subList(0, 5) : t;
  }

  static String band(double score) {
    return score >= 66 ? "high" : score >= 33 ? "mid" : "low";
  }

  private static String text(ServerRequest req, String name) {
    String v = req.query().first(name).orElse("").strip();
    if (v.length() > 300) {
      throw new UiException(400, name + ": at most 300 characters");
    }
    return v;
  }

  private static Long drops(String what, String xrp, List<String> problems) {
    if (xrp.isEmpty()) {
      return null;
    }
    try {
      BigDecimal d = new BigDecimal(xrp).movePointRight(6);
      if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(100_000_000_000L)) > 0) {
        problems.add(what + ": must be between 0 and 100000 XRP, got " + xrp);
        return null;
      }
      return d.longValue();
    } catch (NumberFormatException e) {
      problems.add(what + ": not a number of XRP: '" + xrp + "'");
      return null;
    }
  }

  private static Double score(String s, List<String> problems) {
    if (s.isEmpty()) {
      return null;
    }
    try {
      double v = Double.parseDouble(s);
      if (!(v >= 0 && v <= 100)) {
        problems.add("creator score: must be between 0 and 100, got " + s);
        return null;
      }
      return v;
    } catch (NumberFormatException e) {
      problems.add("creator score: not a number: '" + s + "'");
      return null;
    }
  }
}
