package io.fedsearch.web.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fedsearch.web.http.OpenApiDocument;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /openapi} for a person: the node's OpenAPI document rendered as a page (every route with its
 * parameters and answers), on the server, so it needs no script and no CDN. A program asking for YAML (or
 * {@code ?format=yaml}) still gets the document itself at the same URL ({@link OpenApiDocument}).
 */
final class ApiDocsPage {
  private static final List<String> METHODS = List.of("get", "post", "put", "delete", "patch");
  private final Ui ui;
  private final OpenApiDocument yaml = new OpenApiDocument();
  private final JsonNode doc;

  ApiDocsPage(Ui ui) {
    this.ui = ui;
    try (InputStream in = ApiDocsPage.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
      this.doc = new ObjectMapper(new YAMLFactory()).readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + OpenApiDocument.RESOURCE, e);
    }
  }

  void handle(ServerRequest req, ServerResponse res) {
    boolean wantsPage = req.query().first("format").map("html"::equals).orElse(false)
        || (req.query().first("format").isEmpty() && req.headers().first(HeaderNames.ACCEPT).orElse("")
            .toLowerCase(Locale.ROOT).contains("text/html"));
    if (!wantsPage) {
      yaml.handle(req, res);
      return;
    }
    List<Html2> routes = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      for (String m : METHODS) {
        JsonNode op = path.getValue().path(m);
        if (!op.isMissingNode()) {
          routes.add(route(m, path.getKey(), op));
        }
      }
    }
    Html body = Html.f("""
        <article class="api-docs"><h1>{} <small>{}</small></h1>
        <div class="lead">{}</div>
        <p><a href="/openapi?format=yaml" download="openapi.yaml">Download the OpenAPI document (YAML)</a> — the same
        document programs read at <code>/openapi</code>.</p>
        <nav aria-label="routes"><ul class="route-index">{}</ul></nav>
        {}</article>""",
        doc.at("/info/title").asText("API"), doc.at("/info/version").asText(""),
        paragraphs(doc.at("/info/description").asText("")),
        Html.each(routes, Html2::index), Html.each(routes, Html2::section));
    Layout.send(res, 200, ui.layout().page("API", "/openapi", body));
  }

  private record Html2(Html index, Html section) {}

  private static Html2 route(String method, String path, JsonNode op) {
    String id = (method + path).replaceAll("[^A-Za-z0-9]+", "-");
    List<JsonNode> params = new ArrayList<>();
    op.path("parameters").forEach(p -> params.add(p.has("$ref") ? null : p));
    params.removeIf(java.util.Objects::isNull);
    List<Map.Entry<String, JsonNode>> responses = new ArrayList<>();
    op.path("responses").fields().forEachRemaining(responses::add);
    Html section = Html.f("""
        <section class="route" id="{}"><h2><span class="method {}">{}</span> <code>{}</code></h2>
        <p>{}</p>{}{}{}
        </section>""", id, method, method.toUpperCase(Locale.ROOT), path, op.path("summary").asText(""),
        paragraphs(op.path("description").asText("")),
        params.isEmpty() ? Html.EMPTY : Html.f("""
            <table class="params"><caption>Parameters</caption><thead><tr><th scope="col">name</th>
            <th scope="col">in</th><th scope="col">type</th><th scope="col">what it does</th></tr></thead>
            <tbody>{}</tbody></table>""", Html.each(params, p -> Html.f(
            "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", p.path("name").asText(),
            p.path("required").asBoolean() ? Html.f(" <small>(required)</small>") : Html.EMPTY,
            p.path("in").asText(), p.at("/schema/type").asText(""), p.path("description").asText("")))),
        responses.isEmpty() ? Html.EMPTY : Html.f("<dl class=\"responses\">{}</dl>", Html.each(responses,
            r -> Html.f("<dt>{}</dt><dd>{}</dd>", r.getKey(), r.getValue().path("description")
                .asText(r.getValue().has("$ref") ? "see " + r.getValue().path("$ref").asText() : "")))));
    Html index = Html.f("<li><a href=\"#{}\"><span class=\"method {}\">{}</span> {}</a></li>", id, method,
        method.toUpperCase(Locale.ROOT), path);
    return new Html2(index, section);
  }

  private static Html paragraphs(String text) {
    List<String> ps = new ArrayList<>();
    for (String p : text.strip().split("\n\\s*\n")) {
      if (!p.isBlank()) {
        ps.add(p.replaceAll("\\s+", " "));
      }
    }
    return Html.each(ps, p -> Html.f("<p>{}</p>", p));
  }
}
